"""The bulk forms of the contract for MongoDB (backfill and verify): one cursor for a whole scan, one
`insert_many` for a page of copies, the collection's metadata count.

Why they exist: paging with ``find({_id: {$gt: after}}).sort(_id).limit(n)`` is an index walk on
MongoDB, but stores speaking the wire protocol without that index path (FerretDB 1.x sorts and
filters in its own process) read the whole collection per page; one cursor reads it once. And an
insert of a key that is absent is the cheapest correct "copy, newer wins" there is: only keys that
already exist take the conditional single-document path. Maintenance work gets `BULK_TIMEOUT` per
operation instead of the caller-facing ``timeout``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pymongo
from bson import Int64
from pymongo.errors import BulkWriteError, OperationFailure

from proxy.backends.mongodb.errors import from_failure, translated, uncancelled
from proxy.models import Document, Scan

if TYPE_CHECKING:
    from proxy.backends.mongodb.collection import MongoCollection

BULK_TIMEOUT = 300.0
"""Seconds one page of a scan, one bulk insert or a count may take (not a caller's request)."""
DUPLICATE_KEY = 11000


@contextmanager
def bulk_timeout() -> Iterator[None]:
    """PyMongo's per-operation deadline for maintenance work started inside the block."""
    with pymongo.timeout(BULK_TIMEOUT):
        yield


async def scan_pages(coll: MongoCollection, scan: Scan) -> AsyncGenerator[list[Document], None]:
    filt: dict[str, Any] = {"_id": {"$gt": scan.after}} if scan.after is not None else {}
    chunk = max(scan.limit, 100)
    cursor = coll.coll.find(filt, sort=[("_id", 1)], batch_size=chunk)
    page: list[Document] = []
    try:
        while True:
            with bulk_timeout():
                async with translated(coll.name):
                    raws = await uncancelled(cursor.to_list(chunk))
            if not raws:
                break
            page += [coll._doc(r) for r in raws if scan.segment.contains(str(r["_id"]))]
            while len(page) >= scan.limit:
                yield page[: scan.limit]
                page = page[scan.limit:]
        if page:
            yield page
    finally:
        await cursor.close()


def _raw(coll: MongoCollection, doc: Document) -> dict[str, Any]:
    if doc.deleted:
        return {"_id": doc.key, "v": Int64(doc.version), "deleted": True}
    return {"_id": doc.key, "v": Int64(doc.version), "d": coll._bson(doc.body)}


async def copy_many(coll: MongoCollection, docs: Sequence[Document], concurrency: int) -> list[bool]:
    """Insert every document whose key is absent at once; a key that exists (a dual write got there
    first) is read and copied the ordinary way only if what is stored is older."""
    if not docs:
        return []
    existing: list[int] = []
    with bulk_timeout():
        async with translated(coll.name):
            try:
                await uncancelled(coll.coll.insert_many([_raw(coll, d) for d in docs], ordered=False))
            except BulkWriteError as e:
                errors = e.details.get("writeErrors", [])
                other = next((x for x in errors if x.get("code") != DUPLICATE_KEY), None)
                if other is not None:
                    raise from_failure(OperationFailure(str(other.get("errmsg", "")), other.get("code")),
                                       coll.name) from None
                existing = [int(x["index"]) for x in errors]
    written = [True] * len(docs)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(i: int) -> None:
        async with gate:
            stored = (await coll.get([docs[i].key])).get(docs[i].key)
            written[i] = (stored is None or stored.version < docs[i].version) and await coll.copy(docs[i])

    await asyncio.gather(*(one(i) for i in existing))
    return written


async def count(coll: MongoCollection) -> int | None:
    with bulk_timeout():
        async with translated(coll.name):
            return int(await uncancelled(coll.coll.estimated_document_count()))
