"""The repair worker: makes both stores of a journaled key agree, newest version wins.

It never replays the failed operation. It reads the key from both stores and copies the record with
the higher version (document or tombstone) onto the other with the "never overwrite newer" rule —
so it is idempotent, safe with several sidecars working the same journal, and it also performs
read-repair (a key the new store lacks gets the old store's copy).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from proxy.errors import DataAccessError
from proxy.repair.journal import Entry, Journal
from proxy.routing.route import Route
from proxy.routing.stats import Stats
from proxy.telemetry import metrics

log = logging.getLogger("proxy.repair")


async def reconcile(route: Route, key: str) -> bool:
    """Copy the newer of the two stores' records of ``key`` onto the other. Returns whether a copy
    was needed. Raises `DataAccessError` if either store fails."""
    if route.new is None:
        return False
    old, new = await asyncio.gather(route.old.collection.get([key]), route.new.collection.get([key]))
    o, n = old.get(key), new.get(key)
    ov, nv = (o.version if o else 0), (n.version if n else 0)
    if ov > nv and o is not None:
        await route.new.collection.copy(o)
        return True
    if nv > ov and n is not None:
        await route.old.collection.copy(n)
        return True
    return False


class RepairWorker:
    def __init__(self, journal: Journal, routes: Callable[[], Mapping[str, Route]], stats: Stats,
                 interval: float = 0.25, concurrency: int = 16, batch: int = 200) -> None:
        self.journal, self.routes, self.stats = journal, routes, stats
        self.interval, self.batch = interval, batch
        self._sem = asyncio.Semaphore(concurrency)
        self._last_backlog = 0.0
        self._idle_rounds = 0
        self._journal_down = False
        self.wake = asyncio.Event()

    async def run(self) -> None:
        while True:
            worked = 0
            try:
                await self.journal.flush()
                entries = await self.journal.due(self.batch)
                worked = len(entries)
                results = await asyncio.gather(*(self._one(e) for e in entries))
                if entries and not any(results):  # every repair failed: a store is down, ease off
                    self._idle_rounds = min(self._idle_rounds + 1, 8)
                    worked = 0
                    await asyncio.sleep(0.25 * self._idle_rounds)
                else:
                    self._idle_rounds = 0
                if time.monotonic() - self._last_backlog > 1.0 or worked:
                    await self.refresh_backlog()
                if self._journal_down:
                    self._journal_down = False
                    log.warning("repair journal reachable again")
            except Exception as e:  # the loop must outlive any one failure
                if not isinstance(e, DataAccessError):
                    log.exception("repair loop error")
                elif not self._journal_down:  # once per outage, not every poll
                    self._journal_down = True
                    log.warning("repair journal unavailable (%s); entries wait in memory", type(e).__name__)
            if worked < self.batch:
                self.wake.clear()
                try:
                    await asyncio.wait_for(self.wake.wait(), self.interval)
                except TimeoutError:
                    pass

    async def refresh_backlog(self) -> None:
        self._last_backlog = time.monotonic()
        for entity, (count, oldest) in (await self.journal.backlog(list(self.routes()))).items():
            self.stats.backlog(entity, count, oldest)

    async def work_off(self, entities: list[str], timeout: float) -> dict[str, int]:
        """Repair every journaled key of ``entities`` now (used before authority moves); returns
        how many entries per entity are still pending when done or when ``timeout`` runs out."""
        wanted = set(entities)
        deadline = time.monotonic() + timeout
        try:
            await self.journal.flush()
            while time.monotonic() < deadline:
                entries = [e for e in await self.journal.due(10_000, ignore_delay=True) if e.entity in wanted]
                if not entries:
                    break
                await asyncio.gather(*(self._one(e) for e in entries))
                await asyncio.sleep(0.05)  # entries that failed come back at once: pace the retries
            counts = await self.journal.backlog(entities)
        except DataAccessError:
            return {e: -1 for e in entities}
        return {e: counts.get(e, (0, None))[0] for e in entities}

    async def _one(self, entry: Entry) -> bool:
        """Repair one key; True when it was done."""
        async with self._sem:
            route = self.routes().get(entry.entity)
            if route is None:
                log.warning("repair entry for unknown entity %s kept", entry.entity)
                return False
            try:
                await reconcile(route, entry.key)
            except Exception as e:  # any failure (mapped or not) retries later; the entry stays
                if not isinstance(e, DataAccessError):
                    log.exception("repair of an %s key failed unexpectedly", entry.entity)
                delay = min(0.5 * 2 ** min(entry.attempts, 6), 30.0)
                metrics.REPAIRS.labels(entry.entity, "retry").inc()
                await self.journal.retry_later(entry, delay, type(e).__name__)
                return False
            metrics.REPAIRS.labels(entry.entity, "done").inc()
            await self.journal.done(entry)
            return True
