"""Shadow reads never delay the caller, and a full bound sheds instead of queueing (issue 3).

The shadow store is a memory collection whose reads wait on an event the test holds, so the test
proves ordering — the caller's Get returned while the shadow read was still blocked — without any
timing assertion.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import pytest

from proxy.backends.base import Capabilities, CollectionSpec
from proxy.backends.memory import MemoryBackend, MemoryCollection
from proxy.config.model import EntityConfig
from proxy.models import Document, Precondition
from proxy.repair.journal import Journal
from proxy.routing.background import Background
from proxy.routing.phases import Side
from proxy.routing.route import Route, Store
from proxy.routing.router import Router
from proxy.routing.stats import Stats
from proxy.schema import Schema

SPEC = CollectionSpec("thing", Schema("id", {}), {"table": "t"})


class Held(MemoryCollection):
    """A memory collection whose reads wait until the test releases them."""

    def __init__(self, spec: CollectionSpec, records: dict[str, Document]) -> None:
        super().__init__(spec, records)
        self.release = asyncio.Event()
        self.waiting = 0

    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        self.waiting += 1
        await self.release.wait()
        self.waiting -= 1
        return await super().get(keys)


@pytest.fixture
async def setup() -> AsyncIterator[tuple[Router, Route, Held, Stats]]:
    old = await MemoryBackend("old").collection(SPEC)
    new = await MemoryBackend("new").collection(SPEC)
    journal = await MemoryBackend("journal").collection(CollectionSpec("journal", Schema("id", {}), {}))
    for key in ("a", "b", "c"):
        doc = await old.put(key, {"n": 1}, Precondition())
        await new.copy(doc)
    assert isinstance(new, MemoryCollection)
    held = Held(SPEC, new.records)
    config = EntityConfig.model_validate({
        "old": {"backend": "old", "table": "t"}, "new": {"backend": "new", "table": "t"}, "phase": "shadow",
        "reads": {"shadow_sample": 1.0, "shadow_concurrency": 2}})
    caps = Capabilities()
    route = Route("thing", config, SPEC.schema, Store(Side.OLD, "old", old, caps),
                  Store(Side.NEW, "new", held, caps), "r1")
    stats = Stats()
    async with Background() as background:
        yield Router(Journal(journal), background, stats), route, held, stats
        held.release.set()
        await background.drain(5)


async def test_get_returns_while_the_shadow_read_is_blocked(setup: tuple[Router, Route, Held, Stats]) -> None:
    router, route, held, stats = setup
    doc = await router.get(route, "a")  # returns although the shadow store has not answered
    assert doc.body == {"n": 1}
    await asyncio.sleep(0)  # let the shadow task reach its read
    assert held.waiting == 1, "the shadow read should still be blocked on the held store"
    assert sum(stats.of("thing").comparisons.values()) == 0
    held.release.set()
    for _ in range(100):
        if stats.of("thing").comparisons["match"]:
            break
        await asyncio.sleep(0.01)
    assert stats.of("thing").comparisons["match"] == 1


async def test_a_full_bound_sheds_instead_of_queueing(setup: tuple[Router, Route, Held, Stats]) -> None:
    router, route, held, stats = setup
    for key in ("a", "b", "c", "a", "b"):  # bound is 2: the first two hold it, three are shed
        assert (await router.get(route, key)).version == 1
    await asyncio.sleep(0)
    assert held.waiting == 2
    assert stats.of("thing").comparisons["shed"] == 3
    held.release.set()
    for _ in range(100):
        if stats.of("thing").comparisons["match"] == 2:
            break
        await asyncio.sleep(0.01)
    assert stats.of("thing").comparisons["match"] == 2 and stats.of("thing").comparisons["shed"] == 3
