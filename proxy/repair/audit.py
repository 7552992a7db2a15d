"""The write audit: a second look at keys copied to the secondary, once writes to them settle.

"Newer version wins" is enforced by the secondary store's conditional write. A store that does not
apply conditional writes atomically (FerretDB 1.x and other wire-compatible stand-ins — measured), or
anything else that changes the secondary behind the proxy's back, can leave an older version there
with no error anywhere. With ``writes.audit`` > 0 that share of written keys (by stable key hash) is
re-read on both stores ``writes.audit_delay`` after its last write; keys whose versions differ go to
the repair journal like any failed write. Bounded: beyond `LIMIT` pending keys new ones are dropped
and counted (``dataaccess_audits_total{result="shed"}``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from proxy.errors import DataAccessError
from proxy.repair.journal import Journal
from proxy.routing.hashing import fraction
from proxy.routing.route import Route
from proxy.telemetry import metrics

log = logging.getLogger("proxy.repair")
LIMIT = 100_000


class Auditor:
    def __init__(self, journal: Journal, routes: Callable[[], Mapping[str, Route]], concurrency: int = 16) -> None:
        self.journal, self.routes = journal, routes
        self._due: dict[tuple[str, str], float] = {}
        self._sem = asyncio.Semaphore(concurrency)

    def note(self, route: Route, key: str) -> None:
        """A copy of ``key`` reached the secondary: audit it once writes to it have settled."""
        writes = route.config.writes
        if writes.audit <= 0 or fraction("audit", route.entity, key) >= writes.audit:
            return
        item = (route.entity, key)
        if item not in self._due and len(self._due) >= LIMIT:
            metrics.AUDITS.labels(route.entity, "shed").inc()
            return
        self._due.pop(item, None)  # re-inserted at the end: the dict stays ordered by due time
        self._due[item] = time.monotonic() + writes.audit_delay

    @property
    def pending(self) -> int:
        return len(self._due)

    async def run(self, interval: float = 0.25) -> None:
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            due = []
            for item, at in self._due.items():
                if at > now:
                    break
                due.append(item)
            for item in due:
                del self._due[item]
            results = await asyncio.gather(*(self._check(entity, key) for entity, key in due), return_exceptions=True)
            for r in results:
                if isinstance(r, Exception):  # never let one bad check stop the audit
                    log.error("write audit check failed", exc_info=r)

    async def _check(self, entity: str, key: str) -> None:
        async with self._sem:
            route = self.routes().get(entity)
            if route is None or route.new is None or route.rules.secondary is None:
                return
            try:
                old, new = await asyncio.gather(route.old.collection.get([key]), route.new.collection.get([key]))
            except DataAccessError:
                result = "unreadable"
            else:
                o, n = old.get(key), new.get(key)
                agree = (o.version if o else 0) == (n.version if n else 0)
                result = "agree" if agree else "diverged"
            metrics.AUDITS.labels(entity, result).inc()
            if result != "agree":
                await self.journal.enqueue(entity, key, f"AUDIT_{result.upper()}")
