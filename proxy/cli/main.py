"""The `dataaccess` command: serve, and operator tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    from proxy.server import run
    from proxy.settings import Settings

    return run(Settings.from_env(config=args.config, listen=args.listen, metrics=args.metrics, grace=args.grace,
                                 poll=args.poll))


def _validate(args: argparse.Namespace) -> int:
    from proxy.config.validate import parse
    from proxy.errors import ConfigError

    previous = None
    try:
        if args.previous:
            previous = parse(Path(args.previous).read_text())
        parse(Path(args.file).read_text(), previous)
    except OSError as e:
        print(f"{args.file}: {e.strerror}", file=sys.stderr)
        return 2
    except ConfigError as e:
        print(f"{args.file}: {len(e.issues)} issue(s)", file=sys.stderr)
        for issue in e.issues:
            print(f"  {issue}", file=sys.stderr)
        return 1
    print(f"{args.file}: ok")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dataaccess", description="DataAccess proxy")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the sidecar")
    s.add_argument("--config", type=Path, help="rules file (default: the embedded SQLite config)")
    s.add_argument("--listen", help="host:port to serve gRPC on (default 127.0.0.1:50051)")
    s.add_argument("--metrics", help="host:port for the Prometheus endpoint (default: off)")
    s.add_argument("--grace", type=float, help="seconds to let calls finish on SIGTERM (default 10)")
    s.add_argument("--poll", type=float, help="seconds between config file checks (default 2)")
    s.set_defaults(fn=_serve)
    c = sub.add_parser("config", help="work with rules files")
    csub = c.add_subparsers(dest="config_command", required=True)
    v = csub.add_parser("validate", help="check a rules file offline; exit 1 listing every issue")
    v.add_argument("file")
    v.add_argument("--previous", help="the rules in force now, to check that phase moves are single steps")
    v.set_defaults(fn=_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.fn(args)
    return result
