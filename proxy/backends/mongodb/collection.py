"""MongoDB collection operations. One proxy-owned collection per entity, documents
``{_id: key, v: version, d: body}``; tombstones ``{_id: key, v: version, deleted: true}``. The body
sits under ``d`` so a user field can never collide with ours (and ``d.`` prefixes every request path).

Every write is one single-document operation whose filter carries the precondition and condition,
with ``$inc: {v: 1}`` in the same update, so MongoDB checks and writes atomically. When it matches
nothing, one read classifies why (NotFound / VersionConflict / ConditionFailed / the bad field); if
that read explains nothing the document changed in between and the operation is retried. The one
read-then-write path is for ``decimals: string`` (the store cannot ``$inc`` text): a compare-and-set
on the version read, retried while others move it on (`_update_by_version`). No multi-document
transactions (stand-ins such as FerretDB 1.x have none).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncGenerator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bson import Int64
from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from proxy.backends.base import Collection, CollectionSpec
from proxy.backends.match import apply_update, matches
from proxy.backends.memory import check_precondition
from proxy.backends.mongodb import bulk
from proxy.backends.mongodb.codec import from_bson, to_bson
from proxy.backends.mongodb.errors import translated, uncancelled
from proxy.backends.mongodb.filters import (
    TEXT_DECIMALS,
    Filter,
    classes,
    conditions,
    order_keys,
    sort_stages,
    update_document,
)
from proxy.errors import AlreadyExists, ConditionFailed, InvalidArgument, NotFound, Unavailable
from proxy.models import Body, Document, Order, Page, Precondition, Query, Scan, Update
from proxy.schema import FieldType

if TYPE_CHECKING:
    from proxy.backends.mongodb.backend import MongoBackend

log = logging.getLogger("proxy.backends.mongodb")

Raw = dict[str, Any]
ATTEMPTS = 3
CAS_ATTEMPTS = 50
"""Tries of a read-apply-compare-and-set update (text decimals) before the caller is told to retry."""
"""Tries of one atomic write whose no-match the classifying read could not explain (it raced)."""
LIVE: Filter = {"deleted": {"$ne": True}}
BUMP: Filter = {"v": Int64(1)}
"""Versions are int64 from the first write on (an int32 ``v`` would be promoted only at 2^31)."""
_DUPLICATE: Raw = {}
"""`_modify`'s answer when an upsert collided with an existing key (compared by identity)."""


class MongoCollection(Collection):
    def __init__(self, backend: MongoBackend, spec: CollectionSpec, coll: AsyncCollection[Raw]) -> None:
        self.spec, self.backend, self.coll = spec, backend, coll
        self.name = backend.name
        self.text_decimals = backend.text_decimals

    def _bson(self, body: Body) -> Raw:
        return dict(to_bson(body, "", self.text_decimals))

    @contextmanager
    def _translating(self) -> Iterator[None]:
        """Filter and update translation in this collection's decimal mode."""
        token = TEXT_DECIMALS.set(self.text_decimals)
        try:
            yield
        finally:
            TEXT_DECIMALS.reset(token)

    def _doc(self, raw: Raw) -> Document:
        key, version = str(raw["_id"]), int(raw.get("v", 0))
        if raw.get("deleted"):
            return Document.tombstone(key, version)
        return Document(key, self.spec.schema.restore(from_bson(raw.get("d") or {})), version)

    async def _modify(self, filt: Filter, update: Filter, *, upsert: bool = False) -> Raw | None:
        """One findAndModify returning the document after the write; `_DUPLICATE` when an upsert hit
        an existing key."""
        async with translated(self.name):
            try:
                return await uncancelled(self.coll.find_one_and_update(
                    filt, update, upsert=upsert, return_document=ReturnDocument.AFTER))
            except DuplicateKeyError:
                return _DUPLICATE

    async def _current(self, key: str) -> Document | None:
        async with translated(self.name):
            raw = await uncancelled(self.coll.find_one({"_id": key}))
        return self._doc(raw) if raw is not None else None

    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        if not keys:
            return {}
        async with translated(self.name):
            wanted = list(dict.fromkeys(keys))
            # One key: a plain _id equality (wire-compatible stores plan it as a point lookup;
            # FerretDB 1.x scans the collection for an $in).
            filt: Filter = {"_id": wanted[0]} if len(wanted) == 1 else {"_id": {"$in": wanted}}
            # The limit is exact (one record per key) and spares a getMore round trip: FerretDB 1.x
            # leaves a cursor open after the only batch and answers that getMore ~100 ms later.
            raws = await uncancelled(self.coll.find(filt, limit=len(wanted)).to_list(None))
        return {d.key: d for d in map(self._doc, raws)}

    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        update = {"$set": {"d": self._bson(body)}, "$unset": {"deleted": ""}, "$inc": BUMP}
        filt: Filter | None
        if pre.must_not_exist and (pre.must_exist or pre.expected_version):
            filt, upsert = None, False  # contradictory: the classifying read raises
        elif pre.must_not_exist:
            # Matches only a tombstone; on an absent key the upsert inserts {_id, deleted: true} and
            # the update turns it live with v = 1. A live document makes the insert collide.
            filt, upsert = {"_id": key, "deleted": True}, True
        elif pre.expected_version:
            filt, upsert = {"_id": key, "v": pre.expected_version, **LIVE}, False
        elif pre.must_exist:
            filt, upsert = {"_id": key, **LIVE}, False
        else:
            filt, upsert = {"_id": key}, True  # replace or create, continuing above a tombstone
        for _ in range(ATTEMPTS):
            raw = await self._modify(filt, update, upsert=upsert) if filt is not None else None
            if raw is _DUPLICATE:
                if pre.must_not_exist:
                    raise AlreadyExists(f"document {key!r} already exists")
                continue  # two upserts of an absent key raced: the retry finds the winner's document
            if raw is not None:
                return self._doc(raw)
            check_precondition(await self._current(key), pre, key)
        raise Unavailable(f"document {key!r} changed too often to write it; try again", backend=self.name)

    async def update(self, key: str, update: Update) -> Document:
        # One findAndModify: condition and precondition in the filter, set/unset/inc plus the version
        # bump in the update. Genuine MongoDB applies it atomically per document, so 200 concurrent
        # "decrement if >= 1" on 50 give exactly 50 successes. FerretDB 1.x does not (measured:
        # lost updates, and documents returned for writes that never landed) — atomic counters
        # must not be trusted to it.
        if self.text_decimals and _has_decimal(update):
            return await self._update_by_version(key, update)
        with self._translating():
            doc, guards = update_document(update)
            clauses = conditions(update.condition) + guards
        pre = update.precondition
        filt: Filter = {"_id": key, **LIVE}
        if pre.expected_version:
            filt["v"] = pre.expected_version
        if clauses:
            filt["$and"] = clauses
        for _ in range(ATTEMPTS):
            refused: InvalidArgument | None = None
            if not pre.must_not_exist:  # (it always fails on a live document: the read says how)
                try:
                    raw = await self._modify(filt, doc)
                except InvalidArgument as e:  # e.g. $inc on a string, $set below a scalar
                    raw, refused = None, e
                if raw is not None:
                    return self._doc(raw)
            await self._explain(key, update)
            if refused is not None:  # MongoDB refused what the reference semantics accept
                touched = [p for p, _ in update.set] + [p for p, _ in update.increment] + list(update.unset)
                refused.field = refused.field or (str(touched[0]) if touched else None)
                raise refused
        # Still no match with a condition that holds on every read: MongoDB judges it false.
        raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")

    async def _update_by_version(self, key: str, update: Update) -> Document:
        """Text decimals cannot be ``$inc``-ed or compared by the store: read the document, apply the
        update in Python and write it only if the version is still the one read (compare-and-set on
        one document, atomic on MongoDB). Retries while other writers move the version on."""
        for attempt in range(CAS_ATTEMPTS):
            current = await self._current(key)
            await self._explain(key, update, current)
            assert current is not None
            new = self._bson(apply_update(current.body, update))
            raw = await self._modify({"_id": key, "v": current.version, **LIVE},
                                     {"$set": {"d": new}, "$inc": BUMP})
            if raw is not None:
                return self._doc(raw)
            await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise Unavailable(f"document {key!r} changed too often to update it; try again", backend=self.name)

    async def _explain(self, key: str, update: Update, current: Document | None = None) -> None:
        """Raise what the reference semantics say about ``update`` on the stored document."""
        current = current if current is not None else await self._current(key)
        check_precondition(current, update.precondition, key)
        if current is None or current.deleted:
            raise NotFound(f"document {key!r} not found")
        if not matches(update.condition, current.body):
            raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
        self._bson(apply_update(current.body, update))  # names a bad path, an int64 overflow, …

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        filt: Filter = {"_id": key, **LIVE}
        if pre.expected_version:
            filt["v"] = pre.expected_version
        for _ in range(ATTEMPTS):
            if not pre.must_not_exist:
                if tombstone:
                    raw = await self._modify(filt, {"$set": {"deleted": True}, "$unset": {"d": ""}, "$inc": BUMP})
                    if raw is not None:
                        return self._doc(raw)
                else:
                    async with translated(self.name):
                        raw = await uncancelled(self.coll.find_one_and_delete(filt))
                    if raw is not None:
                        return Document.tombstone(key, int(raw["v"]) + 1)
            current = await self._current(key)
            check_precondition(current, pre, key)
            if current is None or current.deleted:
                return None
        raise Unavailable(f"document {key!r} changed too often to delete it; try again", backend=self.name)

    async def copy(self, doc: Document) -> bool:
        # Newer wins, as a compare-and-set: read the stored version by _id (a point lookup), then
        # insert if absent (a concurrent insert collides on _id) or update on exactly that version
        # (a concurrent write makes it match nothing). Either race is retried on a fresh read. One
        # filter with "v < doc.version" plus upsert would be equally atomic on MongoDB, but makes
        # wire-compatible stores (FerretDB 1.x) scan the collection whenever it matches nothing.
        if doc.deleted:
            fields: Raw = {"v": Int64(doc.version), "deleted": True}
        else:
            fields = {"v": Int64(doc.version), "d": self._bson(doc.body)}
        for _ in range(CAS_ATTEMPTS):
            current = await self._current(doc.key)
            if current is not None and current.version >= doc.version:
                return False
            async with translated(self.name):
                if current is None:
                    try:
                        await uncancelled(self.coll.insert_one({"_id": doc.key, **fields}))
                        return True
                    except DuplicateKeyError:
                        continue
                unset = {"d": ""} if doc.deleted else {"deleted": ""}
                res = await uncancelled(self.coll.update_one(
                    {"_id": doc.key, "v": current.version}, {"$set": fields, "$unset": unset}))
            if res.matched_count:
                return True
        raise Unavailable(f"document {doc.key!r} changed too often to copy it; try again", backend=self.name)

    async def query(self, query: Query) -> Page:
        start = _offset(query.cursor)
        with self._translating():
            filt: Filter = {"$and": [LIVE, *conditions(query.filter)]}
        keys = order_keys(query.order)
        if self.text_decimals:
            for o in keys:
                if self.spec.schema.types.get(str(o.path)) is FieldType.DECIMAL:
                    raise InvalidArgument(f"field {str(o.path)!r}: this MongoDB store keeps decimals as text "
                                          "(decimals: string), so it cannot order by them", field=str(o.path))
        need = query.limit + 1  # one extra document tells whether more follow
        async with translated(self.name):
            if len(keys) > 1:
                stages, helpers = sort_stages(keys)
                pipeline = [{"$match": filt}, *stages, *([{"$skip": start}] if start else []),
                            {"$limit": need}, {"$project": dict.fromkeys(helpers, 0)}]
                raws = await uncancelled(self._aggregate(pipeline))
            else:
                raws = await self._classes(filt, keys, start, need)
        docs = [self._doc(r) for r in raws]
        more = len(docs) > query.limit
        return Page(tuple(docs[: query.limit]), str(start + query.limit).encode() if more else None)

    async def _aggregate(self, pipeline: list[Filter]) -> list[Raw]:
        return await (await self.coll.aggregate(pipeline, allowDiskUse=True)).to_list(None)

    async def _classes(self, filt: Filter, keys: Sequence[Order], skip: int, need: int) -> list[Raw]:
        """Up to ``need`` documents from ``skip`` on across the presence classes (see `classes`)."""
        out: list[Raw] = []
        for clauses, sort in classes(keys[0]) if keys else [([], [("_id", 1)])]:
            if need <= 0:
                break
            part = {"$and": [filt, *clauses]}
            raws = await uncancelled(self.coll.find(part, sort=sort, skip=skip, limit=need).to_list(None))
            if not raws and skip:
                # The whole class lies before the page: count it to know how far to skip on.
                skip = max(0, skip - await uncancelled(self.coll.count_documents(part)))
                continue
            out += raws
            need -= len(raws)
            skip = 0
        return out

    async def scan(self, scan: Scan) -> list[Document]:
        if scan.limit <= 0:
            return []
        out: list[Document] = []
        after = scan.after
        batch = min(max(scan.limit * max(scan.segment.count, 1), 100), 5000)
        while len(out) < scan.limit:
            filt: Filter = {"_id": {"$gt": after}} if after is not None else {}
            with bulk.bulk_timeout():
                async with translated(self.name):
                    raws = await uncancelled(self.coll.find(filt, sort=[("_id", 1)], limit=batch).to_list(None))
            for raw in raws:  # segments are a hash of the key: filtered here, in key order
                if scan.segment.count <= 1 or scan.segment.contains(str(raw["_id"])):
                    out.append(self._doc(raw))
                    if len(out) >= scan.limit:
                        break
            if len(raws) < batch:
                break
            after = str(raws[-1]["_id"])
        return out

    async def purge_tombstones(self) -> int:
        async with translated(self.name):
            res = await uncancelled(self.coll.delete_many({"deleted": True}))
        return res.deleted_count

    def scan_pages(self, scan: Scan) -> AsyncGenerator[list[Document], None]:
        return bulk.scan_pages(self, scan)

    async def copy_many(self, docs: Sequence[Document], concurrency: int = 16) -> list[bool]:
        return await bulk.copy_many(self, docs, concurrency)

    async def count(self) -> int | None:
        return await bulk.count(self)


def _has_decimal(update: Update) -> bool:
    values = [v for _, v in update.set] + [v for _, v in update.increment] + [c.value for c in update.condition]
    return any(_contains_decimal(v) for v in values)


def _contains_decimal(value: Any) -> bool:
    if isinstance(value, Decimal):
        return True
    if isinstance(value, Mapping):
        return any(_contains_decimal(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_contains_decimal(v) for v in value)
    return False


def _offset(cursor: bytes | None) -> int:
    if not cursor:
        return 0
    try:
        start = int(cursor.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        start = -1
    if start < 0:
        raise InvalidArgument("page_token is not valid for this store", field="page_token")
    return start
