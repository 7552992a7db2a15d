"""The backend contract (proxy/backends/base.py), case by case, on every backend."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from proxy.backends.base import Backend, Collection
from proxy.errors import AlreadyExists, ConditionFailed, NotFound, Unimplemented, VersionConflict
from proxy.models import (
    Condition,
    Document,
    FieldPath,
    Op,
    Order,
    Precondition,
    Query,
    Scan,
    Search,
    Segment,
    Update,
)

P = FieldPath.parse
NONE = Precondition()


async def test_put_get_and_versions(coll: Collection) -> None:
    d = await coll.put("a", {"title": "one"}, NONE)
    assert d.version == 1
    d = await coll.put("a", {"title": "two"}, NONE)
    assert d.version == 2
    got = await coll.get(["a", "missing"])
    assert list(got) == ["a"]
    assert got["a"].body == {"title": "two"} and got["a"].version == 2 and not got["a"].deleted


async def test_create_if_absent(coll: Collection) -> None:
    await coll.put("a", {"n": 1}, Precondition(must_not_exist=True))
    with pytest.raises(AlreadyExists):
        await coll.put("a", {"n": 2}, Precondition(must_not_exist=True))
    assert (await coll.get(["a"]))["a"].body == {"n": 1}


async def test_replace_with_expected_version(coll: Collection) -> None:
    await coll.put("a", {"n": 1}, NONE)
    with pytest.raises(VersionConflict):
        await coll.put("a", {"n": 2}, Precondition(expected_version=5))
    with pytest.raises(VersionConflict):
        await coll.put("nope", {"n": 2}, Precondition(expected_version=1))
    d = await coll.put("a", {"n": 3}, Precondition(expected_version=1))
    assert d.version == 2 and (await coll.get(["a"]))["a"].body == {"n": 3}
    with pytest.raises(NotFound):
        await coll.put("nope", {"n": 2}, Precondition(must_exist=True))


async def test_delete_leaves_tombstone_and_recreate_continues_above_it(coll: Collection) -> None:
    await coll.put("a", {"n": 1}, NONE)
    await coll.put("a", {"n": 2}, NONE)
    with pytest.raises(VersionConflict):
        await coll.delete("a", Precondition(expected_version=1), tombstone=True)
    tomb = await coll.delete("a", NONE, tombstone=True)
    assert tomb is not None and tomb.deleted and tomb.version == 3
    got = (await coll.get(["a"]))["a"]
    assert got.deleted and got.version == 3
    assert await coll.delete("a", NONE, tombstone=True) is None
    again = await coll.put("a", {"n": 9}, Precondition(must_not_exist=True))
    assert again.version == 4
    assert (await coll.query(Query())).documents == (Document("a", {"n": 9}, 4),)


async def test_delete_without_tombstone_forgets(coll: Collection) -> None:
    await coll.put("a", {"n": 1}, NONE)
    assert (await coll.delete("a", NONE, tombstone=False)) is not None
    assert await coll.get(["a"]) == {}


async def test_update_increment_set_unset_with_condition(coll: Collection) -> None:
    await coll.put("a", {"n": 5, "title": "t", "nested": {"x": 1}, "drop": True}, NONE)
    d = await coll.update("a", Update(set=((P("title"), "u"), (P("nested.deep.y"), [1, 2])), unset=(P("drop"),),
                                      increment=((P("n"), -2), (P("nested.x"), 10), (P("fresh"), 1)),
                                      condition=(Condition(P("n"), Op.GTE, 3),)))
    assert d.version == 2
    want = {"n": 3, "title": "u", "nested": {"x": 11, "deep": {"y": [1, 2]}}, "fresh": 1}
    assert d.body == want
    assert (await coll.get(["a"]))["a"].body == want


async def test_false_condition_writes_nothing(coll: Collection) -> None:
    await coll.put("a", {"n": 0}, NONE)
    with pytest.raises(ConditionFailed):
        await coll.update("a", Update(increment=((P("n"), -1),), condition=(Condition(P("n"), Op.GTE, 1),)))
    got = (await coll.get(["a"]))["a"]
    assert got.body == {"n": 0} and got.version == 1
    with pytest.raises(NotFound):
        await coll.update("zz", Update(set=((P("n"), 1),)))
    with pytest.raises(VersionConflict):
        await coll.update("a", Update(set=((P("n"), 1),), precondition=Precondition(expected_version=7)))


async def test_decimal_increment_keeps_exact_value(coll: Collection) -> None:
    await coll.put("a", {"price": Decimal("19.99")}, NONE)
    d = await coll.update("a", Update(increment=((P("price"), Decimal("0.01")),)))
    assert (await coll.get(["a"]))["a"].body["price"] == Decimal("20.00") == d.body["price"]


async def test_concurrent_conditional_decrements_are_atomic(coll: Collection, atomic_store: bool) -> None:
    await coll.put("stock", {"n": 50}, NONE)
    dec = Update(increment=((P("n"), -1),), condition=(Condition(P("n"), Op.GTE, 1),))

    async def buy() -> bool:
        try:
            await coll.update("stock", dec)
            return True
        except ConditionFailed:
            return False

    if atomic_store:
        results = await asyncio.gather(*(buy() for _ in range(200)))
    else:  # a stand-in without atomic findAndModify (see conftest): the same calls, serialized
        results = [await buy() for _ in range(200)]
    assert results.count(True) == 50
    got = (await coll.get(["stock"]))["stock"]
    assert got.body["n"] == 0 and got.version == 51


async def test_round_trip_without_loss(coll: Collection) -> None:
    body = {"big": 2**53 + 1, "max": 2**63 - 1, "neg": -(2**62), "price": Decimal("12345678901234567890.01"),
            "nested": {"a": {"b": [1, {"c": None}], "e": {}}}, "title": "Grüße 🌍 ünï \"q\" ';--",
            "empty": [], "flag": False, "f": 0.25, "at": dt.datetime(2024, 5, 1, 8, 0, 0, 500000, tzinfo=dt.UTC)}
    await coll.put("a", body, NONE)
    got = (await coll.get(["a"]))["a"].body
    assert got == body
    assert isinstance(got["price"], Decimal) and str(got["price"]) == "12345678901234567890.01"


async def test_copy_newer_wins_including_tombstones(coll: Collection) -> None:
    assert await coll.copy(Document("a", {"n": 1}, 5))
    assert not await coll.copy(Document("a", {"n": 0}, 4))
    assert not await coll.copy(Document("a", {"n": 0}, 5))
    assert (await coll.get(["a"]))["a"] == Document("a", {"n": 1}, 5)
    assert await coll.copy(Document.tombstone("a", 6))
    assert not await coll.copy(Document("a", {"n": 2}, 6))
    assert (await coll.get(["a"]))["a"].deleted
    assert await coll.copy(Document("a", {"n": 3}, 7))
    assert (await coll.get(["a"]))["a"] == Document("a", {"n": 3}, 7)
    assert await coll.copy(Document.tombstone("fresh", 2))
    assert (await coll.get(["fresh"]))["fresh"].deleted


async def _seed(coll: Collection) -> None:
    rows = {
        "k1": {"n": 1, "title": "apple pie", "tag": "x", "spec": {"cam": "48MP"}},
        "k2": {"n": 2, "title": "banana bread", "tag": "y", "spec": {"cam": "12MP"}},
        "k3": {"n": 3, "title": "apple tart", "tag": "x"},
        "k4": {"n": 4, "title": "cherry", "tag": None},
        "k5": {"n": 5, "title": "apricot jam"},
    }
    for k, b in rows.items():
        await coll.put(k, b, NONE)
    await coll.put("k6", {"n": 6}, NONE)
    await coll.delete("k6", NONE, tombstone=True)


async def _keys(coll: Collection, *conds: Condition, order: tuple[Order, ...] = ()) -> list[str]:
    return [d.key for d in (await coll.query(Query(filter=conds, order=order, limit=100))).documents]


@pytest.mark.parametrize(("cond", "want"), [
    (Condition(P("n"), Op.EQ, 3), ["k3"]),
    (Condition(P("tag"), Op.NE, "x"), ["k2", "k4", "k5"]),
    (Condition(P("n"), Op.LT, 3), ["k1", "k2"]),
    (Condition(P("n"), Op.LTE, 3), ["k1", "k2", "k3"]),
    (Condition(P("n"), Op.GT, 3), ["k4", "k5"]),
    (Condition(P("n"), Op.GTE, 3), ["k3", "k4", "k5"]),
    (Condition(P("n"), Op.IN, (2, 5, 99)), ["k2", "k5"]),
    (Condition(P("tag"), Op.EXISTS, True), ["k1", "k2", "k3", "k4"]),
    (Condition(P("tag"), Op.EXISTS, False), ["k5"]),
    (Condition(P("title"), Op.PREFIX, "ap"), ["k1", "k3", "k5"]),
    (Condition(P("spec.cam"), Op.EQ, "48MP"), ["k1"]),
    (Condition(P("title"), Op.GT, "b"), ["k2", "k4"]),
    (Condition(P("n"), Op.GT, "a"), []),
])
async def test_query_operators(coll: Collection, cond: Condition, want: list[str]) -> None:
    await _seed(coll)
    assert await _keys(coll, cond) == want


async def test_query_order_and_paging(coll: Collection) -> None:
    await _seed(coll)
    assert await _keys(coll, order=(Order(P("n"), descending=True),)) == ["k5", "k4", "k3", "k2", "k1"]
    assert await _keys(coll, order=(Order(P("tag")),)) == ["k1", "k3", "k2", "k4", "k5"]
    assert await _keys(coll, Condition(P("n"), Op.GTE, 2), order=(Order(P("tag"), descending=True),)) == [
        "k4", "k5", "k2", "k3"]
    seen, cursor, pages = [], None, 0
    while True:
        page = await coll.query(Query(order=(Order(P("n")),), limit=2, cursor=cursor))
        seen += [d.key for d in page.documents]
        pages += 1
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == ["k1", "k2", "k3", "k4", "k5"] and pages == 3


async def test_search(backend: Backend, coll: Collection) -> None:
    await _seed(coll)
    if not backend.capabilities.search:
        with pytest.raises(Unimplemented):
            await coll.search(Search("apple"))
        return
    hits = [d.key for d in (await coll.search(Search("apple", limit=10))).documents]
    assert sorted(hits) == ["k1", "k3"]
    hits = [d.key for d in (await coll.search(Search("apple", filter=(Condition(P("n"), Op.GT, 1),)))).documents]
    assert hits == ["k3"]


async def test_scan_in_key_order_with_segments(coll: Collection) -> None:
    await _seed(coll)
    everything = await coll.scan(Scan(limit=100))
    assert [d.key for d in everything] == ["k1", "k2", "k3", "k4", "k5", "k6"]
    assert everything[-1].deleted
    first = await coll.scan(Scan(limit=2))
    rest = await coll.scan(Scan(after=first[-1].key, limit=100))
    assert [d.key for d in first + rest] == [d.key for d in everything]
    parts = [await coll.scan(Scan(limit=100, segment=Segment(i, 3))) for i in range(3)]
    assert sorted(d.key for p in parts for d in p) == [d.key for d in everything]
