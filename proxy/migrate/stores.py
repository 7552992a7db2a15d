"""What a backfill or verify works on: one entity's route, the repair journal and the checkpoint
collection, taken from a config snapshot — a snapshot of its own (the CLI) or whatever snapshot a
running sidecar has in force (Admin API jobs).

A job takes `Stores` for a stretch of pages and holds them (`Stores.hold`) only while one page is
worked on, so a reload in the sidecar is never held up for longer than a page: when the rules change
the hold raises `Switched` and the job takes the new snapshot's stores, resuming after its last key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from proxy.backends.base import Collection, CollectionSpec
from proxy.config.load import Snapshot
from proxy.errors import DataAccessError, DeadlineExceeded, InvalidArgument, Unavailable
from proxy.repair.journal import Journal
from proxy.routing.route import Route
from proxy.schema import Schema

if TYPE_CHECKING:
    from proxy.config.reload import Runtime


TRANSIENT = (Unavailable, DeadlineExceeded)
"""Store failures a job retries (from its last key, with back-off); any other error ends it."""


def describe(e: DataAccessError) -> str:
    """An error as a job reports it (no driver text ever reaches a DataAccessError's message)."""
    where = f" ({e.backend})" if e.backend else ""
    return f"{type(e).__name__}{where}: {e.message}"


class Switched(Exception):
    """The rules in force changed: take the stores again (from the new snapshot)."""


@dataclass(frozen=True)
class Stores:
    route: Route
    journal: Journal
    checkpoints: Collection
    hold: Callable[[], AbstractAsyncContextManager[object]] = field(default=nullcontext)
    """Hold the stores while one page is worked on (raises `Switched` once they are outdated)."""


Provider = Callable[[str], AbstractAsyncContextManager[Stores]]
"""entity → its stores for a stretch of work."""


async def checkpoint_collection(snapshot: Snapshot) -> Collection:
    """The journal table's sibling that keeps backfill checkpoints (``<journal table>_checkpoints``)."""
    name = f"{snapshot.config.journal.table}_checkpoints"[:63]
    backend = snapshot.backends[snapshot.config.journal.backend]
    return await backend.collection(CollectionSpec(
        entity="_checkpoint", schema=Schema("id", {}),
        mapping={"table": name, "collection": name, "document": "doc"}))


def route_of(snapshot: Snapshot, entity: str) -> Route:
    route = snapshot.routes.get(entity)
    if route is None:
        known = ", ".join(sorted(snapshot.routes)) or "none"
        raise InvalidArgument(f"unknown entity {entity!r} (configured: {known})", field="entity")
    if route.new is None:
        raise InvalidArgument(f"entity {entity!r} has no new store (`new:`) to backfill or verify",
                              field="entity")
    return route


@asynccontextmanager
async def snapshot_provider(snapshot: Snapshot) -> AsyncIterator[Provider]:
    """Stores from one snapshot the caller has opened (the CLI)."""
    assert snapshot.journal is not None
    journal = Journal(snapshot.journal)
    checkpoints = await checkpoint_collection(snapshot)

    @asynccontextmanager
    async def stores(entity: str) -> AsyncIterator[Stores]:
        yield Stores(route_of(snapshot, entity), journal, checkpoints)

    yield stores


def runtime_provider(runtime: Runtime) -> Provider:
    """Stores from the snapshot a sidecar has in force; each page is a call on it (`Runtime.use`), so
    it waits at the write barrier while authority moves and is drained like any other call."""

    @asynccontextmanager
    async def stores(entity: str) -> AsyncIterator[Stores]:
        snap = runtime.snapshot
        route = route_of(snap, entity)
        checkpoints = await checkpoint_collection(snap)

        @asynccontextmanager
        async def hold() -> AsyncIterator[object]:
            async with runtime.use() as current:
                if current is not snap:
                    raise Switched()
                yield current

        yield Stores(route, runtime.journal, checkpoints, hold)

    return stores
