"""The repair journal: a durable set of (entity, key) whose stores may disagree.

It lives in an ordinary collection on the configured journal backend (PostgreSQL by default, SQLite
for the embedded default), one document per key, so it is deduplicated by construction and works on
any backend that supports queries. Entries carry no payload: repair re-reads the stores.

Every enqueue bumps the entry's version, and the worker deletes an entry only at the version it
repaired, so a failure that arrives while a repair is running is never swallowed. If the journal
store itself is unreachable, entries wait in memory (counted in the backlog) and are flushed later.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from proxy.backends.base import Collection
from proxy.errors import AlreadyExists, DataAccessError, NotFound, VersionConflict
from proxy.models import Condition, FieldPath, Op, Precondition, Query, Update

log = logging.getLogger("proxy.repair")
_KIND, _NEXT, _ENTITY = FieldPath(("kind",)), FieldPath(("next_at",)), FieldPath(("entity",))


@dataclass(frozen=True)
class Entry:
    entity: str
    key: str
    version: int
    attempts: int
    enqueued_at: float
    reason: str


class Journal:
    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        self._spill: dict[tuple[str, str], str] = {}

    @staticmethod
    def _id(entity: str, key: str) -> str:
        return f"{entity}:{key}"

    async def enqueue(self, entity: str, key: str, reason: str) -> None:
        """Record that ``key`` needs repair. Never raises: worst case it waits in memory."""
        try:
            await self._write(entity, key, reason)
        except DataAccessError as e:
            self._spill[(entity, key)] = reason
            log.error("repair journal unreachable (%s); %d entries held in memory", type(e).__name__,
                      len(self._spill))

    async def _write(self, entity: str, key: str, reason: str) -> None:
        now = time.time()
        body = {"kind": "repair", "entity": entity, "key": key, "reason": reason[:200],
                "enqueued_at": now, "next_at": now, "attempts": 0}
        try:
            await self.collection.put(self._id(entity, key), body, Precondition(must_not_exist=True))
        except AlreadyExists:
            # Bump the version so a repair already under way does not delete this newer request.
            await self.collection.update(self._id(entity, key), Update(
                set=((FieldPath(("next_at",)), now), (FieldPath(("reason",)), reason[:200]))))

    async def flush(self) -> int:
        """Move entries held in memory to the durable journal; returns how many are still held."""
        for (entity, key), reason in list(self._spill.items()):
            try:
                await self._write(entity, key, reason)
            except DataAccessError:
                break
            self._spill.pop((entity, key), None)
        return len(self._spill)

    async def due(self, limit: int, *, ignore_delay: bool = False) -> list[Entry]:
        """Entries whose retry time has come (all of them with ``ignore_delay``)."""
        when = (Condition(_NEXT, Op.LTE, time.time()),) if not ignore_delay else ()
        q = Query(filter=(Condition(_KIND, Op.EQ, "repair"), *when), limit=limit)
        page = await self.collection.query(q)
        return [Entry(d.body["entity"], d.body["key"], d.version, int(d.body.get("attempts", 0)),
                      float(d.body["enqueued_at"]), str(d.body.get("reason", ""))) for d in page.documents]

    async def done(self, entry: Entry) -> None:
        try:
            await self.collection.delete(self._id(entry.entity, entry.key),
                                         Precondition(expected_version=entry.version), tombstone=False)
        except (VersionConflict, NotFound):
            pass  # re-enqueued meanwhile (it stays for another pass) or another worker finished it

    async def retry_later(self, entry: Entry, delay: float, reason: str) -> None:
        try:
            await self.collection.update(self._id(entry.entity, entry.key), Update(
                set=((FieldPath(("attempts",)), entry.attempts + 1), (_NEXT, time.time() + delay),
                     (FieldPath(("reason",)), reason[:200])),
                precondition=Precondition(expected_version=entry.version)))
        except (VersionConflict, NotFound):
            pass

    async def backlog(self, entities: Sequence[str]) -> dict[str, tuple[int, float | None]]:
        """Per entity: waiting keys and the oldest enqueue time (None if empty)."""
        out: dict[str, tuple[int, float | None]] = {e: (0, None) for e in entities}
        cursor: bytes | None = None
        while True:
            page = await self.collection.query(Query(filter=(Condition(_KIND, Op.EQ, "repair"),),
                                                     limit=1000, cursor=cursor))
            for d in page.documents:
                n, oldest = out.get(d.body["entity"], (0, None))
                at = float(d.body["enqueued_at"])
                out[d.body["entity"]] = (n + 1, at if oldest is None else min(oldest, at))
            cursor = page.cursor
            if cursor is None:
                break
        for (entity, _), _reason in self._spill.items():
            n, oldest = out.get(entity, (0, None))
            out[entity] = (n + 1, oldest)
        return out

    # -- "the old store missed writes" markers ------------------------------------------------
    # In `complete` only the new store is written. Once an entity has been complete, the old store
    # may not take authority back (live → shadow) until `dataaccess backfill ENTITY --reverse` has
    # copied the new store's records onto it; the marker, shared by every sidecar through the
    # journal store, records that.

    @staticmethod
    def _marker(entity: str) -> str:
        return f"old-behind:{entity}"

    async def mark_old_behind(self, entity: str) -> None:
        await self.collection.put(self._marker(entity), {"kind": "marker", "entity": entity, "since": time.time()},
                                  Precondition())

    async def old_behind(self, entity: str) -> bool:
        doc = (await self.collection.get([self._marker(entity)])).get(self._marker(entity))
        return doc is not None and not doc.deleted

    async def clear_old_behind(self, entity: str) -> None:
        await self.collection.delete(self._marker(entity), Precondition(), tombstone=False)

    @property
    def held_in_memory(self) -> int:
        return len(self._spill)

    def held_for(self, entity: str) -> int:
        """Keys of ``entity`` waiting in memory because the journal store could not be written."""
        return sum(1 for e, _ in self._spill if e == entity)
