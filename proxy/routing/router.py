"""The router: executes one call on a Route according to the phase table.

Writes: the authoritative store first (its failure is the caller's, and then nothing else is
touched); then the secondary gets a *copy of the resulting document with its version*, newer-wins,
synchronously or in the background; any failure there is journaled for repair, never dropped.

Reads: from the phase's read store (ramped by ``new_percent`` in ``live``), with the shadow read of
the other store started at the same moment when the key is sampled, and with fallback to the old
store when the new one errors, times out or misses.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from proxy.errors import DataAccessError, DeadlineExceeded, Internal, NotFound, Unavailable, Unimplemented
from proxy.models import Body, Document, Page, Precondition, Query, Search, Update
from proxy.repair.audit import Auditor
from proxy.repair.journal import Journal
from proxy.routing.background import Background
from proxy.routing.hashing import fraction
from proxy.routing.phases import Phase, Side
from proxy.routing.route import Route, Store
from proxy.routing.shadow import ShadowReader
from proxy.routing.stats import Stats
from proxy.telemetry.tracing import store_span

T = TypeVar("T")
log = logging.getLogger("proxy.routing")


class Router:
    def __init__(self, journal: Journal, background: Background, stats: Stats,
                 auditor: Auditor | None = None) -> None:
        self.journal = journal
        self.auditor = auditor
        self.background = background
        self.stats = stats
        self.shadow = ShadowReader(background, stats)

    # -- plumbing ------------------------------------------------------------------------------
    async def _call(self, route: Route, store: Store, role: str, op: str, aw: Awaitable[T]) -> T:
        start = time.perf_counter()
        try:
            with store_span(op, route.entity, store.side.value, role, route.phase.value, store.backend):
                return await aw
        except DataAccessError as e:
            raise e.at(entity=route.entity, backend=store.backend) from None
        finally:
            self.stats.latency(route.entity, store.side.value, role, time.perf_counter() - start)

    def _read_side(self, route: Route, key: str | None) -> Side:
        rules = route.rules
        if route.phase is Phase.LIVE and route.config.reads.new_percent < 100:
            if key is None or fraction("ramp", route.entity, key) * 100 >= route.config.reads.new_percent:
                return Side.OLD
        return rules.reads

    def _sampled(self, route: Route, key: str) -> bool:
        return route.rules.compare and route.new is not None and (
            fraction("shadow", route.entity, key) < route.config.reads.shadow_sample)

    # -- writes --------------------------------------------------------------------------------
    async def _write(self, route: Route, op: str, key: str,
                     fn: Callable[[Store], Awaitable[Document | None]]) -> Document | None:
        rules = route.rules
        auth = route.store(rules.authoritative)
        try:
            doc = await self._call(route, auth, "authoritative", op, fn(auth))
        except (Unavailable, DeadlineExceeded, Internal) as e:
            # The outcome is unknown: the write may have landed. Queue the key so repair compares
            # both stores (harmless if nothing changed); the caller still gets the error.
            if rules.secondary is not None:
                await self.journal.enqueue(route.entity, key, f"AMBIGUOUS_{e.reason}")
            raise
        if doc is not None and rules.secondary is not None:
            secondary = route.store(rules.secondary)
            if route.config.writes.secondary == "sync":
                await self._copy_secondary(route, secondary, doc)
            else:
                self.background.spawn(self._copy_secondary(route, secondary, doc), "secondary")
        return doc

    async def _copy_secondary(self, route: Route, store: Store, doc: Document) -> None:
        reason = ""
        try:
            async with asyncio.timeout(route.config.writes.timeout):
                await self._call(route, store, "secondary", "copy", store.collection.copy(doc))
            if self.auditor is not None:
                self.auditor.note(route, doc.key)
            return
        except DataAccessError as e:
            reason = e.reason
        except TimeoutError:
            reason = "TIMEOUT"
        except asyncio.CancelledError:
            reason = "CANCELLED"  # shutting down: journal it, then let the cancellation through
            self.stats.secondary_failure(route.entity)
            await self.journal.enqueue(route.entity, doc.key, reason)
            raise
        except Exception as e:  # a driver fault we did not map: still journaled, never dropped
            log.exception("secondary copy of %s failed unexpectedly", route.entity)
            reason = f"UNEXPECTED:{type(e).__name__}"
        self.stats.secondary_failure(route.entity)
        await self.journal.enqueue(route.entity, doc.key, reason)

    async def put(self, route: Route, key: str, body: Body, pre: Precondition) -> Document:
        doc = await self._write(route, "put", key, lambda s: s.collection.put(key, body, pre))
        assert doc is not None
        return doc

    async def update(self, route: Route, key: str, update: Update) -> Document:
        doc = await self._write(route, "update", key, lambda s: s.collection.update(key, update))
        assert doc is not None
        return doc

    async def delete(self, route: Route, key: str, pre: Precondition, allow_missing: bool) -> int:
        # Always a tombstone: a key's versions never restart, so a re-created document is newer than
        # any copy of its past that a lagging store may still hold.
        doc = await self._write(route, "delete", key, lambda s: s.collection.delete(key, pre, tombstone=True))
        if doc is None:
            if allow_missing:
                return 0
            raise NotFound(f"document {key!r} not found", entity=route.entity)
        return doc.version

    # -- reads ---------------------------------------------------------------------------------
    async def get(self, route: Route, key: str) -> Document:
        docs = await self.batch_get(route, [key])
        if key not in docs:
            raise NotFound(f"document {key!r} not found", entity=route.entity)
        return docs[key]

    async def batch_get(self, route: Route, keys: Sequence[str]) -> dict[str, Document]:
        """Live documents among ``keys`` (tombstones are absent to callers)."""
        by_side: dict[Side, list[str]] = {}
        for key in dict.fromkeys(keys):
            by_side.setdefault(self._read_side(route, key), []).append(key)
        parts = await asyncio.gather(*(self._read(route, side, ks) for side, ks in by_side.items()))
        found: dict[str, Document] = {}
        for part in parts:
            found.update({k: d for k, d in part.items() if not d.deleted})
        return found

    async def _read(self, route: Route, side: Side, keys: list[str]) -> dict[str, Document]:
        store = route.store(side)
        sampled = [k for k in keys if self._sampled(route, k)]
        primary: asyncio.Future[dict[str, Document]] | None = None
        if sampled:
            primary = asyncio.get_running_loop().create_future()
            self.shadow.start_get(route, side, sampled, primary)
        try:
            if side is Side.NEW and route.rules.fallback and route.config.reads.fallback:
                docs = await self._read_with_fallback(route, keys)
            else:
                docs = await self._call(route, store, "authoritative", "get", store.collection.get(keys))
        except BaseException as e:
            if primary is not None:
                primary.set_exception(e if isinstance(e, DataAccessError) else DataAccessError("read failed"))
                primary.exception()  # retrieved: the shadow side just skips
            raise
        if primary is not None:
            primary.set_result(docs)
        return docs

    async def _read_with_fallback(self, route: Route, keys: list[str]) -> dict[str, Document]:
        assert route.new is not None
        cause = ""
        docs: dict[str, Document] = {}
        try:
            async with asyncio.timeout(route.config.reads.timeout):
                docs = await self._call(route, route.new, "authoritative", "get", route.new.collection.get(keys))
        except DataAccessError:
            cause = "error"
        except TimeoutError:
            cause = "timeout"
        missing = keys if cause else [k for k in keys if k not in docs]
        if not missing:
            return docs
        old = await self._call(route, route.old, "fallback", "get", route.old.collection.get(missing))
        for key, doc in old.items():
            if cause:
                docs[key] = doc
                self.stats.fallback(route.entity, cause)
            elif not doc.deleted:  # the new store lacks a record the old one has: serve it, repair it
                docs[key] = doc
                self.stats.fallback(route.entity, "miss")
                await self.journal.enqueue(route.entity, key, "READ_REPAIR")
        return docs

    async def query(self, route: Route, query: Query) -> Page:
        return await self._list(route, "query", lambda c: c.query(query))

    async def search(self, route: Route, search: Search) -> Page:
        for store in (route.old, route.new):
            if store is not None and store.side is self._read_side(route, None) and not store.capabilities.search:
                raise Unimplemented(f"entity {route.entity!r}: store {store.backend!r} has no full-text search",
                                    entity=route.entity, backend=store.backend)
        return await self._list(route, "search", lambda c: c.search(search))

    async def _list(self, route: Route, op: str, fn: Callable[..., Awaitable[Page]]) -> Page:
        side = self._read_side(route, None)
        store = route.store(side)
        primary: asyncio.Future[list[str]] | None = None
        if route.rules.compare and route.new is not None and (
                fraction("shadow", route.entity, f"{op}:{time.monotonic_ns()}") < route.config.reads.shadow_sample):
            primary = asyncio.get_running_loop().create_future()
            other = route.store(side.other)
            self.shadow.start_list(route, side, lambda: self._keys(fn(other.collection)), primary)
        try:
            if side is Side.NEW and route.rules.fallback and route.config.reads.fallback:
                try:
                    async with asyncio.timeout(route.config.reads.timeout):
                        page = await self._call(route, store, "authoritative", op, fn(store.collection))
                except (DataAccessError, TimeoutError) as e:
                    self.stats.fallback(route.entity, "error" if isinstance(e, DataAccessError) else "timeout")
                    page = await self._call(route, route.old, "fallback", op, fn(route.old.collection))
            else:
                page = await self._call(route, store, "authoritative", op, fn(store.collection))
        except BaseException:
            if primary is not None:
                primary.cancel()
            raise
        if primary is not None:
            primary.set_result([d.key for d in page.documents])
        return page

    @staticmethod
    async def _keys(aw: Awaitable[Page]) -> list[str]:
        return [d.key for d in (await aw).documents]
