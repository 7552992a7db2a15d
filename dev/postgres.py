"""PostgreSQL 15 from the Debian binaries, as its own cluster in a temporary directory.

initdb and the server run as the unprivileged `postgres` user when we are root (PostgreSQL refuses
to run as root). `fsync=off` because test data is disposable: a killed server (outage tests) loses
nothing, since commits still reach the OS before they are acknowledged; only a machine crash would.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from dev.common import Server, as_user, free_port, port_open, run

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _ensure_installed() -> None:
    if (PG_BIN / "initdb").exists():
        return
    run(["apt-get", "update", "-q"])
    run(["apt-get", "install", "-y", "-q", "postgresql-15"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def postgres(workdir: Path, port: int | None = None) -> Server:
    """Create (if new) and describe a cluster in ``workdir``; call ``.start()`` to run it.

    The DSN is ``postgresql://postgres@127.0.0.1:PORT/postgres`` (trust auth on loopback only).
    """
    _ensure_installed()
    port = port or free_port()
    data = workdir / "pgdata"
    user = "postgres" if os.geteuid() == 0 else None
    if not (data / "PG_VERSION").exists():
        workdir.mkdir(parents=True, exist_ok=True)
        if user:
            pw = pwd.getpwnam(user)
            for p in (workdir, *workdir.parents):
                if p == Path("/"):
                    break
                if p.stat().st_uid != pw.pw_uid:
                    os.chmod(p, p.stat().st_mode | 0o005)  # traversable for the postgres user
            shutil.chown(workdir, user)
        run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
             "--no-instructions"], cwd="/", **as_user(user))
    argv = [
        str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(workdir),
        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=128MB",
    ]
    server = Server("postgres", port, workdir, argv, lambda: _ready(port), user=user, start_timeout=60)
    return server


def _ready(port: int) -> bool:
    if not port_open(port):
        return False
    res = subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True)
    return res.returncode == 0


def dsn(server: Server) -> str:
    return f"postgresql://postgres@127.0.0.1:{server.port}/postgres"
