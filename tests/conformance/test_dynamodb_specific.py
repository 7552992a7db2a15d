"""DynamoDB-specific checks the shared contract suite does not reach: filter and update translations
held to `proxy.backends.match` (the memory backend runs the same calls), float/int fidelity through
DynamoDB's number normalization, declared indexes (GSIs) and the refusal without them, item and
number limits, the item layout, atomic counters, and outage recovery.

Runs against moto's server (dev/moto.py), never a mock. dev/moto.py runs moto one request at a time
(its threaded server applies a conditional UpdateItem without a lock), as DynamoDB serializes writes
to one item; a read-modify-write implementation would still lose updates there, so the contract
suite's 200-concurrent-decrements test runs on it as on any atomic store.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dev.moto import endpoint, moto
from proxy.backends.base import Collection, CollectionSpec
from proxy.backends.dynamodb.backend import DynamoBackend
from proxy.backends.dynamodb.collection import DynamoCollection
from proxy.backends.memory import MemoryBackend
from proxy.errors import DataAccessError, InvalidArgument, Unavailable
from proxy.models import Condition, Document, FieldPath, Op, Order, Precondition, Query, Scan, Segment, Update
from proxy.schema import FieldType, Schema

P = FieldPath.parse
NONE = Precondition()
SCHEMA = Schema("id", {"n": FieldType.INT, "price": FieldType.DECIMAL})

BODIES: dict[str, dict[str, Any]] = {
    "a1": {"x": 1, "s": "a.b", "tags": [1, 2], "o": {"k": 1}},
    "a2": {"x": 2.5, "s": "a b", "tags": [], "o": [{"k": 1}]},
    "a3": {"x": None, "s": "(x", "tags": [None], "o": {"k": None}},
    "a4": {"x": "2", "s": "ä😀", "o": {}},
    "a5": {"x": True, "s": "a\nb", "tags": 1, "o": 5},
    "a6": {"s": "#n0 :v0 OR", "o": {"k": [1, 2]}},
    "a7": {"x": 0, "s": "", "o": {"k": "1"}},
    "a8": {"x": 1.0, "s": "z", "o": {"k": {"deep": 1}}},
}
CONDITIONS = [
    Condition(P("tags"), Op.EQ, 1), Condition(P("tags"), Op.NE, 1), Condition(P("tags"), Op.IN, (1, None)),
    Condition(P("tags"), Op.EQ, [1, 2]), Condition(P("o"), Op.EQ, {"k": 1}), Condition(P("o"), Op.NE, {}),
    Condition(P("x"), Op.EQ, None), Condition(P("x"), Op.NE, None), Condition(P("x"), Op.IN, (None, 2.5)),
    Condition(P("x"), Op.LT, 3), Condition(P("x"), Op.GTE, "1"), Condition(P("x"), Op.LTE, True),
    Condition(P("x"), Op.GT, None), Condition(P("x"), Op.EQ, 1.0), Condition(P("x"), Op.NE, True),
    Condition(P("o.k"), Op.EQ, 1), Condition(P("o.k"), Op.EXISTS, True), Condition(P("o.k"), Op.EXISTS, False),
    Condition(P("o.k"), Op.NE, None), Condition(P("o.k"), Op.GT, 0), Condition(P("o.k.deep"), Op.EQ, 1),
    Condition(P("s"), Op.PREFIX, "a."), Condition(P("s"), Op.PREFIX, ""), Condition(P("s"), Op.PREFIX, "#n0"),
    Condition(P("s"), Op.GT, "a"), Condition(P("s"), Op.LT, "ä"), Condition(P("x"), Op.PREFIX, "2"),
    Condition(P("tags"), Op.IN, ()), Condition(P("x"), Op.IN, (1, "2", True)),
    Condition(P("x"), Op.IN, tuple(range(-150, 150))),  # longer than a DynamoDB expression may be
]


def settings(url: str, **more: Any) -> dict[str, Any]:
    return {"region": "us-east-1", "endpoint": url, "timeout": 3, **more}


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto takes any credentials; the backend reads the standard AWS chain and invents none."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
async def dynamo(dynamodb_endpoint: str) -> AsyncIterator[DynamoBackend]:
    async with DynamoBackend("dynamo", settings(dynamodb_endpoint)) as backend:
        yield backend


def spec(**mapping: Any) -> CollectionSpec:
    return CollectionSpec("thing", SCHEMA, {"table": f"t_{uuid.uuid4().hex[:12]}", **mapping})


async def pair(dynamo: DynamoBackend, **mapping: Any) -> tuple[Collection, Collection]:
    s = spec(allow_scan=True, **mapping)
    return await MemoryBackend("mem").collection(s), await dynamo.collection(s)


async def outcome(coro: Any) -> Any:
    try:
        return await coro
    except DataAccessError as e:
        return type(e).__name__


async def keys(coll: Collection, query: Query) -> list[str]:
    return [d.key for d in (await coll.query(query)).documents]


async def test_filters_and_order_follow_the_reference(dynamo: DynamoBackend) -> None:
    ref, coll = await pair(dynamo)
    for c in (ref, coll):
        for key, body in BODIES.items():
            await c.put(key, body, NONE)
        await c.delete("a7", NONE, tombstone=True)
    for cond in CONDITIONS:
        assert await keys(coll, Query(filter=(cond,))) == await keys(ref, Query(filter=(cond,))), cond
    for order in [(Order(P("x")),), (Order(P("s"), descending=True),), (Order(P("o.k")), Order(P("x"), True))]:
        for limit in (1, 3, 100):
            pages = []
            for c in (ref, coll):
                got, cursor = [], None
                while True:
                    page = await c.query(Query(order=order, limit=limit, cursor=cursor))
                    got += [d.key for d in page.documents]
                    if (cursor := page.cursor) is None:
                        break
                pages.append(got)
            assert pages[1] == pages[0], order


async def test_updates_follow_the_reference(dynamo: DynamoBackend) -> None:
    ref, coll = await pair(dynamo)
    start = {"n": 5, "s": "text", "arr": [1], "o": {"p": 1}, "f": 2.0}
    updates = [
        Update(unset=(P("n.x"),)), Update(set=((P("arr.x"), 1),)), Update(increment=((P("s"), 1),)),
        Update(unset=(P("gone.x.y"),)), Update(set=((P("g"), {"x": 1}), (P("g.y"), 2))),
        Update(set=((P("h"), {"x": 1}),), increment=((P("h.x"), 5), (P("h.c"), 1))),
        Update(unset=(P("h"),), increment=((P("h.k"), 4),)), Update(set=((P("o.q"), 1),), unset=(P("o"),)),
        Update(increment=((P("s"), 1),), condition=(Condition(P("n"), Op.LT, 0),)),
        Update(set=((P("m"), 1),), condition=(Condition(P("arr"), Op.EQ, [1]),)),
        Update(set=((P("m"), 2),), condition=(Condition(P("arr"), Op.EQ, [2]),)),
        Update(increment=((P("n"), -1), (P("fresh.k"), 2.5)), condition=(Condition(P("n"), Op.GTE, 1),)),
        Update(set=((P("f"), 3),), increment=((P("fresh.k"), 0.5),)), Update(set=((P("o"), {"a": [1.0, {"b": 2.0}]}),)),
        Update(set=((P("o"), {"a": [1, {"b": 2}]}),)), Update(increment=((P("n"), 1.0),)),
        Update(set=((P("x"), "y"),), precondition=Precondition(expected_version=99)),
        Update(set=((P("x"), "y"),), precondition=Precondition(must_not_exist=True)),
        Update(increment=((P("n"), 1),), condition=(Condition(P("n"), Op.IN, tuple(range(300))),)),
    ]
    for c in (ref, coll):
        await c.put("a", start, NONE)
    for u in updates:
        assert await outcome(coll.update("a", u)) == await outcome(ref.update("a", u)), u
        want, got = (await ref.get(["a"]))["a"], (await coll.get(["a"]))["a"]
        assert got == want and _types(got.body) == _types(want.body), u
    assert await outcome(coll.update("zz", updates[0])) == "NotFound"


def _types(value: Any) -> Any:
    """The value's shape with every scalar replaced by its type (ints and floats must not mix up)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


async def test_floats_stay_floats_and_ints_stay_ints(dynamo: DynamoBackend) -> None:
    _, coll = await pair(dynamo)
    body = {"f": 2.0, "i": 2, "big": 1e20, "neg": -0.0, "l": [1.0, 2, {"x": 3.0}], "d.ot": {"#k": 4.0},
            "n": 7, "price": Decimal("20.00")}
    await coll.put("a", body, NONE)
    got = (await coll.get(["a"]))["a"].body
    assert got == body and _types(got) == _types(body)
    d = await coll.update("a", Update(set=((P("f"), 3),), increment=((P("i"), 0.5),)))
    assert _types(d.body)["f"] == "int" and d.body["i"] == 2.5
    d = await coll.update("a", Update(increment=((P("i"), 0.5), (P("n"), 1))))
    assert d.body["i"] == 3.0 and isinstance(d.body["i"], float) and d.body["n"] == 8 and isinstance(d.body["n"], int)
    d = await coll.update("a", Update(set=((P("l"), [5, {"x": 6}]),)))  # stale marks below "l" are dropped
    assert _types(d.body["l"]) == ["int", {"x": "int"}]
    assert (await coll.get(["a"]))["a"] == d


async def test_query_without_index_or_scan_permission_names_the_index(dynamo: DynamoBackend) -> None:
    coll = await dynamo.collection(spec(indexes={"by_tag": "tag"}))
    await coll.put("a", {"tag": "x", "title": "t"}, NONE)
    with pytest.raises(InvalidArgument) as e:
        await coll.query(Query(filter=(Condition(P("title"), Op.EQ, "t"),)))
    assert e.value.field == "title" and "'title'" in e.value.message and "allow_scan" in e.value.message
    assert "by_tag" in e.value.message
    with pytest.raises(InvalidArgument):
        await coll.query(Query())
    with pytest.raises(InvalidArgument):  # an equality with a value the index cannot hold
        await coll.query(Query(filter=(Condition(P("tag"), Op.EQ, 5),)))


async def test_query_via_declared_indexes(dynamo: DynamoBackend) -> None:
    s = spec(indexes={"by_tag": "tag", "by_n": "n", "by_cam": "spec.cam"})
    coll, ref = await dynamo.collection(s), await MemoryBackend("mem").collection(s)
    rows = {"k1": {"tag": "x", "n": 1, "spec": {"cam": "48MP"}}, "k2": {"tag": "y", "n": 2},
            "k3": {"tag": "x", "n": 3, "spec": {"cam": "12MP"}}, "k4": {"tag": 7, "n": 1}, "k5": {"n": 2}}
    for c in (coll, ref):
        for k, b in rows.items():
            await c.put(k, b, NONE)
        await c.update("k2", Update(set=((P("tag"), "x"),)))
        await c.update("k5", Update(increment=((P("n"), -1),)))
        await c.update("k3", Update(set=((P("spec"), {"cam": "48MP"}),)))
        await c.update("k1", Update(unset=(P("spec"),)))
        await c.delete("k4", NONE, tombstone=True)
        await c.copy(Document("k6", {"tag": "x", "n": 1}, 9))
    queries = [
        Query(filter=(Condition(P("tag"), Op.EQ, "x"),), order=(Order(P("n"), True),)),
        Query(filter=(Condition(P("tag"), Op.EQ, "x"), Condition(P("n"), Op.GT, 1))),
        Query(filter=(Condition(P("n"), Op.EQ, 1),)), Query(filter=(Condition(P("n"), Op.EQ, 1.0),)),
        Query(filter=(Condition(P("spec.cam"), Op.EQ, "48MP"),)), Query(filter=(Condition(P("tag"), Op.EQ, "z"),)),
    ]
    for q in queries:
        for limit in (1, 100):
            page = Query(q.filter, q.order, limit)
            assert await keys(coll, page) == await keys(ref, page), q
    assert await keys(coll, queries[0]) == ["k3", "k2", "k1", "k6"]


async def test_limits_are_invalid_arguments_naming_what(dynamo: DynamoBackend) -> None:
    _, coll = await pair(dynamo)
    with pytest.raises(InvalidArgument) as e:
        await coll.put("big", {"blob": "x" * 420_000}, NONE)
    assert "'big'" in e.value.message and "'thing'" in e.value.message and "400 KB" in e.value.message
    with pytest.raises(InvalidArgument):
        await coll.copy(Document("big", {"blob": "x" * 420_000}, 3))
    with pytest.raises(InvalidArgument) as e:
        await coll.put("a", {"o": {"n": 10**39 + 1}}, NONE)
    assert e.value.field == "o.n"
    with pytest.raises(InvalidArgument) as e:
        await coll.put("a", {"tiny": 1e-200}, NONE)
    assert e.value.field == "tiny"
    with pytest.raises(InvalidArgument) as e:
        await coll.put("", {"n": 1}, NONE)
    assert e.value.field == "key"
    await coll.put("a", {"n": 10**40, "m": 2**63 - 1, "price": Decimal("1." + "1" * 37)}, NONE)
    assert (await coll.get(["a"]))["a"].body == {"n": 10**40, "m": 2**63 - 1, "price": Decimal("1." + "1" * 37)}
    with pytest.raises(InvalidArgument) as e:
        await coll.update("a", Update(increment=((P("price"), Decimal("1." + "1" * 38)),)))
    assert e.value.field == "price"
    assert (await coll.get(["a"]))["a"].version == 1
    assert await coll.get(["", "x" * 3000]) == {}


async def test_item_layout_and_names_that_look_like_placeholders(dynamo: DynamoBackend) -> None:
    _, coll = await pair(dynamo)
    body = {"pk": "p", "v": "y", "d": {"d": 1}, "deleted": True, "f": 1.0, "#n0": ":v0", "a.b": [":v1"]}
    await coll.put("#n0 :v0", body, NONE)
    assert (await coll.get(["#n0 :v0"]))["#n0 :v0"] == Document("#n0 :v0", body, 1)
    assert await keys(coll, Query(filter=(Condition(P("deleted"), Op.EQ, True),))) == ["#n0 :v0"]
    assert isinstance(coll, DynamoCollection)
    table = coll.table
    raw = (await dynamo.client.get_item(TableName=table, Key={"pk": {"S": "#n0 :v0"}}))["Item"]
    assert set(raw) == {"pk", "v", "deleted", "d", "f"} and raw["v"] == {"N": "1"}
    assert raw["deleted"] == {"BOOL": False} and raw["f"] == {"M": {'["f"]': {"BOOL": True}}}
    await coll.delete("#n0 :v0", NONE, tombstone=True)
    raw = (await dynamo.client.get_item(TableName=table, Key={"pk": {"S": "#n0 :v0"}}))["Item"]
    assert raw == {"pk": {"S": "#n0 :v0"}, "v": {"N": "2"}, "deleted": {"BOOL": True}}
    assert await coll.copy(Document("b", body, 3))
    assert [d.key for d in await coll.scan(Scan(segment=Segment(0, 1)))] == ["#n0 :v0", "b"]
    assert await coll.purge_tombstones() == 1


def test_check_mapping() -> None:
    assert DynamoBackend.check_mapping({"backend": "d", "table": "things", "version_column": "v",
                                        "indexes": {"by_tag": "tag"}, "allow_scan": True}) == []
    assert DynamoBackend.check_mapping({"collection": "c", "table": "x"}) == [
        "collection: not used by dynamodb", "table: 'x' is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)"]


async def test_outage_is_unavailable_and_the_client_recovers(tmp_path: Path) -> None:
    server = moto(tmp_path).start()
    try:
        async with DynamoBackend("dynamo", settings(endpoint(server), timeout=2)) as backend:
            coll = await backend.collection(spec(allow_scan=True))
            await coll.put("a", {"n": 1}, NONE)
            server.stop()
            calls = [lambda: coll.put("a", {"n": 2}, NONE), lambda: coll.get(["a"]), lambda: coll.query(Query()),
                     backend.ping]
            for call in calls:
                with pytest.raises(Unavailable):
                    await call()
            server.start()  # moto keeps nothing: the table is set up again on first use
            await backend.ping()
            assert (await coll.put("a", {"n": 3}, NONE)).body == {"n": 3}
            assert [d.key for d in (await coll.query(Query())).documents] == ["a"]
        async with DynamoBackend("dynamo", settings(endpoint(server), timeout=2)) as backend:
            server.stop()  # down while the collection is set up: it is set up on first use instead
            coll = await backend.collection(spec())
            server.start()
            assert (await coll.put("b", {"n": 1}, NONE)).version == 1
    finally:
        server.stop()
