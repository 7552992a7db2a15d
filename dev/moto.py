"""moto's standalone server as the DynamoDB endpoint (in-memory; state is lost when it stops).

``moto[server]`` is pinned in the project's dev extras, so moto sits in the venv next to this Python.
Known limits (DESIGN §12): no TTL expiry, no throttling.

**One request at a time.** ``moto_server`` runs werkzeug threaded, and moto applies a conditional
UpdateItem as read, check, write without a lock, so concurrent "decrement if quantity >= 1" calls
oversell (measured: 52-54 of 200 succeed on 50 units). DynamoDB itself serializes writes to one
item. So we start moto's own ``main`` with its WSGI application wrapped in a lock (`_SERIAL`):
connections are still accepted concurrently (keep-alive works), requests run one after another.
``-I`` keeps the working directory off ``sys.path``, so this file can never shadow the ``moto``
package.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from pathlib import Path

from dev.common import Server, free_port, port_open

MOTO_SERVER = Path(sys.executable).parent / "moto_server"

_SERIAL = """
import sys, threading
import moto.server as server

class Serial(server.DomainDispatcherApplication):
    serial = threading.Lock()  # the base class's own `lock` only guards creating backends

    def __call__(self, environ, start_response):
        with self.serial:
            return list(super().__call__(environ, start_response))

server.DomainDispatcherApplication = Serial
server.main(sys.argv[1:])
"""


def moto(workdir: Path, port: int | None = None) -> Server:
    """Describe a moto server on loopback; call ``.start()`` to run it."""
    if not MOTO_SERVER.exists():
        raise RuntimeError(f"{MOTO_SERVER} is missing: install the dev extras (moto[server]==5.2.5) into this venv")
    port = port or free_port()
    argv = [sys.executable, "-I", "-c", _SERIAL, "-H", "127.0.0.1", "-p", str(port)]
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
