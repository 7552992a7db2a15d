"""Helpers of the backfill / verify tests: rules with a journal table of their own (checkpoints and
markers stay per test), a legacy table filled by one SQL statement, the CLI as a subprocess with its
JSON progress lines, and point reads of one key from each store with their own drivers."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from dev.ferretdb import ferretdb
from dev.ferretdb import uri as mongo_uri
from proxy.backends.mongodb.codec import from_bson
from proxy.schema import loads_store
from tests.integration.kit import MONGO_DB, SCHEMA, Direct, Stored

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Names:
    table: str
    collection: str
    journal: str


def fresh_names() -> Names:
    tag = uuid.uuid4().hex[:10]
    return Names(f"legacy_{tag}", f"products_{tag}", f"journal_{tag}")


def rules(n: Names, phase: str = "dualwrite") -> str:
    return f"""
version: 1
backends:
  pg: {{kind: postgres, dsn_env: PG_DSN, timeout: 30s, pool_max: 20}}
  mongo: {{kind: mongodb, uri_env: MONGO_URI, database: {MONGO_DB}, decimals: string, timeout: 30s}}
journal: {{backend: pg, table: {n.journal}}}
entities:
  product:
    key: id
    fields: {{price: decimal, created_at: timestamp}}
    old: {{backend: pg, table: {n.table}, document: doc}}
    new: {{backend: mongo, collection: {n.collection}}}
    phase: {phase}
    reads: {{shadow_sample: 0}}
    writes: {{secondary: sync, timeout: 30s}}
    compare: {{redact: [card.number]}}
"""


def key(i: int) -> str:
    return f"p{i:06d}"


async def legacy_table(pg_dsn: str, table: str, rows: int) -> None:
    """An existing table with ``rows`` products, inserted by one SQL statement (versions start at 1)."""
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute(f'CREATE TABLE "{table}" (id text PRIMARY KEY, doc jsonb NOT NULL, '
                           "dataaccess_version bigint NOT NULL DEFAULT 1)")
        await conn.execute(
            f'INSERT INTO "{table}" (id, doc) SELECT \'p\' || lpad(g::text, 6, \'0\'), jsonb_build_object('
            "'name', 'product ' || g, 'price', (g % 997)::text || '.50', 'n', g, "
            "'tags', jsonb_build_array('a', g % 7), 'dims', jsonb_build_object('w', g % 10, 'h', 2)) "
            "FROM generate_series(1, $1) g", rows)
    finally:
        await conn.close()


@asynccontextmanager
async def ferretdb_on_postgres(pg_dsn: str, workdir: Path) -> AsyncIterator[str]:
    """A FerretDB of its own keeping documents in a fresh database of the session's PostgreSQL (its
    PostgreSQL handler finds a document by ``_id`` without reading the whole collection, which the
    SQLite handler does for every conditional write: too slow for 100,000 documents under writers)."""
    database = f"ferret_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    server = ferretdb(workdir / "ferretdb-pg", postgresql_url=f"{pg_dsn.rsplit('/', 1)[0]}/{database}").start()
    try:
        yield mongo_uri(server)
    finally:
        server.stop()


@dataclass
class Run:
    code: int
    lines: list[dict[str, Any]]
    stdout: str
    stderr: str

    @property
    def final(self) -> dict[str, Any]:
        assert self.lines, f"no JSON output; stderr:\n{self.stderr}"
        return self.lines[-1]


def cli_env(pg_dsn: str, mongo_url: str) -> dict[str, str]:
    return {**os.environ, "PG_DSN": pg_dsn, "MONGO_URI": mongo_url, "PYTHONPATH": str(ROOT)}


async def start_cli(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "proxy", *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)


async def finish(proc: asyncio.subprocess.Process, timeout: float = 300) -> Run:
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    text = out.decode(errors="replace")
    lines = [json.loads(x) for x in text.splitlines() if x.startswith("{")]
    assert proc.returncode is not None
    return Run(proc.returncode, lines, text, err.decode(errors="replace"))


async def cli(*args: str, env: dict[str, str], timeout: float = 300) -> Run:
    return await finish(await start_cli(*args, env=env), timeout)


async def old_many(direct: Direct, keys: list[str]) -> dict[str, Stored]:
    """The keys as PostgreSQL holds them: rows and tombstones (absent keys are left out)."""
    out = {r["id"]: Stored(r["v"], SCHEMA.restore(loads_store(r["doc"]))) for r in await direct.pg.fetch(
        f'SELECT id, doc::text AS doc, dataaccess_version AS v FROM "{direct.table}" WHERE id = ANY($1)', keys)}
    for r in await direct.pg.fetch("SELECT key, version FROM dataaccess_tombstones WHERE tbl = $1 AND key = ANY($2)",
                                   direct.table, keys):
        assert r["key"] not in out, f"{r['key']} is both a row and a tombstone"
        out[r["key"]] = Stored(r["version"], None)
    return out


async def old_one(direct: Direct, k: str) -> Stored | None:
    return (await old_many(direct, [k])).get(k)


async def new_one(direct: Direct, k: str) -> Stored | None:
    raw = await direct.coll.find_one({"_id": k})
    if raw is None:
        return None
    return Stored(int(raw["v"]), None if raw.get("deleted") else SCHEMA.restore(from_bson(raw.get("d") or {})))
