"""OpenSearch-specific checks the shared contract suite does not reach: the explicit mapping, refresh
semantics, ranking, the query projection held to `proxy.backends.match` on awkward data (mixed types,
null vs missing, arrays, int64 and decimal limits, very long strings), compare-and-set across two
sidecars, and outages. Real OpenSearch 2.19 (dev/opensearch.py) only; outages go through a TCP relay
in front of the same node, so no second node has to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from opensearchpy import AsyncOpenSearch

from dev.common import free_port
from proxy.backends.base import Collection, CollectionSpec
from proxy.backends.memory import MemoryBackend
from proxy.backends.opensearch.backend import OpenSearchBackend
from proxy.errors import (
    ConditionFailed,
    ConfigError,
    DataAccessError,
    DeadlineExceeded,
    InvalidArgument,
    Unavailable,
)
from proxy.models import Condition, Document, FieldPath, Op, Order, Precondition, Query, Scan, Search, Update
from proxy.schema import FieldType, Schema

P = FieldPath.parse
NONE = Precondition()
SCHEMA = Schema("id", {"price": FieldType.DECIMAL, "at": FieldType.TIMESTAMP, "qty": FieldType.INT,
                       "name": FieldType.STRING, "meta.ok": FieldType.BOOL, "spec": FieldType.OBJECT})
T0 = dt.datetime(2024, 5, 1, 8, 0, 0, 500000, tzinfo=dt.UTC)
LONG = "x" * 5000

BODIES: dict[str, dict[str, Any]] = {
    "a1": {"x": 1, "s": "a.b", "tags": [1, 2], "o": {"k": 1}, "n": 2**63 - 1, "price": Decimal("19.990"), "at": T0},
    "a2": {"x": 2.5, "s": "a b", "tags": [], "o": [{"k": 1}], "n": 2**63 - 2, "price": Decimal("19.99")},
    "a3": {"x": None, "s": "(x", "tags": [None], "o": {"k": None}, "n": -(2**63), "price": None, "at": None},
    "a4": {"x": "2", "s": "ä😀", "o": {}, "n": 2**64, "price": Decimal("12345678901234567890.01"),
           "at": T0 + dt.timedelta(microseconds=1)},
    "a5": {"x": True, "s": "a\nb", "tags": 1, "o": 5, "n": -0.5, "price": Decimal("12345678901234567890.02")},
    "a6": {"s": "\\^$", "o": {"k": [1, 2]}, "n": 1e300, "x": -1, "price": Decimal("-0.001"),
           "at": T0 - dt.timedelta(days=400)},
    "a7": {"x": 0, "s": "", "o": {"k": "1"}, "n": -1.5, "price": Decimal("1E+30")},
    "a8": {"x": 1.0, "s": "A", "tags": [1, 2.0], "o": {"k": 1, "j": {"z": True}}, "n": 0.1},
    "a9": {"x": -1.25, "s": "é", "tags": [2, 1], "o": {"j": {"z": False}}, "n": -1, "price": Decimal("0")},
    "b1": {"x": 10, "s": "b", "n": 1e-300, "long": LONG + "a"},
    "b2": {"x": False, "s": "ab", "n": 0, "long": LONG + "b", "k": "x", "v": 7, "d": {"deleted": True}},
    "b3": {"s": 5, "long": LONG[:-1], "f": [{"p": "x", "e": "a31"}], "deleted": True},
}
CONDITIONS = [
    Condition(P("x"), Op.EQ, 1), Condition(P("x"), Op.EQ, 1.0), Condition(P("x"), Op.EQ, True),
    Condition(P("x"), Op.EQ, None), Condition(P("x"), Op.NE, None), Condition(P("x"), Op.NE, 1),
    Condition(P("x"), Op.IN, (None, 2.5, "2", True)), Condition(P("x"), Op.IN, ()),
    Condition(P("x"), Op.LT, 3), Condition(P("x"), Op.GTE, "1"), Condition(P("x"), Op.LTE, True),
    Condition(P("x"), Op.GT, None), Condition(P("x"), Op.GT, -1.25), Condition(P("x"), Op.LTE, 0),
    Condition(P("x"), Op.EXISTS, False), Condition(P("x"), Op.PREFIX, "2"),
    Condition(P("n"), Op.EQ, 2**63 - 1), Condition(P("n"), Op.GT, 2**63 - 2), Condition(P("n"), Op.LT, -1),
    Condition(P("n"), Op.GTE, 2**64), Condition(P("n"), Op.LT, 1e-299), Condition(P("n"), Op.EQ, -1.0),
    Condition(P("n"), Op.GT, Decimal("-0.5000")), Condition(P("n"), Op.LTE, -(2**63)),
    Condition(P("price"), Op.EQ, Decimal("19.99")), Condition(P("price"), Op.GT, Decimal("12345678901234567890.01")),
    Condition(P("price"), Op.LT, 0), Condition(P("price"), Op.GTE, Decimal("1e30")), Condition(P("price"), Op.NE, 0),
    Condition(P("at"), Op.EQ, T0), Condition(P("at"), Op.GT, T0), Condition(P("at"), Op.LT, T0),
    Condition(P("at"), Op.LT, "2030"), Condition(P("at"), Op.EXISTS, True),
    Condition(P("tags"), Op.EQ, [1, 2]), Condition(P("tags"), Op.EQ, 1), Condition(P("tags"), Op.NE, []),
    Condition(P("tags"), Op.IN, ([2, 1], [None])),
    Condition(P("o"), Op.EQ, {"k": 1}), Condition(P("o"), Op.EQ, {}), Condition(P("o.j"), Op.EQ, {"z": True}),
    Condition(P("o.j.z"), Op.EQ, False), Condition(P("o.k"), Op.EQ, 1), Condition(P("o.k"), Op.EXISTS, True),
    Condition(P("o.k"), Op.EXISTS, False), Condition(P("o.k"), Op.NE, None), Condition(P("o.k"), Op.GT, 0),
    Condition(P("o.k"), Op.EQ, [1, 2]),
    Condition(P("s"), Op.PREFIX, "a"), Condition(P("s"), Op.PREFIX, ""), Condition(P("s"), Op.PREFIX, "("),
    Condition(P("s"), Op.PREFIX, "\\^"), Condition(P("s"), Op.PREFIX, "ä"), Condition(P("s"), Op.GT, "a b"),
    Condition(P("s"), Op.LT, "A"), Condition(P("s"), Op.EQ, 5), Condition(P("s"), Op.GTE, 5),
    Condition(P("long"), Op.EQ, LONG + "a"), Condition(P("long"), Op.GT, LONG + "a"),
    Condition(P("long"), Op.LT, LONG + "b"), Condition(P("long"), Op.PREFIX, LONG + "b"),
    Condition(P("long"), Op.GTE, LONG[:-1]),
    Condition(P("k"), Op.EQ, "x"), Condition(P("v"), Op.GT, 1), Condition(P("d.deleted"), Op.EQ, True),
    Condition(P("deleted"), Op.EXISTS, True), Condition(P("f"), Op.EXISTS, True),
]
ORDERS = [
    (Order(P("x")),), (Order(P("x"), descending=True),), (Order(P("n")),), (Order(P("n"), descending=True),),
    (Order(P("s")),), (Order(P("o")),), (Order(P("price"), descending=True),), (Order(P("at")),),
    (Order(P("tags")), Order(P("x"), descending=True)), (Order(P("o.k")), Order(P("s"))),
]


def _spec(index: str, search: tuple[str, ...] = ("title", "body"), language: str = "english") -> CollectionSpec:
    return CollectionSpec("thing", SCHEMA, {"index": index}, search, language)


@pytest.fixture
async def search_backend(opensearch_url: str) -> AsyncIterator[OpenSearchBackend]:
    async with OpenSearchBackend("search", {"hosts": opensearch_url, "timeout": 10, "refresh_interval": 0.1}) as b:
        yield b


@pytest.fixture
async def raw(opensearch_url: str) -> AsyncIterator[AsyncOpenSearch]:
    client = AsyncOpenSearch(hosts=[opensearch_url])
    try:
        yield client
    finally:
        await client.close()


def _index() -> str:
    return f"os_{uuid.uuid4().hex[:12]}"


async def _pair(backend: OpenSearchBackend) -> tuple[Collection, Collection]:
    spec = _spec(_index())
    ref, coll = await MemoryBackend("mem").collection(spec), await backend.collection(spec)
    for c in (ref, coll):
        for key, body in BODIES.items():
            await c.put(key, body, NONE)
        await c.put("dead", {"x": 1, "s": "a"}, NONE)
        await c.delete("dead", NONE, tombstone=True)
    return ref, coll


async def _all(coll: Collection, query: Query) -> list[str]:
    keys: list[str] = []
    cursor = None
    while True:
        page = await coll.query(Query(query.filter, query.order, query.limit, cursor))
        keys += [d.key for d in page.documents]
        if (cursor := page.cursor) is None:
            return keys


async def test_filters_and_orders_follow_the_reference(search_backend: OpenSearchBackend) -> None:
    ref, coll = await _pair(search_backend)
    assert await coll.get(list(BODIES)) == await ref.get(list(BODIES))
    for cond in CONDITIONS:
        want = [d.key for d in (await ref.query(Query(filter=(cond,)))).documents]
        assert [d.key for d in (await coll.query(Query(filter=(cond,)))).documents] == want, cond
    for order in ORDERS:
        for limit in (1, 3, 100):
            want = await _all(ref, Query(order=order, limit=limit))
            assert await _all(coll, Query(order=order, limit=limit)) == want, (order, limit)
    both = Query(filter=(Condition(P("x"), Op.NE, None),), order=(Order(P("n"), descending=True),), limit=2)
    assert await _all(coll, both) == await _all(ref, both)
    # The one documented deviation: order tokens keep 4,000 characters, so strings equal that far tie
    # and fall back to key order (the reference puts the shorter LONG[:-1] of b3 first).
    assert await _all(coll, Query(order=(Order(P("long")),))) == ["b1", "b2", "b3", *sorted(
        k for k in BODIES if "long" not in BODIES[k])]


async def test_explicit_mapping_from_declared_types(search_backend: OpenSearchBackend, raw: AsyncOpenSearch) -> None:
    index = _index()
    coll = await search_backend.collection(_spec(index, ("title", "spec.desc"), "german"))
    mappings = (await raw.indices.get_mapping(index=index))[index]["mappings"]
    props = mappings["properties"]
    assert mappings["dynamic"] == "strict"
    assert props["d"] == {"type": "object", "enabled": False}
    assert props["k"]["type"] == "keyword" and props["v"]["type"] == "long" and props["deleted"]["type"] == "boolean"
    assert props["f"]["type"] == "nested" and set(props["f"]["properties"]) == {"p", "e", "o"}
    assert props["s"]["properties"] == {"title": {"type": "text", "analyzer": "german"},
                                        "spec-desc": {"type": "text", "analyzer": "german"}}
    typed = props["t"]["properties"]
    assert typed["price"]["type"] == "double" and typed["at"]["type"] == "date" and typed["qty"]["type"] == "long"
    assert typed["name"]["type"] == "keyword" and typed["meta-ok"]["type"] == "boolean" and "spec" not in typed
    # A document: the body verbatim under d, declared fields natively under t.
    await coll.put("a", {"price": Decimal("12345678901234567890.01"), "at": T0, "qty": 2**63 - 1, "name": "n",
                         "meta": {"ok": True}, "spec": {"desc": "Kamera"}}, NONE)
    src = (await raw.get(index=index, id="a"))["_source"]
    assert src["k"] == "a" and src["v"] == 1 and src["d"]["qty"] == 2**63 - 1
    assert src["t"] == {"price": 12345678901234567890.01, "at": "2024-05-01T08:00:00.500000Z", "qty": 2**63 - 1,
                        "name": "n", "meta-ok": True}
    assert src["s"] == {"spec-desc": "Kamera"}
    # Unknown top-level fields are refused by the mapping; the proxy never writes any.
    with pytest.raises(Exception, match="strict_dynamic_mapping"):
        await raw.index(index=index, id="b", body={"k": "b", "v": 1, "extra": 1})


async def test_a_write_is_searchable_when_the_call_returns(opensearch_url: str) -> None:
    # OpenSearch's default 1 s refresh interval: only refresh=wait_for makes the write visible this soon.
    async with OpenSearchBackend("search", {"hosts": opensearch_url, "timeout": 10}) as backend:
        coll = await backend.collection(_spec(_index()))
        for i in range(3):
            await coll.put(f"k{i}", {"title": f"fresh word{i}"}, NONE)
            assert [d.key for d in (await coll.search(Search(f"word{i}"))).documents] == [f"k{i}"]
            assert len((await coll.query(Query())).documents) == i + 1
        await coll.delete("k0", NONE, tombstone=True)
        assert (await coll.search(Search("word0"))).documents == ()
    # With refresh disabled on the index, refresh=true still makes each write visible; "false" does not.
    index = _index()
    for refresh, visible in (("false", 0), ("true", 2)):
        async with OpenSearchBackend("search", {"hosts": opensearch_url, "timeout": 10, "refresh": refresh,
                                                "refresh_interval": "-1"}) as backend:
            coll = await backend.collection(_spec(index))
            await coll.put(refresh, {"title": "hidden"}, NONE)
            assert len((await coll.search(Search("hidden"))).documents) == visible
            assert (await coll.get([refresh]))[refresh].body == {"title": "hidden"}  # GET is realtime


async def test_ranking_puts_the_better_match_first_and_pages(search_backend: OpenSearchBackend) -> None:
    coll = await search_backend.collection(_spec(_index()))
    docs = {
        "a": {"title": "Garden hose", "body": "A long story about many other things and a garden far away"},
        "b": {"title": "Red bicycle", "body": "red bicycle with red bell"},
        "c": {"title": "Bicycles", "body": "bicycle repair, bicycle parts, bicycle bells"},
        "d": {"title": "Bicycle for sale today", "body": "a red one"},
        "e": {"title": "Bicycle for sale today", "body": "a red one"},
        "f": {"title": "Unrelated", "body": 42},
    }
    for k, b in docs.items():
        await coll.put(k, b, NONE)
    hits = [d.key for d in (await coll.search(Search("bicycle", limit=10))).documents]
    assert hits[0] == "c" and set(hits) == {"b", "c", "d", "e"}  # stemmed: bicycles, bicycle
    assert hits.index("d") + 1 == hits.index("e")  # equal scores: by key
    red = [d.key for d in (await coll.search(Search("red bicycle", limit=10))).documents]
    assert red[0] == "b" and set(red) == {"b", "d", "e"}  # every word, in any search field
    paged, cursor = [], None
    while True:
        page = await coll.search(Search("bicycle", limit=1, cursor=cursor))
        paged += [d.key for d in page.documents]
        if (cursor := page.cursor) is None:
            break
    assert paged == hits
    assert [d.key for d in (await coll.search(Search("42"))).documents] == ["f"]
    assert (await coll.search(Search("bicycle", filter=(Condition(P("title"), Op.EQ, "Red bicycle"),)))).documents[
        0].key == "b"
    with pytest.raises(InvalidArgument) as e:
        await coll.search(Search("bicycle", cursor=b"[1]"))
    assert e.value.field == "page_token"
    with pytest.raises(InvalidArgument):
        await coll.query(Query(cursor=b"not json"))


async def test_compare_and_set_across_two_sidecars(opensearch_url: str) -> None:
    index = _index()
    settings = {"hosts": opensearch_url, "timeout": 20, "refresh_interval": 0.1}
    async with OpenSearchBackend("one", settings) as one, OpenSearchBackend("two", settings) as two:
        a, b = await one.collection(_spec(index)), await two.collection(_spec(index))
        await a.put("stock", {"n": 30}, NONE)
        dec = Update(increment=((P("n"), -1),), condition=(Condition(P("n"), Op.GTE, 1),))

        async def buy(coll: Collection) -> bool:
            try:
                await coll.update("stock", dec)
                return True
            except ConditionFailed:
                return False

        results = await asyncio.gather(*(buy(c) for _ in range(40) for c in (a, b)))
        assert results.count(True) == 30
        assert (await b.get(["stock"]))["stock"] == Document("stock", {"n": 0}, 31)
        # Copies racing in any order converge on the newest, from either sidecar.
        copies = [Document("c", {"v": v}, v) for v in range(1, 21)] + [Document.tombstone("c", 15)]
        await asyncio.gather(*((a if v.version % 2 else b).copy(v) for v in reversed(copies)))
        assert (await a.get(["c"]))["c"] == Document("c", {"v": 20}, 20)


async def test_versions_tombstones_and_purge(search_backend: OpenSearchBackend) -> None:
    coll = await search_backend.collection(_spec(_index()))
    await coll.put("a", {"title": "x"}, NONE)
    await coll.delete("a", NONE, tombstone=False)
    assert (await coll.put("a", {"title": "y"}, NONE)).version == 1  # forgotten outright: starts again
    await coll.put("b", {"title": "x"}, NONE)
    await coll.delete("b", NONE, tombstone=True)
    assert [d.key for d in await coll.scan(Scan())] == ["a", "b"]
    assert [d.key for d in (await coll.search(Search("x"))).documents] == []
    assert await coll.purge_tombstones() == 1
    assert [d.key for d in await coll.scan(Scan())] == ["a"]
    assert (await coll.put("b", {"title": "z"}, NONE)).version == 1


async def test_bad_values_and_names_are_invalid_arguments(search_backend: OpenSearchBackend) -> None:
    coll = await search_backend.collection(_spec(_index()))
    with pytest.raises(InvalidArgument) as e:
        await coll.put("k" * 513, {}, NONE)
    assert e.value.field == "key"
    with pytest.raises(InvalidArgument):
        await coll.put("", {}, NONE)
    assert await coll.get(["", "k" * 513]) == {}
    huge = {"text": "y" * 100_000, "wide": {f"f{i}": i for i in range(2000)}}
    assert (await coll.put("huge", huge, NONE)).version == 1
    assert (await coll.get(["huge"]))["huge"].body == huge
    with pytest.raises(InvalidArgument) as e:
        await search_backend.collection(CollectionSpec("Thing", SCHEMA, {}))
    assert e.value.field == "index"
    assert OpenSearchBackend.check_mapping({"index": "ok", "collection": "c"}) == ["collection: not used by opensearch"]
    assert OpenSearchBackend.check_mapping({"index": "Bad"})[0].startswith("index: 'Bad' is not a usable")
    with pytest.raises(ConfigError):
        async with OpenSearchBackend("search", {"timeout": 1}):
            pass


async def test_index_prefix(opensearch_url: str, raw: AsyncOpenSearch) -> None:
    name = _index()
    async with OpenSearchBackend("search", {"hosts": opensearch_url, "index_prefix": "tenant1-"}) as backend:
        await (await backend.collection(_spec(name))).put("a", {}, NONE)
    assert await raw.indices.exists(index=f"tenant1-{name}")
    assert not await raw.indices.exists(index=name)


class Relay:
    """A TCP relay in front of the real node: ``stop()`` is an outage, ``hang`` a node that stops answering."""

    def __init__(self, upstream: int) -> None:
        self.upstream, self.port = upstream, free_port()
        self.hang = False
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            for w in self.writers:
                w.close()
            await self.server.wait_closed()
            self.server = None
        self.writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        if self.hang:
            with contextlib.suppress(ConnectionError):
                await reader.read()  # swallow the request, never answer
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        self.writers.append(up_writer)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def outcome(coro: Any) -> Any:
    try:
        return await coro
    except DataAccessError as e:
        return type(e)


async def test_outage_is_unavailable_then_recovers(opensearch_url: str) -> None:
    relay = Relay(int(opensearch_url.rsplit(":", 1)[1]))
    await relay.start()
    url = f"http://127.0.0.1:{relay.port}"
    try:
        async with OpenSearchBackend("search", {"hosts": url, "timeout": 2, "refresh_interval": 0.1}) as backend:
            coll = await backend.collection(_spec(_index()))
            await coll.put("a", {"n": 1}, NONE)
            await relay.stop()
            assert await outcome(coll.put("a", {"n": 2}, NONE)) is Unavailable
            assert await outcome(coll.query(Query())) is Unavailable
            assert await outcome(backend.ping()) is Unavailable
            relay.hang = True
            await relay.start()
            assert await outcome(coll.get(["a"])) is DeadlineExceeded
            await relay.stop()
            relay.hang = False
            await relay.start()
            await backend.ping()
            assert (await coll.put("a", {"n": 3}, NONE)).version == 2
        # A store that is down when the proxy starts: the backend and collection still come up.
        async with OpenSearchBackend("search", {"hosts": f"http://127.0.0.1:{free_port()}", "timeout": 2}) as down:
            late = await down.collection(_spec(_index()))
            assert await outcome(late.get(["a"])) is Unavailable
            assert await outcome(down.ping()) is Unavailable
    finally:
        await relay.stop()
