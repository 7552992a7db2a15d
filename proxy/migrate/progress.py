"""Progress of a backfill or verify: one frozen value, a meter that produces it, and its renderings
(a one-line bar for a terminal, a JSON line for machines, a summary at the end)."""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from proxy.models import Segment
from proxy.routing.diff import Comparison

DIVERGENT = ("mismatch", "stale", "missing_new", "missing_old")
"""Verify outcomes that mean the stores disagree."""


@dataclass(frozen=True)
class Sample:
    """One divergent key as verify shows it: field paths with values, redacted ones as <redacted>."""

    key: str
    comparison: Comparison


@dataclass(frozen=True)
class Progress:
    kind: str
    """backfill or verify"""
    entity: str
    segment: Segment = field(default_factory=Segment)
    state: str = "running"
    """running, succeeded, failed or stopped"""
    processed: int = 0
    copied: int = 0
    skipped_newer: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)
    """verify: match, mismatch, stale, missing_new, missing_old; with --fix also fixed, queued."""
    total: int | None = None
    """An estimate (the source store's count, shared among segments); None while unknown."""
    elapsed: float = 0.0
    docs_per_second: float = 0.0
    cursor: str | None = None
    """The last key done (a backfill resumes after it)."""
    paused: float = 0.0
    """The latency back-off's current pause between pages, seconds."""
    error: str = ""
    note: str = ""
    samples: tuple[Sample, ...] = ()
    reverse: bool = False

    @property
    def eta(self) -> float | None:
        if self.total is None or self.docs_per_second <= 0 or self.state != "running":
            return None
        return max(0, self.total - self.processed) / self.docs_per_second

    @property
    def divergent(self) -> int:
        return sum(self.outcomes.get(o, 0) for o in DIVERGENT)

    @property
    def remaining_divergence(self) -> int:
        """Divergent keys that verify --fix did not repair (all of them without --fix)."""
        return max(0, self.divergent - self.outcomes.get("fixed", 0))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind, "entity": self.entity, "segment": self.segment.index, "segments": self.segment.count,
            "state": self.state, "processed": self.processed, "total": self.total,
            "docs_per_second": round(self.docs_per_second, 1), "elapsed": round(self.elapsed, 3),
            "eta": None if self.eta is None else round(self.eta, 1), "cursor": self.cursor}
        if self.kind == "backfill":
            out |= {"copied": self.copied, "skipped_newer": self.skipped_newer, "paused": round(self.paused, 3),
                    "reverse": self.reverse}
        else:
            out |= {"outcomes": dict(self.outcomes), "divergent": self.divergent,
                    "samples": [sample_json(s) for s in self.samples]}
        if self.error:
            out["error"] = self.error
        if self.note:
            out["note"] = self.note
        return out


def sample_json(s: Sample) -> dict[str, Any]:
    c = s.comparison
    return {"key": s.key, "outcome": c.outcome.value, "old_version": c.old_version, "new_version": c.new_version,
            "diffs": [{"path": d.path, "old": d.old, "new": d.new} for d in c.diffs]}


class Meter:
    """Turns counters into `Progress` with a docs/s over the last `window` seconds."""

    def __init__(self, base: Progress, window: float = 10.0) -> None:
        self.base = base
        self.window = window
        self.started = time.monotonic()
        self._points: deque[tuple[float, int]] = deque()
        self._start_processed = base.processed

    def update(self, **changes: Any) -> Progress:
        now = time.monotonic()
        self.base = replace(self.base, **changes, elapsed=now - self.started)
        self._points.append((now, self.base.processed))
        while len(self._points) > 2 and now - self._points[0][0] > self.window:
            self._points.popleft()
        t0, n0 = self._points[0]
        if now - t0 > 0.05:
            rate = (self.base.processed - n0) / (now - t0)
        else:
            run = self.base.processed - self._start_processed
            rate = run / self.base.elapsed if self.base.elapsed > 0 else 0.0
        self.base = replace(self.base, docs_per_second=rate)
        return self.base


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def bar(p: Progress, width: int = 30) -> str:
    """One terminal line: what, a bar, done/total, docs/s, ETA."""
    total = max(p.total or 0, p.processed)
    what = f"{p.kind} {p.entity}" + (" (new → old)" if p.reverse else "")
    if p.segment.count > 1:
        what += f" [{p.segment.index + 1}/{p.segment.count}]"
    if total:
        filled = width * p.processed / total
        meter = "█" * int(filled) + ("▌" if filled - int(filled) >= 0.5 else "")
        meter = f"|{meter.ljust(width)}| {100 * p.processed / total:3.0f}% {p.processed:,}/{total:,}"
    else:
        meter = f"{p.processed:,}"
    tail = f"{p.docs_per_second:,.0f} docs/s ETA {_clock(p.eta)}"
    if p.kind == "verify" and p.divergent:
        tail += f" divergent {p.divergent:,}"
    if p.paused:
        tail += f" (backing off {p.paused:.1f}s/page)"
    return f"{what} {meter} {tail}"


def summary(p: Progress) -> list[str]:
    """The end-of-run report, one line per item."""
    head = f"{p.kind} {p.entity}" + (f" segment {p.segment.index}/{p.segment.count}" if p.segment.count > 1 else "")
    rate = f"in {p.elapsed:.1f}s ({p.processed / p.elapsed if p.elapsed else 0:,.0f} docs/s)"
    if p.kind == "backfill":
        lines = [f"{head}: {p.state}, {p.processed:,} processed, {p.copied:,} copied, "
                 f"{p.skipped_newer:,} skipped (the target already held that version or newer) {rate}"]
    else:
        o = p.outcomes
        lines = [f"{head}: {p.state}, {p.processed:,} processed {rate}",
                 f"  matched {o.get('match', 0):,}  mismatched {o.get('mismatch', 0):,}  stale {o.get('stale', 0):,}"
                 f"  missing in old {o.get('missing_old', 0):,}  missing in new {o.get('missing_new', 0):,}"]
        if "fixed" in o or "queued" in o:
            lines.append(f"  fixed {o.get('fixed', 0):,}  queued for repair {o.get('queued', 0):,}")
        for s in p.samples:
            c = s.comparison
            lines.append(f"  {c.outcome.value:<12} {s.key}  old v{c.old_version} new v{c.new_version}")
            lines += [f"      {d.path}: {d.old if d.old is not None else '(absent)'} → "
                      f"{d.new if d.new is not None else '(absent)'}" for d in c.diffs]
    if p.note:
        lines.append(f"  note: {p.note}")
    if p.error:
        lines.append(f"  error: {p.error}")
    return lines


def json_line(p: Progress) -> str:
    return json.dumps(p.as_json(), sort_keys=True)
