"""Per-entity counters the Admin API shows, kept across config reloads (Prometheus has the rest)."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field
from statistics import quantiles

from proxy.routing.diff import Comparison, Outcome
from proxy.telemetry import metrics


@dataclass(frozen=True)
class MismatchRecord:
    entity: str
    key_hash: str
    comparison: Comparison
    at: float
    rules_version: str
    trace_id: str


def percentiles(samples: deque[float]) -> tuple[float, float]:
    if not samples:
        return (0.0, 0.0)
    if len(samples) == 1:
        return (samples[0], samples[0])
    q = quantiles(samples, n=100, method="inclusive")
    return (q[49], q[98])


@dataclass
class EntityStats:
    comparisons: Counter[str] = field(default_factory=Counter)
    fallbacks: int = 0
    secondary_failures: int = 0
    latency: dict[str, deque[float]] = field(
        default_factory=lambda: {"old": deque(maxlen=4096), "new": deque(maxlen=4096)})
    mismatches: deque[MismatchRecord] = field(default_factory=lambda: deque(maxlen=128))
    overlap_sum: float = 0.0
    overlap_count: int = 0
    backlog: int = 0
    backlog_oldest: float = 0.0

    @property
    def consistency(self) -> float:
        c = self.comparisons
        judged = c["match"] + c["mismatch"] + c["missing_new"] + c["missing_old"]
        return c["match"] / judged if judged else 1.0

    @property
    def search_overlap(self) -> float:
        return self.overlap_sum / self.overlap_count if self.overlap_count else 1.0


class Stats:
    def __init__(self) -> None:
        self.entities: dict[str, EntityStats] = {}

    def of(self, entity: str) -> EntityStats:
        s = self.entities.get(entity)
        if s is None:
            s = self.entities[entity] = EntityStats()
        return s

    def latency(self, entity: str, side: str, role: str, seconds: float) -> None:
        self.of(entity).latency[side].append(seconds)
        metrics.STORE_LATENCY.labels(entity, side, role).observe(seconds)

    def compared(self, entity: str, outcome: Outcome) -> None:
        self.of(entity).comparisons[outcome.value] += 1
        metrics.COMPARISONS.labels(entity, outcome.value).inc()

    def mismatch(self, record: MismatchRecord) -> None:
        self.of(record.entity).mismatches.appendleft(record)

    def overlap(self, entity: str, ratio: float) -> None:
        s = self.of(entity)
        s.overlap_sum += ratio
        s.overlap_count += 1

    def fallback(self, entity: str, cause: str) -> None:
        self.of(entity).fallbacks += 1
        metrics.FALLBACKS.labels(entity, cause).inc()

    def secondary_failure(self, entity: str) -> None:
        self.of(entity).secondary_failures += 1
        metrics.SECONDARY_FAILURES.labels(entity).inc()

    def backlog(self, entity: str, count: int, oldest_enqueued: float | None) -> None:
        s = self.of(entity)
        s.backlog = count
        s.backlog_oldest = oldest_enqueued or 0.0
        metrics.BACKLOG.labels(entity).set(count)
        metrics.BACKLOG_AGE.labels(entity).set(time.time() - oldest_enqueued if oldest_enqueued else 0.0)
