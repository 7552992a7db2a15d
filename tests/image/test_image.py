"""The container image, built from ./Dockerfile by dev/image.sh (buildah, no Docker daemon), checked as a
container runtime would see it: its config, its contents, and the proxy it runs answering over gRPC.

Slow: the first build on a machine takes ~3 min (debootstrap, apt, pip); after that, layers are cached
and a source change rebuilds in well under a minute. Needs root (debootstrap, chroot, overlay mounts);
dev/image.sh installs buildah, podman and debootstrap with apt-get if they are missing. No skip: if the
image cannot be built, this fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from dev.common import free_port
from proxy.cli.health import check

pytestmark = pytest.mark.timeout(1800)  # a first build on a new machine; a warm one takes well under a minute

ROOT = Path(__file__).resolve().parents[2]
IMAGE_SH = str(ROOT / "dev" / "image.sh")
IMAGE = "localhost/dataaccess-proxy:dev"
UID = 10001


def image_sh(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([IMAGE_SH, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def image() -> str:
    out = image_sh("build", timeout=1800)
    assert out.returncode == 0, f"dev/image.sh build failed:\n{out.stderr[-6000:]}"
    return IMAGE


@pytest.fixture
def container(image: str) -> Iterator[str]:
    out = image_sh("buildah", "from", "--pull=never", image)
    assert out.returncode == 0, out.stderr
    name = out.stdout.strip().splitlines()[-1]
    yield name
    image_sh("buildah", "rm", name)


def run_in(container: str, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    flags = [f"--env={k}={v}" for k, v in (env or {}).items()]
    return image_sh("buildah", "run", "--isolation", "chroot", *flags, container, "--", *command)


def test_image_config_is_what_a_runtime_needs(image: str) -> None:
    out = image_sh("buildah", "inspect", "--type", "image", image)
    assert out.returncode == 0, out.stderr
    config = json.loads(out.stdout)["Docker"]["config"]
    assert config["User"] == f"{UID}:{UID}"
    assert config["Entrypoint"] == ["python", "-m", "proxy", "serve"]
    assert not config.get("Cmd")
    assert config["StopSignal"] == "SIGTERM"
    assert set(config["ExposedPorts"]) == {"50051/tcp", "9090/tcp"}
    assert config["Healthcheck"]["Test"][:3] == ["CMD", "dataaccess", "health"]
    env = dict(e.split("=", 1) for e in config["Env"])
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert env["DATAACCESS_LISTEN"] == "0.0.0.0:50051"


CONTENTS = """
import importlib.util, json, os, sys
print(json.dumps({
    "uid": os.getuid(), "python": list(sys.version_info[:2]), "prefix": sys.prefix,
    "present": [m for m in ("grpc", "grpc_health", "grpc_reflection", "asyncpg", "aiosqlite", "pymongo", "aioboto3",
                            "opensearchpy", "pydantic", "yaml", "prometheus_client", "opentelemetry",
                            "proxy._gen.dataaccess.v1.data_access_pb2", "proxy._gen.dataaccess.admin.v1.admin_pb2")
                if importlib.util.find_spec(m)],
    "dev": [m for m in ("pytest", "mypy", "ruff", "hypothesis", "grpc_tools", "moto", "mypy_protobuf", "pip",
                        "setuptools") if importlib.util.find_spec(m)],
    "data_writable": os.access(os.environ["DATAACCESS_DATA"], os.W_OK),
    "root_writable": os.access("/", os.W_OK) or os.access("/opt/venv", os.W_OK),
}))
"""


def test_image_holds_the_runtime_only_and_runs_unprivileged(container: str) -> None:
    out = run_in(container, "python", "-c", CONTENTS)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert facts["uid"] == UID
    assert facts["python"] == [3, 11]  # Debian bookworm's own python3
    assert facts["prefix"] == "/opt/venv"
    assert len(facts["present"]) == 14, facts["present"]
    assert facts["dev"] == [], f"dev-only packages in the runtime image: {facts['dev']}"
    assert facts["data_writable"] and not facts["root_writable"]


def _leaf(pid: int) -> int:
    """The deepest descendant of pid: the proxy under buildah run → chroot runtime → chroot exec."""
    while True:  # a Go program's children hang off whichever thread started them: ask every thread
        children = [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
        if not children:
            return pid
        pid = int(children[0])


def test_proxy_in_the_image_serves_and_drains_on_sigterm(container: str) -> None:
    from dataaccess_client import Client

    port, metrics = free_port(), free_port()
    address = f"127.0.0.1:{port}"
    env = {"DATAACCESS_LISTEN": address, "DATAACCESS_METRICS": f"127.0.0.1:{metrics}"}
    # The image's entrypoint command, with the embedded SQLite config (chroot isolation shares the host
    # network, so loopback ports chosen here are reachable from this test).
    flags = [f"--env={k}={v}" for k, v in env.items()]
    proc = subprocess.Popen([IMAGE_SH, "buildah", "run", "--isolation", "chroot", *flags, container, "--",
                             "python", "-m", "proxy", "serve"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    try:
        status, deadline = "", time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = check(address, timeout=1)
                break
            except grpc.RpcError:  # not listening yet
                time.sleep(0.3)
        assert status == "SERVING", f"no SERVING answer from the proxy in the image (exit {proc.poll()})"

        # From inside the image: the HEALTHCHECK's own command.
        inside = run_in(container, "dataaccess", "health", env=env)
        assert inside.returncode == 0 and "SERVING" in inside.stdout, inside.stdout + inside.stderr

        # From outside: real calls through the Python client, stored in the image's data directory.
        with Client(address) as db:
            put = db.put("note", "from-image-test", {"title": "hello from the container"})
            got = db.get("note", "from-image-test")
        assert got.data["title"] == "hello from the container" and got.version == put.version

        body = urllib.request.urlopen(f"http://127.0.0.1:{metrics}/metrics", timeout=5).read().decode()
        assert "dataaccess_requests_total" in body

        # Stop as a runtime would: STOPSIGNAL (SIGTERM) to the container's process. (buildah itself
        # turns a SIGTERM into a SIGKILL of its child, so the proxy is signalled directly.)
        leaf = _leaf(proc.pid)
        argv = Path(f"/proc/{leaf}/cmdline").read_bytes().split(b"\0")
        assert argv[0].endswith(b"python") and argv[1:4] == [b"-m", b"proxy", b"serve"], argv
        os.kill(leaf, signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, output
        lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert {"event": "stopped"} in lines, output
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        proc.stdout.close()
