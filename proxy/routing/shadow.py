"""Shadow reads: compare the other store's answer with the one the caller got, off the hot path.

The shadow read is spawned at the same moment as the caller's read and never delays it. Per entity
at most ``reads.shadow_concurrency`` comparisons run at once; beyond that they are counted as
``shed`` and dropped — never queued without bound. Every shadow-side failure goes to one place
(`_run`'s handler): counted as ``shadow_error`` and logged, never raised to a caller.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from proxy.errors import DataAccessError
from proxy.models import Document
from proxy.routing.background import Background
from proxy.routing.diff import Comparison, Outcome, compare, overlap
from proxy.routing.hashing import key_hash
from proxy.routing.phases import Side
from proxy.routing.route import Route, Store
from proxy.routing.stats import MismatchRecord, Stats
from proxy.telemetry.tracing import current_trace_id, store_span

T = TypeVar("T")
log = logging.getLogger("proxy.mismatch")
_REPORTED = (Outcome.MISMATCH, Outcome.MISSING_NEW, Outcome.MISSING_OLD)


class ShadowReader:
    def __init__(self, background: Background, stats: Stats) -> None:
        self.background = background
        self.stats = stats
        self._inflight: Counter[str] = Counter()

    def _admit(self, route: Route, n: int) -> bool:
        if self._inflight[route.entity] >= route.config.reads.shadow_concurrency:
            for _ in range(n):
                self.stats.compared(route.entity, Outcome.SHED)
            return False
        self._inflight[route.entity] += 1
        return True

    def start_get(self, route: Route, primary_side: Side, keys: Sequence[str],
                  primary: asyncio.Future[dict[str, Document]]) -> None:
        """Compare ``keys`` as the other store holds them with the caller's result ``primary``."""
        if self._admit(route, len(keys)):
            self.background.spawn(self._run_get(route, primary_side, list(keys), primary, current_trace_id()),
                                  "shadow")

    def start_list(self, route: Route, primary_side: Side, read: Callable[[], Awaitable[list[str]]],
                   primary: asyncio.Future[list[str]]) -> None:
        """Compare result lists (query / search) by top-k id overlap."""
        if self._admit(route, 1):
            self.background.spawn(self._run_list(route, route.store(primary_side.other), read, primary),
                                  "shadow-list")

    async def _timed(self, route: Route, store: Store, op: str, aw: Awaitable[T]) -> T:
        """A shadow-side store call, traced and timed like the router's own (role ``shadow``)."""
        start = time.perf_counter()
        try:
            with store_span(op, route.entity, store.side.value, "shadow", route.phase.value, store.backend):
                return await aw
        finally:
            self.stats.latency(route.entity, store.side.value, "shadow", time.perf_counter() - start)

    async def _run_list(self, route: Route, other_store: Store, read: Callable[[], Awaitable[list[str]]],
                        primary: asyncio.Future[list[str]]) -> None:
        try:
            async with asyncio.timeout(route.config.reads.shadow_deadline):
                other = await self._timed(route, other_store, "list", read())
                mine = await primary
            self.stats.overlap(route.entity, overlap(mine, other, route.config.compare.top_k))
        except (DataAccessError, TimeoutError):
            self.stats.compared(route.entity, Outcome.SHADOW_ERROR)
        except asyncio.CancelledError:
            if not primary.cancelled():
                raise
        finally:
            self._inflight[route.entity] -= 1

    async def _run_get(self, route: Route, primary_side: Side, keys: list[str],
                       primary: asyncio.Future[dict[str, Document]], trace_id: str) -> None:
        other = route.store(primary_side.other)
        try:
            async with asyncio.timeout(route.config.reads.shadow_deadline):
                theirs = await self._timed(route, other, "get", other.collection.get(keys))
                try:
                    mine = await primary
                except DataAccessError:
                    return  # the caller saw the error; nothing to compare
                for key in keys:
                    result = self._compare(route, primary_side, key, mine.get(key), theirs.get(key))
                    if result.outcome is Outcome.MISMATCH:
                        await asyncio.sleep(route.config.reads.recheck_delay)
                        result = await self._recheck(route, key)
                    self._record(route, result, trace_id)
        except (DataAccessError, TimeoutError) as e:
            for _ in keys:
                self.stats.compared(route.entity, Outcome.SHADOW_ERROR)
            log.debug("shadow read failed for %s: %s", route.entity, type(e).__name__)
        finally:
            self._inflight[route.entity] -= 1

    def _compare(self, route: Route, primary_side: Side, key: str, mine: Document | None,
                 theirs: Document | None) -> Comparison:
        old, new = (mine, theirs) if primary_side is Side.OLD else (theirs, mine)
        return compare(key, old, new, route.compare_rules)

    async def _recheck(self, route: Route, key: str) -> Comparison:
        """A mismatch at equal versions is read again once before it is believed."""
        assert route.new is not None
        old, new = await asyncio.gather(self._timed(route, route.old, "get", route.old.collection.get([key])),
                                        self._timed(route, route.new, "get", route.new.collection.get([key])))
        return compare(key, old.get(key), new.get(key), route.compare_rules)

    def _record(self, route: Route, result: Comparison, trace_id: str) -> None:
        self.stats.compared(route.entity, result.outcome)
        if result.outcome not in _REPORTED:
            return
        record = MismatchRecord(route.entity, key_hash(route.entity, result.key), result, time.time(),
                                route.rules_version, trace_id)
        self.stats.mismatch(record)
        log.warning(json.dumps({
            "event": "mismatch", "entity": route.entity, "key_hash": record.key_hash,
            "outcome": result.outcome.value, "rules_version": route.rules_version, "trace_id": trace_id,
            "paths": [d.path for d in result.diffs], "old_version": result.old_version,
            "new_version": result.new_version,
        }))
