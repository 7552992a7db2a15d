"""moto's standalone server as the DynamoDB endpoint (in-memory; state is lost when it stops).

``moto[server]`` is pinned in the project's dev extras, so ``moto_server`` sits next to the venv's
Python. Known limits (DESIGN §12): no TTL expiry, no throttling.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

from dev.common import Server, free_port, port_open

MOTO_SERVER = Path(sys.executable).parent / "moto_server"


def moto(workdir: Path, port: int | None = None) -> Server:
    """Describe a moto server on loopback; call ``.start()`` to run it."""
    if not MOTO_SERVER.exists():
        raise RuntimeError(f"{MOTO_SERVER} is missing: install the dev extras (moto[server]==5.2.5) into this venv")
    port = port or free_port()
    argv = [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)]
    return Server("moto", port, workdir, argv, lambda: _ready(port), start_timeout=60)


def _ready(port: int) -> bool:
    if not port_open(port):
        return False
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=3) as resp:
            return bool(resp.status == 200)
    except (OSError, ValueError):
        return False


def reset(server: Server) -> None:
    """Drop every table and item (all moto state) without restarting the process."""
    req = urllib.request.Request(f"{endpoint(server)}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        if resp.status != 200:
            raise RuntimeError(f"moto reset failed: HTTP {resp.status}")


def endpoint(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"
