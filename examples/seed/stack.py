"""The demo's processes: the four real stores (dev/ launchers) and one proxy, each stopped by the
`ExitStack` that started it — on success, failure or Ctrl-C alike."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from dev.common import Server
from dev.stores import STORES

ROOT = Path(__file__).resolve().parents[2]
AWS = {"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo", "AWS_DEFAULT_REGION": "us-east-1"}
"""moto takes any credentials; the DynamoDB backend reads the standard AWS chain and invents none."""


def start_stores(base: Path, stack: ExitStack) -> dict[str, str]:
    """Start PostgreSQL, FerretDB, moto and OpenSearch in parallel under ``base``; return their
    connection variables (PG_DSN, MONGO_URI, DYNAMODB_ENDPOINT, OPENSEARCH_URL)."""
    servers: dict[str, Server] = {}
    for name, (launcher, _, _) in STORES.items():  # describing a store installs it if needed: one at a time
        servers[name] = launcher(base / name)
        stack.callback(servers[name].stop)  # registered before starting: a failed start still stops the rest
    pool = ThreadPoolExecutor(len(servers))
    try:
        for future in [pool.submit(s.start) for s in servers.values()]:
            future.result()
    finally:  # on Ctrl-C do not wait for the other starts: the stack stops them (dev.common at exit, too)
        pool.shutdown(wait=False, cancel_futures=True)
    return {STORES[n][1]: STORES[n][2](s) for n, s in servers.items()}


@dataclass
class Proxy:
    """``python -m proxy serve`` on a free port, watching ``config`` (polled every ``poll`` seconds)."""

    proc: subprocess.Popen[str]
    address: str
    log: Path

    @classmethod
    def start(cls, config: Path, env: dict[str, str], log: Path, stack: ExitStack, poll: float = 0.5) -> Proxy:
        with log.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "proxy", "serve", "--config", str(config), "--listen", "127.0.0.1:0",
                 "--poll", str(poll)],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True)
        stack.callback(cls._stop, proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()  # the first line is {"event": "listening", "address": …}
        if not line:
            proc.wait(30)
            raise RuntimeError(f"the proxy did not start (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
        return cls(proc, str(json.loads(line)["address"]), log)

    @staticmethod
    def _stop(proc: subprocess.Popen[str]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # drains calls in flight, then exits
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def environment(stores: dict[str, str]) -> dict[str, str]:
    """What the proxy and the `dataaccess` commands need: the stores' addresses and dummy AWS keys."""
    return {**os.environ, **stores, **AWS, "PYTHONPATH": str(ROOT)}
