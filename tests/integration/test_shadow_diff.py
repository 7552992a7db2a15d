"""Issue 3: the shadow diff on real stores. Documents written through the proxy in `shadow`, then
altered directly in MongoDB (PyMongo) to plant representation differences, real mismatches and
version skew; Gets through the proxy trigger the comparisons, the Admin API and the log show them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bson import Int64
from dataaccess_client import AsyncClient

from tests.integration.kit import MONGO_DB, Admin, Direct, eventually, names, rules

CARD = "4111111111111111"
BODY: dict[str, Any] = {"name": "Phone", "price": "1.50", "created_at": "2024-05-01T08:00:00.123456Z",
                        "specs": {"camera": {"main": "48MP", "front": "12MP"}, "ram": 8},
                        "card": {"number": CARD, "brand": "visa"}}


async def _mongo_set(direct: Direct, key: str, fields: dict[str, Any], version: int | None = None) -> None:
    update: dict[str, Any] = {"$set": {f"d.{k}": v for k, v in fields.items()}}
    if version is not None:
        update["$set"]["v"] = Int64(version)
    res = await direct.mongo[MONGO_DB][direct.collection].update_one({"_id": key}, update)
    assert res.matched_count == 1


async def test_diff_reports_paths_tolerates_representation_and_redacts(pg_dsn: str, mongo_url: str,
                                                                      proxy_factory) -> None:
    table, coll = names()
    p = proxy_factory(rules(table, coll, "shadow"), {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url})
    async with AsyncClient(p.address, timeout=10) as db, Direct(pg_dsn, mongo_url, table, coll) as direct, \
            Admin(p.address) as admin:
        for key in ("same", "differs", "behind"):
            await db.put("product", key, BODY)
        await db.update("product", "behind", set={"name": "New phone"})  # version 2 in both stores

        # Equal values in another representation: decimal 1.5 vs 1.50, the same instant at millisecond
        # precision in another zone, object keys in another order.
        await _mongo_set(direct, "same", {
            "price": "1.5",
            "created_at": dt.datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "specs": {"ram": Int64(8), "camera": {"front": "12MP", "main": "48MP"}}})
        # A real difference, in a plain field and in a redacted one, at equal versions.
        await _mongo_set(direct, "differs", {"specs.camera.main": "12MP", "card.number": "5500000000000004"})
        # MongoDB one version behind, as during an in-flight write: stale, not a mismatch.
        await _mongo_set(direct, "behind", {"name": "Phone"}, version=1)

        for key in ("same", "differs", "behind"):
            assert (await db.get("product", key)).data["card"]["number"] == CARD  # PostgreSQL answers

        async def judged() -> bool:
            c = (await admin.route()).route.comparisons
            return c.get("match", 0) + c.get("mismatch", 0) + c.get("stale", 0) >= 3
        await eventually(judged, 15, "three comparisons")
        route = await admin.route()
        assert dict(route.route.comparisons) == {"match": 1, "mismatch": 1, "stale": 1}
        assert route.route.consistency == 0.5  # stale is not judged either way
        [mismatch] = list(route.mismatches)
        assert mismatch.outcome == "mismatch" and mismatch.rules_version
        diffs = {d.path: (d.old, d.new) for d in mismatch.diffs}
        assert set(diffs) == {"specs.camera.main", "card.number"}
        assert diffs["specs.camera.main"] == ('"48MP"', '"12MP"')
        assert diffs["card.number"] == ("<redacted>", "<redacted>")

        rendered = str(route) + str(await admin.config())
        assert CARD not in rendered and "5500000000000004" not in rendered
    p.stop()
    log = p.logs()
    assert '"event": "mismatch"' in log and "specs.camera.main" in log
    assert CARD not in log and "5500000000000004" not in log and "48MP" not in log
