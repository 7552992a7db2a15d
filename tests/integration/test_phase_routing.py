"""Issue 3: each of the six phases, driven through the gRPC API, then both stores read directly.

Per phase the same calls (Put, Update, Delete, Get, Query) run through the proxy; afterwards
PostgreSQL is read with asyncpg and MongoDB (FerretDB) with PyMongo to prove where each write went.
Which store *answered* is proven with a key planted directly in both stores with different content
and the same version: the value the caller gets names the store.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from dataaccess_client import AsyncClient, NotFoundError

from proxy.routing.phases import PHASES, Phase, Side
from tests.integration.kit import Admin, Direct, eventually, names, plain, rules

PHASE_NAMES = [p.value for p in Phase]


@pytest.mark.parametrize("phase", PHASE_NAMES)
async def test_phase_routes_writes_and_reads(phase: str, pg_dsn: str, mongo_url: str, proxy_factory) -> None:
    table, coll = names()
    rules_ = PHASES[Phase(phase)]
    p = proxy_factory(rules(table, coll, phase), {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url})
    async with AsyncClient(p.address, timeout=10) as db, Direct(pg_dsn, mongo_url, table, coll) as direct:
        put = await db.put("product", "p1", {"name": "Phone", "price": "19.99", "card": {"number": "4111"}})
        upd = await db.update("product", "p1", increment={"price": "0.01"}, set={"tags": ["new"]})
        await db.put("product", "p2", {"name": "Case", "price": "5"})
        deleted_at = await db.delete("product", "p2")
        assert (put.version, upd.version, deleted_at) == (1, 2, 2)

        # where the writes went
        old, new = await direct.old_all(), await direct.new_all()
        written = {Side.OLD: old, Side.NEW: new}
        for side in Side:
            got = written[side]
            if side in rules_.writes:
                assert got["p1"].version == 2 and got["p1"].body is not None
                assert got["p1"].body["price"] == Decimal("20.00") and got["p1"].body["tags"] == ["new"]
                assert got["p2"].deleted and got["p2"].version == 2, f"{side}: the delete left no tombstone"
            else:
                assert got == {}, f"{phase}: the {side.value} store was written"

        # which store answers: the same key and version in both, different content
        await direct.put_old("p3", {"name": "from-old", "price": "1"}, 7)
        await direct.put_new("p3", {"name": "from-new", "price": "1"}, 7)
        answer = "from-new" if rules_.reads is Side.NEW else "from-old"
        assert (await db.get("product", "p3")).data["name"] == answer
        page = await db.query("product", filter=[("name", "prefix", "from-")])
        assert [d.data["name"] for d in page.documents] == [answer]
        assert (await db.get("product", "p1")).version == 2
        with pytest.raises(NotFoundError):
            await db.get("product", "p2")

        # a key only the old store has: served by fallback in live/rampdown, else only if old is read
        await direct.put_old("p4", {"name": "only-old"}, 3)
        if rules_.reads is Side.OLD or rules_.fallback:
            assert (await db.get("product", "p4")).data["name"] == "only-old"
        else:
            with pytest.raises(NotFoundError):
                await db.get("product", "p4")

        async with Admin(p.address) as admin:
            status = (await admin.route()).route
            assert status.phase == phase
            if rules_.compare:  # p3 differs at equal versions: a reported mismatch, rechecked
                async def reported() -> bool:
                    return (await admin.route()).route.comparisons.get("mismatch", 0) >= 1
                await eventually(reported, 10, "the p3 mismatch report")
                assert (await admin.route()).route.comparisons.get("match", 0) >= 1  # p1 agrees
            else:
                assert sum(status.comparisons.values()) == 0
            if rules_.fallback:
                assert status.fallbacks >= 1
                await eventually(lambda: _repaired(direct), 20, "read-repair of p4 into MongoDB")
            else:
                assert status.fallbacks == 0


async def _repaired(direct: Direct) -> bool:
    got = await direct.new("p4")
    return got is not None and plain(got.body) == {"name": "only-old"} and got.version == 3
