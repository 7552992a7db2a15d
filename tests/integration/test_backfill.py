"""Backfill and verify (DESIGN §9) on real PostgreSQL and FerretDB, through the `dataaccess` CLI.

FerretDB 1.x stands in for MongoDB here. Its conditional single-document updates are not atomic under
concurrent callers (DESIGN §12), so each writer below owns its own keys: two live writes to one key
never race on the stand-in, while every live write still races the backfill's copies.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
from typing import Any

from dataaccess_client import AsyncClient, NotFoundError
from pymongo import AsyncMongoClient

from tests.integration.backfill_kit import (
    cli,
    cli_env,
    ferretdb_on_postgres,
    finish,
    fresh_names,
    key,
    legacy_table,
    old_many,
    rules,
    start_cli,
)
from tests.integration.kit import MONGO_DB, SCHEMA, Direct, plain

ROWS = 100_000
WRITERS = 8
PACE = 0.4
"""Seconds each writer waits between writes. Every write on the stand-in costs a scan of its table (see
`ferretdb_on_postgres`): unpaced, the writers alone keep this 2-core machine busy."""


class Writers:
    """Writers updating, replacing and deleting random keys through the proxy; writer ``i`` owns the
    keys whose number is ``i + 1`` modulo `WRITERS`. Keeps each key's last acknowledged state."""

    def __init__(self, db: AsyncClient) -> None:
        self.db = db
        self.acked: dict[str, tuple[int, Any]] = {}  # key → (version, body or None when deleted)
        self.stop = asyncio.Event()

    async def run(self, me: int) -> None:
        rng = random.Random(me)
        while not self.stop.is_set():
            k = key(rng.randrange(ROWS // WRITERS) * WRITERS + me + 1)
            roll = rng.random()
            try:
                if roll < 0.4:
                    doc = await self.db.update("product", k, set={"name": f"updated {k}", "stock": rng.randrange(9)})
                elif roll < 0.75:
                    doc = await self.db.put("product", k, {"name": f"replaced {k}", "price": f"{rng.randrange(99)}.99"})
                else:
                    self.acked[k] = (await self.db.delete("product", k), None)
                    await asyncio.sleep(PACE)
                    continue
            except NotFoundError:  # updating a key deleted before: create it again instead
                doc = await self.db.put("product", k, {"name": f"recreated {k}"})
            self.acked[k] = (doc.version, SCHEMA.decode(doc.data))  # decimals as values, without the key
            await asyncio.sleep(PACE)


async def test_backfill_under_live_dual_writes_then_verify_agrees(pg_dsn: str, proxy_factory, tmp_path) -> None:
    async with ferretdb_on_postgres(pg_dsn, tmp_path) as mongo_url:
        n = fresh_names()
        await legacy_table(pg_dsn, n.table, ROWS)
        p = proxy_factory(rules(n), {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url})
        env = cli_env(pg_dsn, mongo_url)
        async with AsyncClient(p.address, timeout=120) as db:
            writers = Writers(db)
            tasks = [asyncio.create_task(writers.run(i)) for i in range(WRITERS)]
            try:
                await asyncio.sleep(1.0)  # some keys are written before the backfill reaches them
                # The stand-in's costs grow with the collection (it reads it whole for some lookups), which
                # the automatic latency threshold would take for a struggling store: give a fixed one.
                backfill = await cli("backfill", "product", "--config", str(p.config), "--json",
                                     "--max-latency", "50", env=env)
            finally:
                writers.stop.set()
                await asyncio.gather(*tasks)
        assert backfill.code == 0, backfill.stderr
        final = backfill.final
        assert final["state"] == "succeeded" and final["processed"] >= ROWS
        assert final["copied"] + final["skipped_newer"] == final["processed"]
        assert final["skipped_newer"] > 0, "no live write reached a key before the backfill did"
        assert len(writers.acked) >= 100, "the writers hardly wrote anything during the backfill"

        verify = await cli("verify", "product", "--config", str(p.config), "--json", env=env)
        assert verify.code == 0, verify.stderr + str(verify.lines[-1:])
        assert verify.final["divergent"] == 0 and verify.final["processed"] >= ROWS
        assert verify.final["outcomes"]["match"] == verify.final["processed"]

        async with Direct(pg_dsn, mongo_url, n.table, n.collection) as direct:
            new = await direct.new_all()
            old = await old_many(direct, list(writers.acked))
        assert len(new) == verify.final["processed"]
        for k, (version, body) in writers.acked.items():  # no live write was overwritten by a backfilled copy
            assert old[k].version == new[k].version == version, f"{k}: acked v{version}, old {old[k]}, new {new[k]}"
            assert plain(old[k].body) == plain(new[k].body) == plain(body), k
        i = next(i for i in range(ROWS, 0, -1) if key(i) not in writers.acked)  # a row only the backfill copied
        got = new[key(i)]
        assert got.version == 1 and got.body is not None
        assert got.body["name"] == f"product {i}" and str(got.body["price"]) == f"{i % 997}.50"


async def test_killed_backfill_resumes_from_its_checkpoint(pg_dsn: str, mongo_url: str, tmp_path) -> None:
    rows, page = 20_000, 500
    n = fresh_names()
    await legacy_table(pg_dsn, n.table, rows)
    config = tmp_path / "rules.yaml"
    config.write_text(rules(n))
    env = cli_env(pg_dsn, mongo_url)
    args = ("backfill", "product", "--config", str(config), "--json", "--page", str(page))
    proc = await start_cli(*args, "--rate", "4000", env=env)
    assert proc.stdout is not None
    seen = 0
    while seen < rows // 2:
        line = await asyncio.wait_for(proc.stdout.readline(), 120)
        assert line, "the backfill ended before it was half-way"
        if line.startswith(b"{"):
            seen = int(json.loads(line)["processed"])
    proc.send_signal(signal.SIGKILL)  # no goodbye: the page in flight is lost
    await proc.wait()

    again = await cli(*args, env=env)
    assert again.code == 0, again.stderr
    first, final = again.lines[0], again.final
    assert first["processed"] >= seen, "the second run did not start from the checkpoint"
    assert "resumed after" in first.get("note", "")
    assert final["state"] == "succeeded" and final["processed"] == rows
    # Documents the killed run copied after its last checkpoint were copied again: at most one page.
    assert final["skipped_newer"] <= page
    assert final["copied"] + final["skipped_newer"] == rows
    async with AsyncMongoClient(mongo_url) as mongo:
        assert await mongo[MONGO_DB][n.collection].count_documents({}) == rows


async def test_four_segments_in_four_processes_cover_every_key_once(pg_dsn: str, mongo_url: str, tmp_path) -> None:
    rows = 20_000
    n = fresh_names()
    await legacy_table(pg_dsn, n.table, rows)
    config = tmp_path / "rules.yaml"
    config.write_text(rules(n))
    env = cli_env(pg_dsn, mongo_url)
    procs = [await start_cli("backfill", "product", "--config", str(config), "--json", "--segments", "4",
                             "--segment", str(i), env=env) for i in range(4)]
    runs = await asyncio.gather(*(finish(p) for p in procs))
    assert [r.code for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]
    finals = [r.final for r in runs]
    assert [f["segment"] for f in finals] == [0, 1, 2, 3]
    assert sum(f["processed"] for f in finals) == rows
    assert sum(f["copied"] for f in finals) == rows and all(f["skipped_newer"] == 0 for f in finals)
    assert all(rows * 0.2 < f["processed"] < rows * 0.3 for f in finals)  # a hash split: about a quarter each
    async with AsyncMongoClient(mongo_url) as mongo:
        ids = [d["_id"] async for d in mongo[MONGO_DB][n.collection].find({}, {"_id": 1})]
    assert sorted(ids) == [key(i) for i in range(1, rows + 1)]

    verify = await cli("verify", "product", "--config", str(config), "--json", "--segments", "2", "--segment", "1",
                       env=env)
    assert verify.code == 0 and verify.final["divergent"] == 0, verify.stderr
    assert rows * 0.4 < verify.final["processed"] < rows * 0.6
