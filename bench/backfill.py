"""Backfill PostgreSQL → MongoDB: `dataaccess backfill` vs a plain driver copy loop, same run.

    .venv/bin/python -m bench.backfill [--rows 20000]

Starts its own PostgreSQL and a FerretDB (PostgreSQL handler) with the dev/ launchers, inserts
``--rows`` rows by SQL, then measures (1) a plain loop — asyncpg reads pages of 1,000 in key order,
PyMongo ``insert_many`` writes them — into one collection and (2) `dataaccess backfill` (a
subprocess, its own checkpoints, newer-wins copies) into another. Reports docs/s for each and the
ratio. Machines here are shared: compare the ratio, not the absolute numbers. Results:
bench/results/backfill.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
from bson import Int64
from pymongo import AsyncMongoClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dev.ferretdb import ferretdb, uri  # noqa: E402
from dev.postgres import dsn, postgres  # noqa: E402

RULES = """
version: 1
backends:
  pg: {kind: postgres, dsn_env: PG_DSN, timeout: 30s}
  mongo: {kind: mongodb, uri_env: MONGO_URI, database: bench, decimals: string, timeout: 30s}
journal: {backend: pg}
entities:
  product:
    key: id
    fields: {price: decimal}
    old: {backend: pg, table: products, document: doc}
    new: {backend: mongo, collection: backfilled}
    phase: dualwrite
"""


async def load(pg_dsn: str, rows: int) -> None:
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute("CREATE TABLE products (id text PRIMARY KEY, doc jsonb NOT NULL, "
                           "dataaccess_version bigint NOT NULL DEFAULT 1)")
        await conn.execute("INSERT INTO products (id, doc) SELECT 'p' || lpad(g::text, 7, '0'), "
                           "jsonb_build_object('name', 'product ' || g, 'price', (g % 997) || '.50', 'n', g) "
                           "FROM generate_series(1, $1) g", rows)
    finally:
        await conn.close()


async def plain_copy(pg_dsn: str, mongo_url: str) -> tuple[int, float]:
    """The baseline: read pages in key order, insert_many — no versions, no checkpoints."""
    conn = await asyncpg.connect(pg_dsn)
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(mongo_url)
    coll = client["bench"]["plain"]
    copied, after = 0, ""
    start = time.perf_counter()
    try:
        while True:
            rows = await conn.fetch("SELECT id, doc::text AS doc, dataaccess_version AS v FROM products "
                                    "WHERE id > $1 ORDER BY id LIMIT 1000", after)
            if not rows:
                break
            await coll.insert_many([{"_id": r["id"], "v": Int64(r["v"]), "d": json.loads(r["doc"])} for r in rows])
            copied += len(rows)
            after = rows[-1]["id"]
    finally:
        await conn.close()
        await client.close()
    return copied, time.perf_counter() - start


def proxied_backfill(config: Path, env: dict[str, str]) -> tuple[int, float]:
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "proxy", "backfill", "product", "--config", str(config), "--json"],
                         cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"backfill failed:\n{res.stderr[-2000:]}")
    final = json.loads(res.stdout.strip().splitlines()[-1])
    return int(final["copied"]), elapsed


async def main(rows: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        pg = postgres(work / "pg").start()
        try:
            await load(dsn(pg), rows)
            conn = await asyncpg.connect(dsn(pg))
            await conn.execute("CREATE DATABASE ferret")
            await conn.close()
            mongo = ferretdb(work / "ferret", postgresql_url=dsn(pg).rsplit("/", 1)[0] + "/ferret").start()
            try:
                config = work / "rules.yaml"
                config.write_text(RULES)
                plain_n, plain_s = await plain_copy(dsn(pg), uri(mongo))
                proxy_n, proxy_s = proxied_backfill(config, {"PG_DSN": dsn(pg), "MONGO_URI": uri(mongo)})
            finally:
                mongo.stop()
        finally:
            pg.stop()
    return {"rows": rows, "plain_docs_per_s": plain_n / plain_s, "backfill_docs_per_s": proxy_n / proxy_s,
            "plain_copied": plain_n, "backfill_copied": proxy_n,
            "ratio_backfill_to_plain": (proxy_n / proxy_s) / (plain_n / plain_s)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    result = asyncio.run(main(parser.parse_args().rows))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "backfill.json").write_text(json.dumps(result, indent=2))
    print("| rows | plain copy docs/s | dataaccess backfill docs/s | ratio |\n|---|---|---|---|\n"
          f"| {result['rows']} | {result['plain_docs_per_s']:.0f} | {result['backfill_docs_per_s']:.0f} | "
          f"{result['ratio_backfill_to_plain']:.2f} |")
