"""Operator commands against a running sidecar's Admin API: `status`, `routes`, `repair status`, and
`plan` (in `proxy.cli.plan`, which also works offline from a rules file).

Every command prints a table for people, or with ``--json`` one JSON document for scripts. The
sidecar is found at ``--address``, else ``$DATAACCESS_ADDRESS``, else the address ``$DATAACCESS_LISTEN``
names (wildcard hosts as loopback), else 127.0.0.1:50051.

Exit codes: 0 done; 1 the answer is "no" (a plan the sidecar would refuse); 2 bad usage or input
(unknown entity, unreadable or invalid rules file); 3 the sidecar could not be reached or answered an
error (mapped in `FAILURES`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import grpc

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy._gen.dataaccess.admin.v1 import admin_pb2_grpc as apb_grpc

DEFAULT_ADDRESS = "127.0.0.1:50051"
EXIT_OK, EXIT_NO, EXIT_USAGE, EXIT_REMOTE = 0, 1, 2, 3
# What a failed Admin call means to an operator; anything else is shown as CODE: details.
FAILURES: dict[grpc.StatusCode, str] = {
    grpc.StatusCode.UNAVAILABLE: "cannot reach the sidecar (is it running, is the address right?)",
    grpc.StatusCode.DEADLINE_EXCEEDED: "the sidecar did not answer in time",
    grpc.StatusCode.UNIMPLEMENTED: "the sidecar does not serve this Admin call (an older version?)",
    grpc.StatusCode.PERMISSION_DENIED: "the sidecar refused the call",
}


class Failed(Exception):
    """A command cannot go on; ``code`` is the process exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def address(args: argparse.Namespace) -> str:
    if args.address:
        return str(args.address)
    if os.environ.get("DATAACCESS_ADDRESS"):
        return os.environ["DATAACCESS_ADDRESS"]
    if os.environ.get("DATAACCESS_LISTEN"):
        from proxy.cli.health import target

        return target(os.environ["DATAACCESS_LISTEN"])
    return DEFAULT_ADDRESS


@dataclass(frozen=True)
class State:
    """What a sidecar reports: its rules and every entity's state."""

    address: str
    config: apb.GetConfigResponse
    routes: tuple[apb.RouteStatus, ...]


def fetch(addr: str, timeout: float) -> State:
    """Ask the sidecar at ``addr`` for its rules and routes; `Failed` if it cannot answer."""
    with grpc.insecure_channel(addr) as channel:
        stub = apb_grpc.AdminServiceStub(channel)
        try:
            config: apb.GetConfigResponse = stub.GetConfig(apb.GetConfigRequest(), timeout=timeout)
            routes: apb.ListRoutesResponse = stub.ListRoutes(apb.ListRoutesRequest(), timeout=timeout)
        except grpc.RpcError as e:
            code = e.code() if isinstance(e, grpc.Call) else grpc.StatusCode.UNKNOWN
            details = e.details() if isinstance(e, grpc.Call) else ""
            raise Failed(f"{addr}: {FAILURES.get(code) or f'{code.name}: {details}'}", EXIT_REMOTE) from None
    return State(addr, config, tuple(routes.routes))


# -- formatting ------------------------------------------------------------------------------------
def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in (header, *rows))


def age(seconds: float) -> str:
    if seconds <= 0:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{seconds:.0f}s" if seconds >= 1 else "<1s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def judged(r: apb.RouteStatus) -> int:
    """Comparisons that count towards consistency (the ones the proto's `consistency` divides by)."""
    return sum(r.comparisons.get(k, 0) for k in ("match", "mismatch", "missing_new", "missing_old"))


def latency(lat: apb.Latency) -> dict[str, Any]:
    return {"p50_ms": round(lat.p50_ms, 3), "p99_ms": round(lat.p99_ms, 3), "count": lat.count}


def rules_line(s: State) -> str:
    c = s.config
    line = (f"rules {c.rules_version} from {c.source}, loaded {age(time.time() - c.loaded_at)} ago; "
            f"reloads: {c.reloads_accepted} accepted, {c.reloads_rejected} rejected")
    if c.HasField("last_error"):
        issues = list(c.last_error.issues)
        more = f" (+{len(issues) - 1} more)" if len(issues) > 1 else ""
        line += f"\nlast reload rejected {age(time.time() - c.last_error.at)} ago: {issues[0] if issues else ''}{more}"
    return line


def config_json(s: State) -> dict[str, Any]:
    c = s.config
    return {"address": s.address, "rules_version": c.rules_version, "source": c.source, "loaded_at": c.loaded_at,
            "reloads": {"accepted": c.reloads_accepted, "rejected": c.reloads_rejected},
            "last_error": {"at": c.last_error.at, "issues": list(c.last_error.issues)}
            if c.HasField("last_error") else None}


def emit(args: argparse.Namespace, data: dict[str, Any], text: Callable[[], str]) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else text())


# -- commands --------------------------------------------------------------------------------------
def status(args: argparse.Namespace) -> int:
    s = fetch(address(args), args.timeout)
    rows = []
    for r in s.routes:
        n = judged(r)
        rows.append([r.entity, r.phase, f"{r.consistency:.1%}" if n else "-", str(n),
                     _ms(r.old_latency), _ms(r.new_latency) if r.new_backend else "-", str(r.fallbacks),
                     str(r.repair_backlog)])
    data = {**config_json(s), "entities": [{
        "entity": r.entity, "phase": r.phase, "consistency": r.consistency if judged(r) else None,
        "compared": judged(r), "comparisons": dict(sorted(r.comparisons.items())),
        "old_latency": latency(r.old_latency), "new_latency": latency(r.new_latency), "fallbacks": r.fallbacks,
        "repair_backlog": r.repair_backlog, "repair_oldest_age_seconds": r.repair_oldest_age_seconds,
        "secondary_failures": r.secondary_failures} for r in s.routes]}
    emit(args, data, lambda: table(["ENTITY", "PHASE", "CONSISTENCY", "COMPARED", "OLD p50/p99 ms",
                                    "NEW p50/p99 ms", "FALLBACKS", "BACKLOG"], rows) + "\n\n" + rules_line(s))
    return EXIT_OK


def _ms(lat: apb.Latency) -> str:
    return f"{lat.p50_ms:.1f}/{lat.p99_ms:.1f}" if lat.count else "-"


def routes(args: argparse.Namespace) -> int:
    from proxy.cli.plan import describe, parsed

    s = fetch(address(args), args.timeout)
    config = parsed(s.config.yaml)
    rows, entities = [], []
    for r in s.routes:
        e = config.entities.get(r.entity) if config else None
        d = describe(r.phase, e)
        kinds = {n: b.kind for n, b in config.backends.items()} if config else {}
        old = f"{r.old_backend} ({kinds[r.old_backend]})" if r.old_backend in kinds else r.old_backend
        new = f"{r.new_backend} ({kinds[r.new_backend]})" if r.new_backend in kinds else (r.new_backend or "-")
        rows.append([r.entity, r.phase, old, new, d["writes"]["summary"], d["reads"]["summary"]])
        entities.append({"entity": r.entity, "phase": r.phase, "old_backend": r.old_backend,
                         "new_backend": r.new_backend or None, "new_percent": r.new_percent,
                         "shadow_sample": r.shadow_sample, "writes": d["writes"], "reads": d["reads"]})
    emit(args, {**config_json(s), "routes": entities},
         lambda: table(["ENTITY", "PHASE", "OLD", "NEW", "WRITES", "READS"], rows) + "\n\n" + rules_line(s))
    return EXIT_OK


def repair_status(args: argparse.Namespace) -> int:
    from proxy.cli.plan import parsed

    s = fetch(address(args), args.timeout)
    config = parsed(s.config.yaml)
    journal = None
    if config is not None:
        b = config.journal.backend
        journal = {"backend": b, "kind": config.backends[b].kind if b in config.backends else None,
                   "table": config.journal.table}
    rows = [[r.entity, r.phase, str(r.repair_backlog), age(r.repair_oldest_age_seconds),
             str(r.repair_held_in_memory), str(r.secondary_failures)] for r in s.routes]
    data = {"address": s.address, "rules_version": s.config.rules_version, "journal": journal,
            "entities": [{"entity": r.entity, "phase": r.phase, "backlog": r.repair_backlog,
                          "oldest_age_seconds": r.repair_oldest_age_seconds,
                          "held_in_memory": r.repair_held_in_memory, "secondary_failures": r.secondary_failures}
                         for r in s.routes],
            "total_backlog": sum(r.repair_backlog for r in s.routes),
            "total_held_in_memory": sum(r.repair_held_in_memory for r in s.routes)}

    def text() -> str:
        out = table(["ENTITY", "PHASE", "BACKLOG", "OLDEST", "HELD IN MEMORY", "SECONDARY FAILURES"], rows)
        if journal:
            out += f"\n\njournal: backend {journal['backend']} ({journal['kind']}), table {journal['table']}"
        if data["total_held_in_memory"]:
            out += ("\nkeys held in memory are lost if this sidecar stops before the journal store is back "
                    "(`dataaccess verify --fix` finds them)")
        return out
    emit(args, data, text)
    return EXIT_OK


def run(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """The command with `Failed` turned into its message on stderr and its exit code."""
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except Failed as e:
            if getattr(args, "json", False):
                print(json.dumps({"error": e.message}))
            print(e.message, file=sys.stderr)
            return e.code
    return wrapped


def common(p: argparse.ArgumentParser, address_help: str = "the sidecar's host:port") -> None:
    p.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    p.add_argument("--address", help=f"{address_help} (default: $DATAACCESS_ADDRESS, else $DATAACCESS_LISTEN, "
                   f"else {DEFAULT_ADDRESS})")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the sidecar (default 5)")


def _plan(args: argparse.Namespace) -> int:
    from proxy.cli.plan import plan

    return plan(args)


def add_parsers(sub: Any) -> None:
    """Register `status`, `routes`, `plan` and `repair status` on the CLI's subparsers."""
    from proxy.routing.phases import Phase

    s = sub.add_parser("status", help="each entity's phase, consistency, latency, fallbacks and repair backlog")
    common(s)
    s.set_defaults(fn=run(status))
    r = sub.add_parser("routes", help="each entity's stores, and what its writes and reads do in its phase")
    common(r)
    r.set_defaults(fn=run(routes))
    p = sub.add_parser("plan", help="dry run of a phase move: what reads and writes will do, whether it is "
                       "allowed, and the change to make to the rules file")
    p.add_argument("entity")
    p.add_argument("--to", required=True, choices=[ph.value for ph in Phase], help="the phase to move to")
    p.add_argument("--config", help="plan from this rules file (offline) instead of the sidecar's rules")
    common(p, "the sidecar whose rules to plan from; with --config, given explicitly, a sidecar to also ask for "
              "its phase, consistency and backlog")
    p.set_defaults(fn=run(_plan))
    rp = sub.add_parser("repair", help="the repair journal")
    rsub = rp.add_subparsers(dest="repair_command", required=True)
    rs = rsub.add_parser("status", help="repair backlog per entity, its oldest entry, keys held in memory")
    common(rs)
    rs.set_defaults(fn=run(repair_status))
