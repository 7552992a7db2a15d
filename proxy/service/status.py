"""Per-entity status as the Admin API and the CLI show it."""

from __future__ import annotations

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy.routing.route import Route
from proxy.routing.stats import EntityStats, MismatchRecord, percentiles


def route_status(route: Route, s: EntityStats, held_in_memory: int = 0) -> apb.RouteStatus:
    def latency(side: str) -> apb.Latency:
        p50, p99 = percentiles(s.latency[side])
        return apb.Latency(p50_ms=p50 * 1000, p99_ms=p99 * 1000, count=len(s.latency[side]))

    return apb.RouteStatus(
        entity=route.entity, phase=route.phase.value, old_backend=route.old.backend,
        new_backend=route.new.backend if route.new else "", comparisons=dict(s.comparisons),
        consistency=s.consistency, fallbacks=s.fallbacks, repair_backlog=s.backlog,
        repair_oldest_age_seconds=_age(s.backlog_oldest), secondary_failures=s.secondary_failures,
        new_percent=route.config.reads.new_percent, shadow_sample=route.config.reads.shadow_sample,
        old_latency=latency("old"), new_latency=latency("new"), search_overlap=s.search_overlap,
        repair_held_in_memory=held_in_memory)


def _age(oldest: float) -> float:
    import time

    return max(0.0, time.time() - oldest) if oldest else 0.0


def mismatch(m: MismatchRecord) -> apb.Mismatch:
    return apb.Mismatch(
        entity=m.entity, key_hash=m.key_hash, outcome=m.comparison.outcome.value, at=m.at,
        rules_version=m.rules_version, trace_id=m.trace_id,
        diffs=[apb.FieldDiff(path=d.path, old=d.old or "", new=d.new or "") for d in m.comparison.diffs])
