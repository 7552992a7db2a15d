"""MongoDB-specific checks the shared contract suite does not reach: the translations that keep MongoDB
on `proxy.backends.match` semantics (array traversal, null vs missing, regex escaping, missing-last
order, overlapping update paths, int64 limits), the document layout, and outage recovery.

Runs against FerretDB 1.24 (dev/ferretdb.py), a MongoDB wire-compatible stand-in. Its known gaps are
avoided here rather than papered over: no Decimal128 at all, no nested arrays, and findAndModify
is not atomic under concurrency (atomic counters are tested in the shared suite, on stores that
guarantee them).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from dev.common import Server
from dev.ferretdb import ferretdb, uri
from proxy.backends.base import Collection, CollectionSpec
from proxy.backends.memory import MemoryBackend
from proxy.backends.mongodb.backend import MongoBackend
from proxy.errors import DataAccessError, InvalidArgument, Unavailable, Unimplemented
from proxy.models import Condition, Document, FieldPath, Op, Order, Precondition, Query, Scan, Segment, Update
from proxy.schema import Schema

P = FieldPath.parse
NONE = Precondition()
SCHEMA = Schema("id", {})

BODIES: dict[str, dict[str, Any]] = {
    "a1": {"x": 1, "s": "a.b", "tags": [1, 2], "o": {"k": 1}},
    "a2": {"x": 2.5, "s": "a b", "tags": [], "o": [{"k": 1}]},
    "a3": {"x": None, "s": "(x", "tags": [None], "o": {"k": None}},
    "a4": {"x": "2", "s": "ä😀", "o": {}},
    "a5": {"x": True, "s": "a\nb", "tags": 1, "o": 5},
    "a6": {"s": "\\^$", "o": {"k": [1, 2]}},
    "a7": {"x": 0, "s": "", "o": {"k": "1"}},
}
CONDITIONS = [
    Condition(P("tags"), Op.EQ, 1), Condition(P("tags"), Op.NE, 1), Condition(P("tags"), Op.IN, (1, None)),
    Condition(P("x"), Op.EQ, None), Condition(P("x"), Op.NE, None), Condition(P("x"), Op.IN, (None, 2.5)),
    Condition(P("x"), Op.LT, 3), Condition(P("x"), Op.GTE, "1"), Condition(P("x"), Op.LTE, True),
    Condition(P("x"), Op.GT, None), Condition(P("x"), Op.EQ, 1.0), Condition(P("x"), Op.NE, True),
    Condition(P("o.k"), Op.EQ, 1), Condition(P("o.k"), Op.EXISTS, True), Condition(P("o.k"), Op.EXISTS, False),
    Condition(P("o.k"), Op.NE, None), Condition(P("o.k"), Op.GT, 0), Condition(P("o"), Op.EXISTS, True),
    Condition(P("s"), Op.PREFIX, "a."), Condition(P("s"), Op.PREFIX, "a "), Condition(P("s"), Op.PREFIX, "("),
    Condition(P("s"), Op.PREFIX, "a\n"), Condition(P("s"), Op.PREFIX, "\\^"), Condition(P("s"), Op.PREFIX, "ä"),
    Condition(P("x"), Op.PREFIX, "2"), Condition(P("tags"), Op.IN, ()),
]


@pytest.fixture
async def mongo(mongo_server: Server) -> AsyncIterator[MongoBackend]:
    async with MongoBackend("mongo", {"uri": uri(mongo_server), "database": "smoke", "timeout": 3}) as backend:
        yield backend


async def pair(mongo: MongoBackend) -> tuple[Collection, Collection]:
    spec = CollectionSpec("thing", SCHEMA, {"collection": f"t_{uuid.uuid4().hex[:12]}"})
    return await MemoryBackend("mem").collection(spec), await mongo.collection(spec)


async def outcome(coro: Any) -> Any:
    try:
        return await coro
    except DataAccessError as e:
        return type(e).__name__


async def test_filters_follow_the_reference(mongo: MongoBackend) -> None:
    ref, coll = await pair(mongo)
    for c in (ref, coll):
        for key, body in BODIES.items():
            await c.put(key, body, NONE)
        await c.delete("a7", NONE, tombstone=True)
    for cond in CONDITIONS:
        want = [d.key for d in (await ref.query(Query(filter=(cond,)))).documents]
        got = [d.key for d in (await coll.query(Query(filter=(cond,)))).documents]
        assert got == want, cond


@pytest.mark.parametrize("descending", [False, True])
async def test_missing_and_null_sort_like_the_reference_across_pages(mongo: MongoBackend, descending: bool) -> None:
    ref, coll = await pair(mongo)
    values: list[Any] = [3, None, 1, "b", 2.5, None, "a", False, 3]
    for c in (ref, coll):
        for i, v in enumerate(values):
            await c.put(f"k{i}", {} if i == 5 else {"v": v}, NONE)
    order = (Order(P("v"), descending),)
    for limit in (1, 2, 4, 100):
        pages: list[list[str]] = []
        for c in (ref, coll):
            keys, cursor = [], None
            while True:
                page = await c.query(Query(order=order, limit=limit, cursor=cursor))
                keys += [d.key for d in page.documents]
                if (cursor := page.cursor) is None:
                    break
            pages.append(keys)
        assert pages[1] == pages[0]


async def test_several_order_fields_follow_the_reference_or_are_refused(mongo: MongoBackend) -> None:
    ref, coll = await pair(mongo)
    for c in (ref, coll):
        for i, (a, b) in enumerate([(1, "x"), (1, None), (None, "y"), (1, "a"), (2, None)]):
            await c.put(f"k{i}", {"a": a, "b": b}, NONE)
    query = Query(order=(Order(P("a")), Order(P("b"), descending=True)))
    want = [d.key for d in (await ref.query(query)).documents]
    try:
        got = [d.key for d in (await coll.query(query)).documents]
    except Unimplemented:
        return  # a wire-compatible store without aggregation expressions ($switch, $cond)
    assert got == want


async def test_updates_follow_the_reference(mongo: MongoBackend) -> None:
    ref, coll = await pair(mongo)
    start = {"n": 5, "s": "text", "arr": [1], "o": {"p": 1}}
    updates = [
        Update(unset=(P("n.x"),)), Update(set=((P("arr.x"), 1),)), Update(increment=((P("s"), 1),)),
        Update(unset=(P("gone.x.y"),)), Update(set=((P("g"), {"x": 1}), (P("g.y"), 2))),
        Update(set=((P("h"), {"x": 1}),), increment=((P("h.x"), 5), (P("h.c"), 1))),
        Update(unset=(P("h"),), increment=((P("h.k"), 4),)), Update(set=((P("o.q"), 1),), unset=(P("o"),)),
        Update(increment=((P("s"), 1),), condition=(Condition(P("n"), Op.LT, 0),)),
        Update(set=((P("m"), 1),), condition=(Condition(P("arr"), Op.EQ, 1),)),
        Update(increment=((P("n"), -1), (P("fresh.k"), 2.5)), condition=(Condition(P("n"), Op.GTE, 1),)),
    ]
    for c in (ref, coll):
        await c.put("a", start, NONE)
    for u in updates:
        assert await outcome(coll.update("a", u)) == await outcome(ref.update("a", u)), u
    assert (await coll.get(["a"])) == (await ref.get(["a"]))


async def test_int64_limits_name_the_field(mongo: MongoBackend) -> None:
    _, coll = await pair(mongo)
    await coll.put("a", {"n": 2**63 - 1, "m": -(2**63)}, NONE)
    assert (await coll.get(["a"]))["a"].body == {"n": 2**63 - 1, "m": -(2**63)}
    with pytest.raises(InvalidArgument) as e:
        await coll.update("a", Update(increment=((P("n"), 1),)))
    assert e.value.field == "n"
    with pytest.raises(InvalidArgument) as e:
        await coll.put("b", {"o": {"big": 2**64}}, NONE)
    assert e.value.field == "o.big"
    assert (await coll.get(["a"]))["a"].version == 1


async def test_body_fields_never_collide_with_the_layout(mongo: MongoBackend) -> None:
    _, coll = await pair(mongo)
    body = {"_id": "x", "v": "y", "d": {"d": 1}, "deleted": True}
    await coll.put("a", body, NONE)
    assert (await coll.get(["a"]))["a"] == Document("a", body, 1)
    assert [d.key for d in (await coll.query(Query())).documents] == ["a"]
    await coll.delete("a", NONE, tombstone=True)
    assert await coll.copy(Document("b", body, 3))
    assert [d.key for d in await coll.scan(Scan(segment=Segment(0, 1)))] == ["a", "b"]
    assert await coll.purge_tombstones() == 1


async def test_outage_is_unavailable_and_the_client_recovers(tmp_path: Path) -> None:
    server = ferretdb(tmp_path).start()
    try:
        async with MongoBackend("mongo", {"uri": uri(server), "database": "outage", "timeout": 2}) as backend:
            coll = await backend.collection(CollectionSpec("thing", SCHEMA, {"collection": "t"}))
            await coll.put("a", {"n": 1}, NONE)
            server.kill()
            with pytest.raises(Unavailable):
                await coll.put("a", {"n": 2}, NONE)
            with pytest.raises(Unavailable):
                await backend.ping()
            server.start()
            await backend.ping()
            assert (await coll.put("a", {"n": 3}, NONE)).body == {"n": 3}
    finally:
        server.stop()


def test_check_mapping() -> None:
    assert MongoBackend.check_mapping({"backend": "m", "collection": "things", "version_column": "v",
                                       "indexes": {}, "allow_scan": False}) == []
    assert MongoBackend.check_mapping({"table": "t", "collection": "system.users"}) == [
        "table: not used by mongodb", "collection: 'system.users' is not a usable MongoDB collection name"]
