"""Shared plumbing for the store launchers: free ports, readiness waits, process lifetime, caches.

Every launcher returns a :class:`Server` — a real store process on 127.0.0.1 that can be stopped and
started again on the same port and data directory (outage tests need that), and that is killed when
the Python process exits, so nothing outlives a test run.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CACHE = Path(os.environ.get("DATAACCESS_CACHE", Path.home() / ".cache" / "dataaccess"))
BIN = CACHE / "bin"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], what: str, timeout: float, proc: subprocess.Popen[bytes] | None = None,
               log: Path | None = None) -> None:
    """Poll ``check`` until it is true; fail with the tail of the log if the process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f}s\n{tail}")


@dataclass
class Server:
    """A store process on loopback. ``start()`` and ``stop()`` may be called repeatedly."""

    name: str
    port: int
    workdir: Path
    argv: Sequence[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 60.0
    user: str | None = None
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self) -> Server:
        if self.proc is not None and self.proc.poll() is None:
            return self
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                list(self.argv), stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **self.env},
                start_new_session=True, **as_user(self.user),
            )
        _live.append(self)
        wait_until(self.ready, self.name, self.start_timeout, self.proc, self.log)
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while port_open(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


_live: list[Server] = []


@atexit.register
def _stop_all() -> None:
    for server in reversed(_live):
        server.stop(timeout=10)


def as_user(user: str | None) -> dict[str, object]:
    """Popen arguments that drop to ``user`` with that user's own group only (not root's)."""
    return {} if user is None else {"user": user, "group": user, "extra_groups": []}


def run(argv: Sequence[str], **kw: object) -> None:
    """Run a setup command, raising with its output if it fails."""
    res = subprocess.run(list(argv), capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")


def go_tool(name: str, module: str, version: str) -> Path:
    """Install a Go command with `go install` into the cache (once per version) and return its path."""
    target = BIN / f"{name}-{version}"
    if not target.exists():
        BIN.mkdir(parents=True, exist_ok=True)
        build = CACHE / "gobuild" / f"{name}-{version}"
        build.mkdir(parents=True, exist_ok=True)
        run(["go", "install", f"{module}@{version}"], env={**os.environ, "GOBIN": str(build), "CGO_ENABLED": "0"})
        (build / name).replace(target)
    return target
