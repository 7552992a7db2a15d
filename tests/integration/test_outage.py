"""Issue 3: a secondary store goes down while writes continue; nothing is lost.

`dualwrite`: FerretDB stops, 500 writes all succeed for the caller, the repair backlog holds ~500
distinct keys, FerretDB comes back and MongoDB converges to PostgreSQL (same bodies, same versions).
`live`: the same with the roles swapped — PostgreSQL stops while MongoDB is authoritative. The
journal lives in a local SQLite store there, since the journal's own store is the one going down.
Also: with FerretDB stopped in `live`, reads keep succeeding from PostgreSQL (fallback).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from dataaccess_client import AsyncClient

from dev.common import Server
from dev.ferretdb import ferretdb, uri
from dev.postgres import dsn, postgres
from tests.integration.kit import Admin, Direct, eventually, names, plain, rules

WRITES = int(os.environ.get("OUTAGE_WRITES", "500"))


async def _write_many(db: AsyncClient, n: int) -> dict[str, int]:
    """``n`` writes over ``n`` distinct keys, 25 at a time; returns each key's acknowledged version."""
    acked: dict[str, int] = {}
    sem = asyncio.Semaphore(25)

    async def one(i: int) -> None:
        async with sem:
            key = f"k{i:04d}"
            if i % 10 == 9:  # some keys are written, then deleted
                await db.put("product", key, {"name": key})
                acked[key] = await db.delete("product", key)
            else:
                acked[key] = (await db.put("product", key, {"name": key, "price": f"{i}.50", "n": i})).version

    await asyncio.gather(*(one(i) for i in range(n)))
    return acked


async def _converged(direct: Direct, acked: dict[str, int]) -> bool:
    old, new = await direct.old_all(), await direct.new_all()
    differ = sorted(k for k in acked if k not in old or k not in new or not (
        old[k].version == new[k].version == acked[k] and plain(old[k].body) == plain(new[k].body)))
    if differ:
        k = differ[0]
        print(f"{len(differ)} keys differ, e.g. {k}: acked {acked[k]}, old {old.get(k)}, new {new.get(k)}")
    return not differ and set(old) == set(new) == set(acked)


async def test_dualwrite_survives_a_mongodb_outage(pg_dsn: str, proxy_factory, tmp_path: Path) -> None:
    mongo = ferretdb(tmp_path / "ferret").start()
    try:
        table, coll = names()
        p = proxy_factory(rules(table, coll, "dualwrite", secondary="async"),
                          {"PG_DSN": pg_dsn, "MONGO_URI": uri(mongo)})
        async with AsyncClient(p.address, timeout=20) as db, Admin(p.address) as admin:
            await db.put("product", "warmup", {"name": "w"})
            mongo.kill()  # SIGKILL: connections drop at once
            acked = await _write_many(db, WRITES)  # every call returned without error
            acked["warmup"] = 1

            async def backlog_full() -> bool:
                return (await admin.route()).route.repair_backlog >= WRITES * 0.95
            await eventually(backlog_full, 60, f"a repair backlog of ~{WRITES} keys")
            status = (await admin.route()).route
            assert status.repair_backlog <= WRITES + 1 and status.secondary_failures >= WRITES * 0.95
            assert status.repair_oldest_age_seconds > 0

            mongo.start()
            async with Direct(pg_dsn, uri(mongo), table, coll) as direct:
                await eventually(lambda: _converged(direct, acked), 120, "MongoDB equal to PostgreSQL")

            async def drained() -> bool:
                return (await admin.route()).route.repair_backlog == 0
            await eventually(drained, 30, "an empty repair backlog")
    finally:
        mongo.stop()


async def test_live_survives_a_postgres_outage(mongo_url: str, proxy_factory, tmp_path: Path) -> None:
    pg: Server = postgres(tmp_path / "pg").start()
    try:
        table, coll = names()
        p = proxy_factory(rules(table, coll, "live", secondary="async", journal="local", mongo_timeout="10s"),
                          {"PG_DSN": dsn(pg), "MONGO_URI": mongo_url})
        async with AsyncClient(p.address, timeout=20) as db, Admin(p.address) as admin:
            await db.put("product", "warmup", {"name": "w"})
            pg.kill()
            acked = await _write_many(db, WRITES)
            acked["warmup"] = 1

            async def backlog_full() -> bool:
                return (await admin.route()).route.repair_backlog >= WRITES * 0.95
            await eventually(backlog_full, 60, f"a repair backlog of ~{WRITES} keys")

            pg.start()
            async with Direct(dsn(pg), mongo_url, table, coll) as direct:
                await eventually(lambda: _converged(direct, acked), 120, "PostgreSQL equal to MongoDB")
    finally:
        pg.stop()


async def test_live_reads_fall_back_to_postgres_while_mongodb_is_down(pg_dsn: str, proxy_factory,
                                                                      tmp_path: Path) -> None:
    mongo = ferretdb(tmp_path / "ferret").start()
    try:
        table, coll = names()
        p = proxy_factory(rules(table, coll, "live", sample=0.0, mongo_timeout="1s", reads="timeout: 300ms"),
                          {"PG_DSN": pg_dsn, "MONGO_URI": uri(mongo)})
        async with AsyncClient(p.address, timeout=20) as db, Admin(p.address) as admin:
            for i in range(20):
                await db.put("product", f"r{i}", {"name": f"r{i}", "price": "2.5"})
            mongo.kill()
            for i in range(20):
                got = await db.get("product", f"r{i}")
                assert got.data["name"] == f"r{i}" and got.version == 1
            page = await db.query("product", filter=[("name", "prefix", "r1")])
            assert sorted(d.key for d in page.documents) == ["r1"] + [f"r1{i}" for i in range(10)]
            assert (await admin.route()).route.fallbacks >= 21
    finally:
        mongo.stop()
