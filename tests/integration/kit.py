"""Shared pieces of the migration tests: the rules for one PostgreSQL → MongoDB entity, and direct
access to both stores with their own drivers (asyncpg, PyMongo) to see where data really went."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

import asyncpg
import grpc
from bson import Int64
from pymongo import AsyncMongoClient

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as admin_pb
from proxy._gen.dataaccess.admin.v1 import admin_pb2_grpc as admin_grpc
from proxy.backends.mongodb.codec import from_bson, to_bson
from proxy.schema import FieldType, Schema, dumps_store, loads_store

SCHEMA = Schema("id", {"price": FieldType.DECIMAL, "created_at": FieldType.TIMESTAMP})
MONGO_DB = "migration"


def names() -> tuple[str, str]:
    tag = uuid.uuid4().hex[:10]
    return f"products_{tag}", f"products_{tag}"


def rules(table: str, collection: str, phase: str, *, secondary: str = "sync", sample: float = 1.0,
          journal: str = "pg", reads: str = "", compare: str = "{redact: [card.number]}", force: bool = False,
          mongo_timeout: str = "2s", pg_timeout: str = "2s", extra: str = "", audit: float = 0.0) -> str:
    return f"""
version: 1
backends:
  pg: {{kind: postgres, dsn_env: PG_DSN, timeout: {pg_timeout}}}
  mongo: {{kind: mongodb, uri_env: MONGO_URI, database: {MONGO_DB}, decimals: string, timeout: {mongo_timeout}}}
  local: {{kind: sqlite, path: journal.db}}
journal: {{backend: {journal}}}
entities:
  product:
    key: id
    fields: {{price: decimal, created_at: timestamp}}
    old: {{backend: pg, table: {table}, document: doc}}
    new: {{backend: mongo, collection: {collection}}}
    phase: {phase}
    force: {str(force).lower()}
    reads: {{shadow_sample: {sample}, recheck_delay: 50ms{", " + reads if reads else ""}}}
    writes: {{secondary: {secondary}, timeout: 1s, audit: {audit}, audit_delay: 300ms}}
    compare: {compare}
{extra}"""


@dataclass(frozen=True)
class Stored:
    version: int
    body: dict[str, Any] | None  # None: a tombstone

    @property
    def deleted(self) -> bool:
        return self.body is None


class Direct:
    """Both stores of one entity, read and written with their own drivers — not through the proxy."""

    def __init__(self, pg_dsn: str, mongo_url: str, table: str, collection: str) -> None:
        self.pg_dsn, self.mongo_url, self.table, self.collection = pg_dsn, mongo_url, table, collection

    async def __aenter__(self) -> Self:
        self.pg = await asyncpg.connect(self.pg_dsn)
        self.mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.mongo_url, tz_aware=True)
        self.coll = self.mongo[MONGO_DB][self.collection]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.pg.close()
        await self.mongo.close()

    async def old_all(self) -> dict[str, Stored]:
        exists = await self.pg.fetchval("SELECT to_regclass($1) IS NOT NULL", self.table)
        out: dict[str, Stored] = {}
        if exists:
            for r in await self.pg.fetch(f'SELECT id, doc::text AS doc, dataaccess_version AS v FROM "{self.table}"'):
                out[r["id"]] = Stored(r["v"], SCHEMA.restore(loads_store(r["doc"])))
        if await self.pg.fetchval("SELECT to_regclass('dataaccess_tombstones') IS NOT NULL"):
            for r in await self.pg.fetch("SELECT key, version FROM dataaccess_tombstones WHERE tbl = $1", self.table):
                assert r["key"] not in out, f"{r['key']} is both a row and a tombstone in PostgreSQL"
                out[r["key"]] = Stored(r["version"], None)
        return out

    async def new_all(self) -> dict[str, Stored]:
        out: dict[str, Stored] = {}
        async for raw in self.coll.find({}):
            body = None if raw.get("deleted") else SCHEMA.restore(from_bson(raw.get("d") or {}))
            out[str(raw["_id"])] = Stored(int(raw["v"]), body)
        return out

    async def old(self, key: str) -> Stored | None:
        return (await self.old_all()).get(key)

    async def new(self, key: str) -> Stored | None:
        return (await self.new_all()).get(key)

    async def put_old(self, key: str, body: dict[str, Any], version: int) -> None:
        await self.pg.execute(
            f'INSERT INTO "{self.table}" (id, doc, dataaccess_version) VALUES ($1, $2::jsonb, $3) '
            "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, dataaccess_version = EXCLUDED.dataaccess_version",
            key, dumps_store(SCHEMA.decode(body)), version)

    async def put_new(self, key: str, body: dict[str, Any], version: int) -> None:
        doc = to_bson(SCHEMA.decode(body), "", True)
        await self.coll.replace_one({"_id": key}, {"_id": key, "v": Int64(version), "d": doc}, upsert=True)


def plain(body: dict[str, Any] | None) -> Any:
    """A stored body as comparable JSON (decimals by value)."""
    if body is None:
        return None
    return json.loads(json.dumps(body, default=lambda v: str(v.normalize()) if isinstance(v, Decimal) else str(v)))


class Admin:
    def __init__(self, address: str) -> None:
        self.channel = grpc.aio.insecure_channel(address)
        self.stub = admin_grpc.AdminServiceStub(self.channel)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.channel.close()

    async def route(self, entity: str = "product") -> admin_pb.GetRouteResponse:
        return await self.stub.GetRoute(admin_pb.GetRouteRequest(entity=entity))

    async def config(self) -> admin_pb.GetConfigResponse:
        return await self.stub.GetConfig(admin_pb.GetConfigRequest())


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60, what: str = "condition") -> None:
    """Poll ``check`` until it holds; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout:g}s")
        await asyncio.sleep(0.2)
