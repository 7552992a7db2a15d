"""Start the real stores on loopback and keep them up in the foreground, or only install them.

    python -m dev.stores up [postgres] [ferretdb] [moto] [opensearch] [--dir DIR] [--env-file FILE]
    python -m dev.stores install [names…]

``up`` with no names starts all four (in parallel), each in ``DIR/<name>`` (a temporary directory,
removed afterwards, when ``--dir`` is not given). Once every store is ready it writes ``FILE`` atomically
— so a caller can wait for the file to appear — and prints the same lines::

    PG_DSN=postgresql://postgres@127.0.0.1:PORT/postgres
    MONGO_URI=mongodb://127.0.0.1:PORT/
    DYNAMODB_ENDPOINT=http://127.0.0.1:PORT
    OPENSEARCH_URL=http://127.0.0.1:PORT

then waits for SIGTERM or SIGINT and stops everything (the env file is deleted again). ``install``
only fills the download/build caches (for CI warm-up) and starts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from dev import ferretdb, moto, opensearch, postgres
from dev.common import Server

Launcher = Callable[[Path], Server]
Address = Callable[[Server], str]

# name -> (launcher, env variable, address of a started server)
STORES: dict[str, tuple[Launcher, str, Address]] = {
    "postgres": (postgres.postgres, "PG_DSN", postgres.dsn),
    "ferretdb": (ferretdb.ferretdb, "MONGO_URI", ferretdb.uri),
    "moto": (moto.moto, "DYNAMODB_ENDPOINT", moto.endpoint),
    "opensearch": (opensearch.opensearch, "OPENSEARCH_URL", opensearch.url),
}


def install(names: list[str]) -> None:
    for name in names:
        print(f"installing {name} …", flush=True)
        if name == "postgres":
            postgres._ensure_installed()
        elif name == "ferretdb":
            ferretdb.install()
        elif name == "opensearch":
            opensearch.install()
        elif name == "moto" and not moto.MOTO_SERVER.exists():
            raise SystemExit(f"{moto.MOTO_SERVER} is missing: install the dev extras (moto[server]==5.2.5)")


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def up(names: list[str], root: Path | None, env_file: Path | None) -> int:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    temp = root is None
    base = Path(tempfile.mkdtemp(prefix="dataaccess-stores-")) if root is None else root.resolve()
    if env_file is not None:
        env_file.unlink(missing_ok=True)
    servers: list[Server] = []
    try:
        for name in names:  # describing a store installs it if needed; do that one at a time
            servers.append(STORES[name][0](base / name))
        pool = ThreadPoolExecutor(len(servers))
        try:
            for future in [pool.submit(s.start) for s in servers]:
                future.result()
        finally:
            pool.shutdown(wait=False)  # on failure or a signal the finally below ends the pending starts
        lines = [f"{STORES[n][1]}={STORES[n][2](s)}" for n, s in zip(names, servers, strict=True)]
        if env_file is not None:
            tmp = env_file.with_name(env_file.name + ".tmp")
            tmp.write_text("\n".join(lines) + "\n")
            tmp.replace(env_file)
        print("\n".join(lines), flush=True)
        print(f"stores up in {base}; SIGTERM or Ctrl-C stops them", file=sys.stderr, flush=True)
        while True:
            signal.pause()
    except _Stop as e:
        print(f"{e}: stopping stores", file=sys.stderr, flush=True)
        return 0
    except Exception as e:  # report a failed start as a message, not a traceback
        print(f"starting stores failed: {e}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for server in reversed(servers):
            server.stop()
        if env_file is not None:
            env_file.unlink(missing_ok=True)
        if temp:
            shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dev.stores", description="Start or install the real stores.")
    parser.add_argument("command", choices=["up", "install"])
    parser.add_argument("names", nargs="*", metavar="store", help=f"any of {', '.join(STORES)} (default: all)")
    parser.add_argument("--dir", type=Path, help="parent directory of the stores' data (default: a temp dir)")
    parser.add_argument("--env-file", type=Path, help="write the connection variables to this file when ready")
    args = parser.parse_args(argv)
    names: list[str] = list(dict.fromkeys(args.names)) or list(STORES)
    unknown = [n for n in names if n not in STORES]
    if unknown:
        parser.error(f"unknown store(s): {', '.join(unknown)}; choose from {', '.join(STORES)}")
    if args.command == "install":
        install(names)
        return 0
    return up(names, args.dir, args.env_file)


if __name__ == "__main__":
    sys.exit(main())
