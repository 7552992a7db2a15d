"""How fast a backfill may go: a rate limit, and a back-off when the store written to slows down.

Both are pure (the caller passes the clock) so they are tested without sleeping.

Latency back-off (chosen, and why): the signal is the *cost per document* of each page's copies —
the page's copy time divided by its documents — because pages are copied in bulk or concurrently, so
a single call's latency says little. The guard keeps the median of the last `WINDOW` pages. Its
threshold is ``max_latency`` seconds per document when the operator gives one, else automatic:
`FACTOR` × the median of the first `BASELINE` pages (stores differ by orders of magnitude, so only a
relative threshold works without tuning). While the median is above the threshold the pause between
pages doubles (from `FIRST_PAUSE` up to `MAX_PAUSE`); once it is back under, the pause halves — the
usual additive/multiplicative back-off that lets the store's own traffic (the dual writes) through
first.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field

WINDOW = 8
BASELINE = 5
FACTOR = 3.0
FIRST_PAUSE = 0.1
MAX_PAUSE = 10.0


@dataclass
class RateLimit:
    """A token bucket: at most ``rate`` documents per second, bursts up to one second's worth.
    ``rate`` 0 means unlimited."""

    rate: float
    tokens: float = 0.0
    updated: float | None = None

    def delay(self, n: int, now: float) -> float:
        """Take ``n`` documents' worth; seconds to wait before sending them (0: go now)."""
        if self.rate <= 0:
            return 0.0
        if self.updated is None:
            self.tokens, self.updated = self.rate, now
        self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= n
        return max(0.0, -self.tokens / self.rate)


@dataclass
class LatencyGuard:
    """Pause between pages while the median cost per document is above the threshold."""

    max_latency: float = 0.0
    """Seconds per document; 0: `FACTOR` × the baseline of the first pages."""
    pause: float = 0.0
    baseline: float | None = None
    _first: list[float] = field(default_factory=list)
    _recent: deque[float] = field(default_factory=lambda: deque(maxlen=WINDOW))

    @property
    def threshold(self) -> float | None:
        if self.max_latency > 0:
            return self.max_latency
        return self.baseline * FACTOR if self.baseline is not None else None

    @property
    def median(self) -> float:
        return statistics.median(self._recent) if self._recent else 0.0

    def observe(self, seconds: float, docs: int) -> float:
        """Record one page's copy time; returns the pause to take before the next page."""
        if docs <= 0:
            return self.pause
        per_doc = seconds / docs
        self._recent.append(per_doc)
        if self.baseline is None and self.max_latency <= 0:
            self._first.append(per_doc)
            if len(self._first) >= BASELINE:
                self.baseline = statistics.median(self._first)
        limit = self.threshold
        if limit is not None and self.median > limit:
            self.pause = min(MAX_PAUSE, max(FIRST_PAUSE, self.pause * 2))
        elif self.pause:
            self.pause = self.pause / 2 if self.pause / 2 >= FIRST_PAUSE / 4 else 0.0
        return self.pause
