"""Each non-Python client's own unit tests (no proxy: fakes in process), run by its own toolchain.

A missing toolchain fails the test: CI must run every client's tests, not skip them.
Go: `go vet` + `go test`; TypeScript: `npm test` (strict `tsc`, then `node --test`); Java: `mvn verify`
(compile with -Xlint, JUnit via surefire, jar). The Python client is covered by tests/unit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
# Below the suite's pytest-timeout (600 s) so a hung toolchain reports its own output.
TIMEOUT = 540


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    assert not missing, f"toolchain not on PATH: {', '.join(missing)}"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def report(out: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(out.args)}  (exit {out.returncode})\n{out.stdout[-6000:]}\n{out.stderr[-6000:]}"


def test_go_client_vet_and_unit_tests() -> None:
    need("go")
    here = CLIENTS / "go"
    vet = run(["go", "vet", "./..."], here)
    assert vet.returncode == 0, report(vet)
    # -count=1: always run (the deadline and retry tests are about timing; no cached verdicts).
    test = run(["go", "test", "-count=1", "./..."], here)
    assert test.returncode == 0, report(test)
    assert re.search(r"^ok\s+github\.com/dataaccess/proxy/clients/go/dataaccess\s", test.stdout, re.M), report(test)


def test_typescript_client_unit_tests() -> None:
    need("node", "npm", "flock")
    # prepare.sh's lock serializes with run-scenario (both write dist/); ensure_deps runs `npm ci` when
    # node_modules does not match package-lock.json (a fresh clone).
    out = run(["bash", "-c", "set -euo pipefail; source scripts/prepare.sh; lock_dir; ensure_deps; npm test"],
              CLIENTS / "typescript")
    assert out.returncode == 0, report(out)
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout, report(out)


def test_java_client_unit_tests() -> None:
    need("java", "mvn", "flock")
    here = CLIENTS / "java"
    (here / "target").mkdir(exist_ok=True)
    started = time.time()
    # The lock run-scenario holds while it builds into the same target/.
    lock = ["flock", str(here / "target/.build.lock")]
    args = ["-q", "-B", "-Dstyle.color=never", "-f", str(here / "pom.xml"), "verify"]
    out = run([*lock, "mvn", "-o", *args], here)  # offline when ~/.m2 already has everything
    if out.returncode != 0:
        offline = out
        out = run([*lock, "mvn", *args], here)
        assert out.returncode == 0, report(offline) + "\n--- online:\n" + report(out)
    fresh = [r for r in (here / "target/surefire-reports").glob("TEST-*.xml") if r.stat().st_mtime >= started - 1]
    assert fresh, "surefire ran no test classes:\n" + report(out)
