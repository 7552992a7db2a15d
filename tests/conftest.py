"""Shared fixtures: real stores started by dev/ launchers, and proxy processes.

A store that cannot be started makes the test fail (never skip): CI must prove the real thing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dev.common import Server  # noqa: E402
from dev.ferretdb import ferretdb  # noqa: E402
from dev.ferretdb import uri as mongo_uri  # noqa: E402
from dev.moto import endpoint as moto_endpoint  # noqa: E402
from dev.moto import moto  # noqa: E402
from dev.opensearch import opensearch  # noqa: E402
from dev.opensearch import url as opensearch_address  # noqa: E402
from dev.postgres import dsn, postgres  # noqa: E402


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = postgres(tmp_path_factory.mktemp("pg")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_dsn(pg_server: Server) -> str:
    return dsn(pg_server)


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One FerretDB for the session; tests that stop a store start their own."""
    server = ferretdb(tmp_path_factory.mktemp("ferretdb")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mongo_url(mongo_server: Server) -> str:
    return mongo_uri(mongo_server)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = moto(tmp_path_factory.mktemp("moto")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dynamodb_endpoint(moto_server: Server) -> str:
    return moto_endpoint(moto_server)


@pytest.fixture(scope="session")
def opensearch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = opensearch(tmp_path_factory.mktemp("opensearch")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def opensearch_url(opensearch_server: Server) -> str:
    return opensearch_address(opensearch_server)


@dataclass
class ProxyProcess:
    proc: subprocess.Popen[str]
    address: str
    config: Path
    log: Path
    metrics: str = ""
    """host:port of the Prometheus endpoint, when started with --metrics."""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return int(self.proc.returncode)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")


def start_proxy(config_text: str, workdir: Path, env: dict[str, str] | None = None,
                extra_args: tuple[str, ...] = (), config_path: Path | None = None) -> ProxyProcess:
    """A proxy process on a free port. The rules are ``config_text`` written to ``workdir/rules.yaml``,
    or, with ``config_path``, whatever that path holds (e.g. a ConfigMap-style volume)."""
    workdir.mkdir(parents=True, exist_ok=True)
    cfg = config_path or workdir / "rules.yaml"
    if config_path is None:
        cfg.write_text(config_text)
    log = workdir / f"proxy-{time.monotonic_ns()}.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "proxy", "serve", "--config", str(cfg), "--listen", "127.0.0.1:0", *extra_args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
            env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(10)
        raise RuntimeError(f"proxy did not start (exit {proc.returncode}):\n{log.read_text()[-4000:]}")
    info = json.loads(line)
    return ProxyProcess(proc, info["address"], cfg, log, info.get("metrics", ""))


@pytest.fixture
def proxy_factory(tmp_path: Path) -> Iterator[object]:
    started: list[ProxyProcess] = []

    def factory(config_text: str, env: dict[str, str] | None = None, name: str = "proxy",
                extra_args: tuple[str, ...] = (), config_path: Path | None = None) -> ProxyProcess:
        p = start_proxy(config_text, tmp_path / f"{name}-{len(started)}", env, extra_args, config_path)
        started.append(p)
        return p

    yield factory
    for p in started:
        p.stop()
        if p.proc.stdout:
            p.proc.stdout.close()
