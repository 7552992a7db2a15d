"""`dataaccess health`, the image's HEALTHCHECK command, against a real proxy process (no image needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dev.common import free_port
from proxy.cli.health import target
from proxy.settings import EMBEDDED

ROOT = Path(__file__).resolve().parents[2]


def health(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "proxy", "health", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=30, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_serving_proxy_is_healthy_and_a_dead_address_is_not(proxy_factory) -> None:
    proxy = proxy_factory(EMBEDDED.read_text())
    try:
        ok = health("--address", proxy.address)
        assert ok.returncode == 0, ok.stderr
        assert ok.stdout.strip() == f"{proxy.address}: SERVING"
        # With no --address it dials what DATAACCESS_LISTEN says, as the HEALTHCHECK in the image does.
        port = proxy.address.rsplit(":", 1)[1]
        from_env = health(env={"DATAACCESS_LISTEN": f"0.0.0.0:{port}"})
        assert from_env.returncode == 0, from_env.stderr
        unknown = health("--address", proxy.address, "--service", "no.such.Service")
        assert unknown.returncode == 1 and "NOT_FOUND" in unknown.stderr
    finally:
        assert proxy.stop() == 0
    down = health("--address", f"127.0.0.1:{free_port()}", "--timeout", "1")
    assert down.returncode == 1 and "UNAVAILABLE" in down.stderr


def test_wildcard_listen_addresses_are_dialled_on_loopback() -> None:
    assert target("0.0.0.0:50051") == "127.0.0.1:50051"
    assert target("[::]:50051") == "[::1]:50051"
    assert target(":50051") == "127.0.0.1:50051"
    assert target("10.0.0.7:50051") == "10.0.0.7:50051"
