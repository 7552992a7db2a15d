"""`dataaccess backfill ENTITY`: copy what the old store holds onto the new one (``--reverse``: the
other way, to roll back from `complete`), while the sidecars keep dual-writing.

It walks the source store in key order (`Collection.scan_pages`, restricted to its segment), one page
at a time, and writes every record — tombstones too — with `Collection.copy_many`: "copy, newer wins",
so a copy never replaces a version a live dual write put there first, and repeating a page is
harmless. After each page the cursor and counters go into the checkpoint (`checkpoint.py`); a run
that crashed resumes after it. The next page is read while the current one is copied. Throttling:
`throttle.RateLimit` (``--rate``) and `throttle.LatencyGuard` (the new store's cost per document).

Transient store failures (unavailable, deadline) are retried from the last checkpoint with
exponential back-off; any other error stops the run, checkpoint kept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace

from proxy.errors import DataAccessError
from proxy.migrate.checkpoint import Checkpoint, Checkpoints
from proxy.migrate.progress import Meter, Progress
from proxy.migrate.stores import TRANSIENT, Provider, Stores, Switched, describe
from proxy.migrate.throttle import LatencyGuard, RateLimit
from proxy.models import Document, Scan, Segment
from proxy.routing.phases import Phase
from proxy.routing.route import Store

log = logging.getLogger("proxy.migrate")


@dataclass(frozen=True)
class BackfillOptions:
    segment: Segment = field(default_factory=Segment)
    page: int = 500
    """Documents per page: the scan size and how often the checkpoint is written."""
    rate: float = 0.0
    """Documents per second at most; 0: as fast as the latency guard allows."""
    max_latency: float = 0.0
    """Back off while the median copy cost per document exceeds this (seconds); 0: automatic."""
    concurrency: int = 16
    """Copies in flight at once within a page (where the store copies one document at a time)."""
    reverse: bool = False
    restart: bool = False
    """Start from the first key even if an unfinished checkpoint exists."""
    retries: int = 10
    """Consecutive transient failures tolerated (with back-off) before the run fails."""


class _ReadAhead:
    """Reads the next page while the current one is copied; owns that one read and cancels it on close."""

    def __init__(self, pages: AsyncGenerator[list[Document], None]) -> None:
        self.pages = pages
        self.task: asyncio.Future[list[Document] | None] | None = None

    async def next(self) -> list[Document] | None:
        if self.task is None:
            self.task = asyncio.ensure_future(anext(self.pages, None))
        page = await self.task
        self.task = asyncio.ensure_future(anext(self.pages, None)) if page is not None else None
        return page

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with suppress(asyncio.CancelledError, DataAccessError):
                await self.task
        await self.pages.aclose()


class Backfill:
    def __init__(self, entity: str, provider: Provider, options: BackfillOptions = BackfillOptions(),
                 report: Callable[[Progress], None] = lambda p: None) -> None:
        self.entity, self.provider, self.options, self.report = entity, provider, options, report
        self.checkpoints = Checkpoints(entity, options.segment, options.reverse)
        self.limit = RateLimit(options.rate)
        self.guard = LatencyGuard(options.max_latency)
        self.meter = Meter(Progress("backfill", entity, options.segment, reverse=options.reverse))
        self.cp = Checkpoint()
        self._stop = asyncio.Event()
        self._started = False

    @property
    def progress(self) -> Progress:
        return self.meter.base

    def stop(self) -> None:
        """Finish the page in progress, checkpoint it, and stop (the run's state becomes ``stopped``)."""
        self._stop.set()

    def _emit(self, **changes: object) -> Progress:
        p = self.meter.update(processed=self.cp.processed, copied=self.cp.copied,
                              skipped_newer=self.cp.skipped_newer, cursor=self.cp.after,
                              paused=self.guard.pause, **changes)
        self.report(p)
        return p

    async def run(self) -> Progress:
        """Run to the end (or a stop, or a failure); the final progress says which."""
        async with asyncio.TaskGroup() as tg:
            counting: list[asyncio.Task[None]] = []
            try:
                state, error = await self._loop(lambda stores: counting.append(tg.create_task(self._count(stores))))
            finally:
                for task in counting:
                    task.cancel()
        return self._emit(state=state, error=error)

    async def _loop(self, start_count: Callable[[Stores], None]) -> tuple[str, str]:
        failures = 0
        while True:
            try:
                async with self.provider(self.entity) as stores:
                    if not self._started:
                        await self._begin(stores)
                        start_count(stores)
                    finished = await self._pass(stores)
                    if finished:
                        await self._finish(stores)
                        return "succeeded", ""
                failures = 0
                if self._stop.is_set():
                    return "stopped", ""
            except Switched:
                continue
            except TRANSIENT as e:
                failures += 1
                if failures > self.options.retries:
                    return "failed", describe(e)
                delay = min(30.0, 0.5 * 2 ** (failures - 1))
                log.warning("backfill %s: %s; retrying in %.1fs after %r", self.entity, describe(e), delay,
                            self.cp.after)
                self._emit(note=f"retrying after: {describe(e)}")
                if await self._stopped_within(delay):
                    return "stopped", ""
            except DataAccessError as e:
                return "failed", describe(e)

    async def _begin(self, stores: Stores) -> None:
        found = await self.checkpoints.load(stores.checkpoints)
        note = ""
        if found is not None and not found.done and not self.options.restart:
            self.cp = found
            note = f"resumed after {found.after!r} ({found.processed:,} processed before)" if found.after else ""
        else:
            self.cp = Checkpoint(started_at=time.time())
        if stores.route.phase is Phase.OFF and not self.options.reverse:
            note = (note + "; " if note else "") + ("phase off: writes made meanwhile reach only the old store "
                                                     "(backfill in dualwrite)")
        self.cp = await self.checkpoints.save(stores.checkpoints, self.cp)
        self._started = True
        self._emit(note=note)

    async def _count(self, stores: Stores) -> None:
        try:
            n = await self._source(stores).collection.count()
        except Exception as e:  # only the progress bar's total depends on it
            log.debug("backfill %s: no count (%s)", self.entity, type(e).__name__)
            return
        if n is not None:
            self._emit(total=n // self.options.segment.count if self.options.segment.count > 1 else n)

    def _source(self, stores: Stores) -> Store:
        route = stores.route
        assert route.new is not None
        return route.new if self.options.reverse else route.old

    def _target(self, stores: Stores) -> Store:
        route = stores.route
        assert route.new is not None
        return route.old if self.options.reverse else route.new

    async def _pass(self, stores: Stores) -> bool:
        """Copy pages until the end (True), a stop request or a rules change (False)."""
        source, target = self._source(stores), self._target(stores)
        pages = _ReadAhead(source.collection.scan_pages(
            Scan(self.cp.after, max(1, self.options.page), self.options.segment)))
        try:
            while True:
                if self._stop.is_set():
                    return False
                page = await pages.next()
                if page is None:
                    return True
                wait = max(self.limit.delay(len(page), time.monotonic()), self.guard.pause)
                if wait and await self._stopped_within(wait):
                    return False
                async with stores.hold():
                    start = time.monotonic()
                    written = await target.collection.copy_many(page, self.options.concurrency)
                    self.guard.observe(time.monotonic() - start, len(page))
                    copied = sum(written)
                    self.cp = await self.checkpoints.save(stores.checkpoints, replace(
                        self.cp, after=page[-1].key, processed=self.cp.processed + len(page),
                        copied=self.cp.copied + copied, skipped_newer=self.cp.skipped_newer + len(page) - copied))
                self._emit()
        finally:
            await pages.close()

    async def _finish(self, stores: Stores) -> None:
        self.cp = await self.checkpoints.save(stores.checkpoints, replace(self.cp, done=True))
        if not self.options.reverse:
            return
        # Rolling back from `complete`: once every segment went new → old, the old store holds what
        # it missed, and the journal marker that keeps authority from returning to it is cleared.
        if stores.route.phase is Phase.COMPLETE:
            self._emit(note="phase complete: the old store still receives no writes, so it stays marked as "
                            "behind; step back to rampdown, then run the reverse backfill")
        elif await self.checkpoints.all_done(stores.checkpoints):
            await stores.journal.clear_old_behind(self.entity)
            self._emit(note="old store caught up: authority may return to it")

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return False
        return True
