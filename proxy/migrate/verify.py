"""`dataaccess verify ENTITY`: prove that both stores agree, key by key, or say where they do not.

Both stores are scanned in key order (restricted to the segment) and merge-joined (`merge.py`);
every key is compared with the shadow reads' comparison (`routing.diff.compare` with the entity's
``compare:`` rules: ignored paths, redacted values, decimals by value …). Outcomes: ``match``,
``mismatch`` (equal versions, different content — the field paths say where), ``stale`` (versions
differ), ``missing_new``, ``missing_old``; a tombstone against nothing is a match. Like a shadow
read, a key that does not match is read again from both stores after a short delay before it counts,
so writes in flight while the scans pass are not reported.

``fix``: each divergent key is repaired at once — ``stale`` and ``missing_*`` by the repair worker's
rule (the newer record, document or tombstone, is copied onto the other store), ``mismatch`` by
rewriting the authoritative store's record (its version goes up by one) and copying that — then
compared again; what could not be repaired (or everything, with ``queue_only``) is queued in the repair
journal for the sidecars' repair workers.

``sample``: instead of every key, a uniform random sample of that many keys of the old store
(reservoir sampling over one scan of the old store; ``seed`` makes it repeatable), each read by key
from both stores. The new store is not scanned, so keys only the new store holds (``missing_old``)
are not found in this mode.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field

from proxy.errors import DataAccessError
from proxy.migrate.merge import MergeJoin, Pair
from proxy.migrate.progress import DIVERGENT, Meter, Progress, Sample
from proxy.migrate.stores import TRANSIENT, Provider, Stores, Switched, describe
from proxy.models import Document, Precondition, Scan, Segment
from proxy.repair.worker import reconcile
from proxy.routing.diff import Comparison, Outcome, compare
from proxy.routing.hashing import key_hash
from proxy.routing.phases import Side
from proxy.routing.route import Route


@dataclass(frozen=True)
class VerifyOptions:
    segment: Segment = field(default_factory=Segment)
    page: int = 500
    fix: bool = False
    queue_only: bool = False
    """With ``fix``: only queue divergent keys in the repair journal (the sidecars repair them)."""
    sample: int = 0
    """Compare this many random keys of the old store instead of all; 0: all."""
    seed: int | None = None
    samples_per_outcome: int = 3
    hash_keys: bool = False
    """Show key hashes (as the shadow log does) instead of keys in samples."""
    recheck_delay: float = 0.2
    concurrency: int = 16
    retries: int = 10


class Verify:
    def __init__(self, entity: str, provider: Provider, options: VerifyOptions = VerifyOptions(),
                 report: Callable[[Progress], None] = lambda p: None) -> None:
        self.entity, self.provider, self.options, self.report = entity, provider, options, report
        self.meter = Meter(Progress("verify", entity, options.segment))
        self.outcomes: Counter[str] = Counter()
        self.samples: list[Sample] = []
        self.after: str | None = None
        self.processed = 0
        self._stop = asyncio.Event()
        self._gate = asyncio.Semaphore(max(1, options.concurrency))

    @property
    def progress(self) -> Progress:
        return self.meter.base

    def stop(self) -> None:
        self._stop.set()

    def _emit(self, **changes: object) -> Progress:
        p = self.meter.update(processed=self.processed, outcomes=dict(self.outcomes), cursor=self.after,
                              samples=tuple(self.samples), **changes)
        self.report(p)
        return p

    async def run(self) -> Progress:
        state, error = await self._loop()
        return self._emit(state=state, error=error)

    async def _loop(self) -> tuple[str, str]:
        failures = 0
        counted = False
        while True:
            try:
                async with self.provider(self.entity) as stores:
                    if not counted and not self.options.sample:
                        counted = True
                        await self._count(stores)
                    done = await (self._sampled(stores) if self.options.sample else self._full(stores))
                if done:
                    return "succeeded", ""
                if self._stop.is_set():
                    return "stopped", ""
            except Switched:
                continue
            except TRANSIENT as e:
                failures += 1
                if failures > self.options.retries:
                    return "failed", describe(e)
                self._emit(note=f"retrying after: {describe(e)}")
                await asyncio.sleep(min(30.0, 0.5 * 2 ** (failures - 1)))
            except DataAccessError as e:
                return "failed", describe(e)

    async def _count(self, stores: Stores) -> None:
        try:
            n = await stores.route.old.collection.count()
        except DataAccessError:
            return
        if n is not None:
            seg = self.options.segment.count
            self._emit(total=n // seg if seg > 1 else n)

    # -- every key -------------------------------------------------------------------------------
    async def _full(self, stores: Stores) -> bool:
        route = stores.route
        assert route.new is not None
        scan = Scan(self.after, max(1, self.options.page), self.options.segment)
        join = MergeJoin()
        async with aclosing(route.old.collection.scan_pages(scan)) as old, \
                aclosing(route.new.collection.scan_pages(scan)) as new:
            streams = {Side.OLD: old, Side.NEW: new}
            while not join.finished:
                if self._stop.is_set():
                    return False
                side = join.wants()
                if side is not None:
                    join.feed(side, await anext(streams[side], None))
                    continue
                pairs = join.take()
                async with stores.hold():
                    await self._judge(stores, pairs)
                self.after = pairs[-1].key
                self._emit()
        return True

    # -- a sample of keys ------------------------------------------------------------------------
    async def _sampled(self, stores: Stores) -> bool:
        n, rng = self.options.sample, random.Random(self.options.seed)
        chosen: list[str] = []
        seen = 0
        async with aclosing(stores.route.old.collection.scan_pages(
                Scan(None, max(1, self.options.page), self.options.segment))) as pages:
            async for page in pages:
                for doc in page:  # reservoir sampling: every key ends up chosen with probability n/seen
                    seen += 1
                    if len(chosen) < n:
                        chosen.append(doc.key)
                    elif (j := rng.randrange(seen)) < n:
                        chosen[j] = doc.key
                if self._stop.is_set():
                    return False
                self._emit(note=f"sampling: {seen:,} keys of the old store scanned")
        keys = sorted(chosen)
        self._emit(total=len(keys), note=f"{len(keys):,} keys sampled out of {seen:,}")
        for i in range(0, len(keys), max(1, self.options.page)):
            if self._stop.is_set():
                return False
            batch = [k for k in keys[i:i + self.options.page] if self.after is None or k > self.after]
            if not batch:
                continue
            async with stores.hold():
                found = await self._read(stores.route, batch)
                await self._judge(stores, [Pair(k, *found[k]) for k in batch])
            self.after = batch[-1]
            self._emit()
        return True

    # -- comparing, rechecking, fixing -----------------------------------------------------------
    async def _judge(self, stores: Stores, pairs: Sequence[Pair]) -> None:
        route = stores.route
        rules = route.compare_rules
        results = [compare(p.key, p.old, p.new, rules) for p in pairs]
        odd = [r.key for r in results if r.outcome is not Outcome.MATCH]
        if odd:  # like a shadow read: believe a difference only once it survives a second look
            await asyncio.sleep(self.options.recheck_delay)
            again = await self._read(route, odd)
            redo = {k: compare(k, *again[k], rules) for k in odd}
            results = [redo.get(r.key, r) for r in results]
        for r in results:
            self.outcomes[r.outcome.value] += 1
            if r.outcome.value in DIVERGENT:
                self._keep(r)
        self.processed += len(pairs)
        divergent = [r for r in results if r.outcome.value in DIVERGENT]
        if self.options.fix and divergent:
            await asyncio.gather(*(self._fix(stores, r) for r in divergent))

    def _keep(self, c: Comparison) -> None:
        if sum(1 for s in self.samples if s.comparison.outcome is c.outcome) < self.options.samples_per_outcome:
            key = key_hash(self.entity, c.key) if self.options.hash_keys else c.key
            self.samples.append(Sample(key, c))

    async def _read(self, route: Route, keys: Sequence[str]) -> dict[str, tuple[Document | None, Document | None]]:
        """Both stores' records of ``keys``, read one key at a time (a point read on every store)."""
        assert route.new is not None
        new = route.new

        async def one(key: str) -> tuple[str, tuple[Document | None, Document | None]]:
            async with self._gate:
                o, n = await asyncio.gather(route.old.collection.get([key]), new.collection.get([key]))
            return key, (o.get(key), n.get(key))

        return dict(await asyncio.gather(*(one(k) for k in keys)))

    async def _fix(self, stores: Stores, c: Comparison) -> None:
        if not self.options.queue_only:
            try:
                async with self._gate:
                    await (rewrite(stores.route, c.key) if c.outcome is Outcome.MISMATCH
                           else reconcile(stores.route, c.key))
                found = await self._read(stores.route, [c.key])
                if compare(c.key, *found[c.key], stores.route.compare_rules).outcome is Outcome.MATCH:
                    self.outcomes["fixed"] += 1
                    return
            except DataAccessError:
                pass  # the repair worker retries it
        await stores.journal.enqueue(self.entity, c.key, "VERIFY")
        self.outcomes["queued"] += 1


async def rewrite(route: Route, key: str) -> None:
    """Equal versions, different content: write the authoritative record again (version + 1) and
    copy the result onto the other store, newer wins. A write racing it wins either way."""
    auth_side = route.rules.authoritative
    auth, other = route.store(auth_side), route.store(auth_side.other)
    doc = (await auth.collection.get([key])).get(key)
    if doc is None or doc.deleted:
        await reconcile(route, key)
        return
    bumped = await auth.collection.put(key, doc.body, Precondition(expected_version=doc.version))
    await other.collection.copy(bumped)
