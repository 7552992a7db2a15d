"""THE backend contract: what a store must do for the proxy. Read this before writing a backend.

A `Backend` is one configured store (a PostgreSQL database, a MongoDB deployment, …). It is an async
context manager that owns its connections, and it hands out one `Collection` per entity mapping.
Nothing here knows about phases, roles or other stores: routing lives in `proxy.routing`.

Rules every implementation follows (the conformance suite in tests/conformance checks them):

* **Versions.** Every record carries an int64 version. The first write of a key gives 1; every write
  gives the previous version + 1, computed atomically *by the store* in the same operation
  (`UPDATE … SET v = v + 1`, `$inc`, `ADD`, `if_seq_no`), never read-then-write in Python.
  A key that was deleted keeps its version in a tombstone, and a re-create continues above it.
* **Tombstones.** ``delete(..., tombstone=True)`` leaves a `Document` with ``deleted=True`` and the
  deletion's version. `get` and `scan` return tombstones; `query` and `search` never do.
  ``tombstone=False`` deletes outright.
* **Copy, newer wins.** `copy` stores a document (or tombstone) exactly as given, version included,
  only if the stored version is lower (or nothing is stored). It is how secondary writes, repairs and
  backfill converge: replays and out-of-order arrivals are harmless.
* **Preconditions and conditions** are checked by the store in the same atomic step as the write.
  A false `Update.condition` raises `ConditionFailed` and writes nothing.
* **Errors.** Only `proxy.errors` types leave a backend; map every driver exception at the boundary
  (connection trouble → `Unavailable`, timeouts → `DeadlineExceeded`, bad values → `InvalidArgument`
  naming the field). Never put a driver's message in the error text.
* **Injection.** Identifiers come from config only and are quoted; every value from a request is a
  bind parameter or a typed driver value — never spliced into SQL, a MongoDB operator, a DynamoDB
  expression or an OpenSearch script.
* **Capabilities.** What a store cannot do is declared in `Capabilities`; the router refuses the call
  with `Unimplemented` before reaching the store, and the conformance suite gates on the flags.
* **Bulk forms** (`scan_pages`, `copy_many`, `count`) serve backfill and verify. Their defaults are
  built on the methods above; a store overrides them only where one server-side cursor or one bulk
  write is much cheaper than many small calls. They keep exactly the semantics of the defaults.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ClassVar, Self

from proxy.models import Body, Document, Page, Precondition, Query, Scan, Search, Update
from proxy.schema import Schema


@dataclass(frozen=True)
class Capabilities:
    """Optional abilities. Everything not listed here is required of every backend."""

    query: bool = True
    """`Collection.query` with every operator, ordering and paging."""
    search: bool = False
    """`Collection.search` (full text)."""
    exact_int64: bool = True
    """Integers up to 2^63-1 survive a round trip (beyond 2^53)."""
    exact_decimal: bool = True
    """Decimals keep at least 34 significant digits."""
    nested_query: bool = True
    """Filters and order may address nested paths (``a.b.c``)."""
    scan: bool = True
    """`Collection.scan` in key order, for backfill and verify."""


@dataclass(frozen=True)
class CollectionSpec:
    """What a backend needs to serve one entity.

    ``mapping`` is the entity's ``old:`` or ``new:`` block without ``backend`` — its shape belongs to
    the backend kind (``table``/``columns``/``extra``/``document`` for PostgreSQL, ``collection`` for
    MongoDB, …) and is checked by `Backend.check_mapping`.
    """

    entity: str
    schema: Schema
    mapping: Mapping[str, Any] = field(default_factory=dict)
    search_fields: tuple[str, ...] = ()
    search_language: str = "simple"


class Collection(abc.ABC):
    """One entity's records in one store. All methods are coroutine-safe and atomic per key."""

    spec: CollectionSpec

    @abc.abstractmethod
    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        """The records that exist for ``keys``, tombstones included, keyed by key."""

    @abc.abstractmethod
    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        """Create or replace. ``must_not_exist`` → `AlreadyExists` if a live record exists;
        ``must_exist`` → `NotFound`; ``expected_version`` ≠ current → `VersionConflict`
        (also when the record is absent or a tombstone). Returns the stored document."""

    @abc.abstractmethod
    async def update(self, key: str, update: Update) -> Document:
        """Apply set / unset / increment atomically if the condition and precondition hold.
        Missing key → `NotFound`; false condition → `ConditionFailed`; version → `VersionConflict`.
        Increment of an absent field starts from 0; of a non-number → `InvalidArgument`."""

    @abc.abstractmethod
    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        """Delete a live record and return its tombstone (version = old version + 1), or None if
        there was nothing to delete. ``expected_version`` ≠ current → `VersionConflict`."""

    @abc.abstractmethod
    async def copy(self, doc: Document) -> bool:
        """Store ``doc`` (or its tombstone) with its version if newer than what is stored.
        Returns whether anything was written."""

    @abc.abstractmethod
    async def query(self, query: Query) -> Page:
        """Live records matching every condition, ordered by ``query.order`` then key ascending;
        a missing order field sorts after present ones when ascending, before when descending."""

    async def search(self, search: Search) -> Page:
        """Live records matching the text, best first, ties by key ascending."""
        from proxy.errors import Unimplemented

        raise Unimplemented(f"{type(self).__name__} has no full-text search")

    @abc.abstractmethod
    async def scan(self, scan: Scan) -> list[Document]:
        """Up to ``scan.limit`` records (tombstones included) in ascending key order after
        ``scan.after``, restricted to ``scan.segment``."""

    async def purge_tombstones(self) -> int:
        """Remove every tombstone (when an entity is `complete`); returns how many."""
        return 0

    async def scan_pages(self, scan: Scan) -> AsyncGenerator[list[Document], None]:
        """Every record after ``scan.after`` in ``scan.segment``, as successive non-empty pages of up
        to ``scan.limit`` in ascending key order (what repeated `scan` calls return). Records written
        meanwhile may or may not appear. Close it (``aclosing``) when stopping early."""
        after = scan.after
        while True:
            page = await self.scan(Scan(after, scan.limit, scan.segment))
            if not page:
                return
            yield page
            after = page[-1].key

    async def copy_many(self, docs: Sequence[Document], concurrency: int = 16) -> list[bool]:
        """`copy` of each document (distinct keys), at most ``concurrency`` at a time; whether each
        was written, in order. Fails with the first error (the others may or may not be written)."""
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(doc: Document) -> bool:
            async with gate:
                return await self.copy(doc)
        return list(await asyncio.gather(*(one(d) for d in docs)))

    async def count(self) -> int | None:
        """About how many records (tombstones included) are stored, cheaply — for progress and ETA,
        never for correctness. None when the store cannot tell without reading everything."""
        return None


class Backend(abc.ABC):
    """One configured store: owns connections (``async with``), hands out collections."""

    kind: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        """``settings`` is the backend's config block with secrets already resolved."""
        self.name = name
        self.settings = settings

    @classmethod
    def check_mapping(cls, mapping: Mapping[str, Any]) -> list[str]:
        """Problems with an entity mapping for this kind, each as "field: message"."""
        return []

    @abc.abstractmethod
    async def __aenter__(self) -> Self:
        """Connect (lazily is fine) — must not fail just because the store is down right now."""

    @abc.abstractmethod
    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        """Close every connection."""

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise `Unavailable` unless the store answers now."""

    @abc.abstractmethod
    async def collection(self, spec: CollectionSpec) -> Collection:
        """The collection for ``spec``. May create proxy-owned tables; never alters a
        caller-owned one (that is `dataaccess prepare`)."""
