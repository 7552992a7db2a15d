"""The `dataaccess` command: serve, and operator tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _serve(args: argparse.Namespace) -> int:
    from proxy.server import run
    from proxy.settings import Settings

    return run(Settings.from_env(config=args.config, listen=args.listen, metrics=args.metrics, grace=args.grace,
                                 poll=args.poll, drain_delay=args.drain_delay))


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
        if args.json:
            print(json.dumps({"file": args.file, "ok": False, "issues": e.issues}))
        print(f"{args.file}: {len(e.issues)} issue(s)", file=sys.stderr)
        for issue in e.issues:
            print(f"  {issue}", file=sys.stderr)
        return 1
    print(json.dumps({"file": args.file, "ok": True, "issues": []}) if args.json else f"{args.file}: ok")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    """Print (never run) the DDL an existing PostgreSQL table needs: a version column."""
    from proxy.backends.postgres.sql import ident

    table, schema, column = args.table, args.schema, args.version_column
    if args.config:
        from proxy.config.validate import parse

        config = parse(Path(args.config).read_text())
        entity = config.entities.get(args.entity)
        if entity is None:
            print(f"unknown entity {args.entity!r}", file=sys.stderr)
            return 2
        mappings = [m for m in (entity.old, entity.new) if m and config.backends[m.backend].kind == "postgres"]
        if not mappings:
            print(f"entity {args.entity!r} has no PostgreSQL store", file=sys.stderr)
            return 2
        table = table or mappings[0].table
        schema = mappings[0].schema_name or schema
        column = mappings[0].version_column
    if not table:
        print("give --config or --table", file=sys.stderr)
        return 2
    print(f"ALTER TABLE {ident(schema)}.{ident(table)} ADD COLUMN IF NOT EXISTS {ident(column)} "
          "bigint NOT NULL DEFAULT 1;")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dataaccess", description="DataAccess proxy")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the sidecar")
    s.add_argument("--config", type=Path, help="rules file (default: the embedded SQLite config)")
    s.add_argument("--listen", help="host:port to serve gRPC on (default 127.0.0.1:50051)")
    s.add_argument("--metrics", help="host:port for the Prometheus endpoint (default: off)")
    s.add_argument("--grace", type=float, help="seconds to let calls finish on SIGTERM (default 10)")
    s.add_argument("--poll", type=float, help="seconds between config file checks (default 2; SIGHUP reloads at once)")
    s.add_argument("--drain-delay", type=float, help="seconds after SIGTERM that new calls are still served "
                   "before they are refused (default 0.5; part of --grace)")
    s.set_defaults(fn=_serve)
    c = sub.add_parser("config", help="work with rules files")
    csub = c.add_subparsers(dest="config_command", required=True)
    v = csub.add_parser("validate", help="check a rules file offline; exit 1 listing every issue")
    v.add_argument("file")
    v.add_argument("--previous", help="the rules in force now, to check that phase moves are single steps")
    v.add_argument("--json", action="store_true", help='print {"file", "ok", "issues"} as JSON')
    v.set_defaults(fn=_validate)
    pr = sub.add_parser("prepare", help="print the DDL an existing PostgreSQL table needs (run it yourself)")
    pr.add_argument("entity")
    pr.add_argument("--config", help="rules file naming the entity's table")
    pr.add_argument("--table")
    pr.add_argument("--schema", default="public")
    pr.add_argument("--version-column", default="dataaccess_version")
    pr.set_defaults(fn=_prepare)
    from proxy.cli import health, migrate, ops

    health.add_parser(sub)
    migrate.add_parsers(sub)
    ops.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.fn(args)
    return result
