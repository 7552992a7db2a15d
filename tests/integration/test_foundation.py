"""Issue 2's acceptance through the gRPC API on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import grpc
import pytest
from dataaccess_client import AsyncClient, PreconditionFailedError, UnavailableError

from dev.postgres import dsn, postgres
from proxy._gen.dataaccess.v1 import data_access_pb2 as pb
from proxy._gen.dataaccess.v1 import data_access_pb2_grpc as pb_grpc

ROOT = Path(__file__).resolve().parents[2]


def rules(table: str, mapping: str = "document: doc", fields: str = "{price: decimal, quantity: int}") -> str:
    return f"""
version: 1
backends:
  pg: {{kind: postgres, dsn_env: PG_DSN}}
journal: {{backend: pg}}
limits: {{max_page_size: 50, max_document_bytes: 4096}}
entities:
  item:
    key: id
    fields: {fields}
    old: {{backend: pg, table: {table}, {mapping}}}
    phase: "off"
"""


async def test_columns_mode_over_a_table_the_proxy_did_not_create(pg_dsn: str, proxy_factory) -> None:
    table = f"legacy_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(pg_dsn)
    await conn.execute(f"CREATE TABLE {table} (id text PRIMARY KEY, name text NOT NULL, price numeric(12,2), "
                       "specifications jsonb, created_at timestamptz, attributes jsonb)")
    await conn.execute(f"INSERT INTO {table} (id, name, price, specifications, created_at) VALUES "
                       "('p1', 'Phone', 19.99, '{\"camera\": {\"main\": \"48MP\"}}', '2024-01-02T03:04:05Z')")
    # what `dataaccess prepare item` prints and applies
    out = subprocess.run([sys.executable, "-m", "proxy", "prepare", "item", "--table", table],
                         capture_output=True, text=True, cwd=ROOT)
    assert "ADD COLUMN" in out.stdout and out.returncode == 0, out.stderr
    await conn.execute(out.stdout)
    p = proxy_factory(rules(table, "columns: {name: name, price: price, specifications: specifications, "
                                   "created_at: created_at}, extra: attributes",
                            "{price: decimal, created_at: timestamp}"), {"PG_DSN": pg_dsn})
    async with AsyncClient(p.address) as db:
        d = await db.get("item", "p1")
        assert d.data == {"id": "p1", "name": "Phone", "price": "19.99",
                          "specifications": {"camera": {"main": "48MP"}}, "created_at": "2024-01-02T03:04:05Z"}
        page = await db.query("item", filter=[("specifications.camera.main", "eq", "48MP")])
        assert [x.key for x in page.documents] == ["p1"]
        await db.put("item", "p2", {"name": "Tablet", "price": "5.50", "colour": "red"}, must_not_exist=True)
        await db.update("item", "p1", increment={"price": "1.01"}, condition=[("price", "gte", "19")])
    row = await conn.fetchrow(f"SELECT name, price, attributes FROM {table} WHERE id = 'p2'")
    assert (row["name"], str(row["price"]), json.loads(row["attributes"])) == ("Tablet", "5.50", {"colour": "red"})
    assert str(await conn.fetchval(f"SELECT price FROM {table} WHERE id = 'p1'")) == "21.00"
    await conn.close()


async def test_200_concurrent_conditional_decrements_leave_exactly_zero(pg_dsn: str, proxy_factory) -> None:
    p = proxy_factory(rules(f"stock_{uuid.uuid4().hex[:8]}"), {"PG_DSN": pg_dsn})
    async with AsyncClient(p.address, timeout=30) as db:
        await db.put("item", "sku", {"quantity": 50})

        async def buy() -> bool:
            try:
                await db.update("item", "sku", increment={"quantity": -1}, condition=[("quantity", "gte", 1)])
                return True
            except PreconditionFailedError:
                return False

        results = await asyncio.gather(*(buy() for _ in range(200)))
        final = await db.get("item", "sku")
    assert results.count(True) == 50 and results.count(False) == 150
    assert final.data["quantity"] == 0 and final.version == 51


BAD = [
    ("unknown entity", pb.GetRequest(entity="nope", key="a"), "Get", "unknown entity 'nope'"),
    ("not JSON", pb.PutRequest(entity="item", key="a", json=b"{nope"), "Put", "json is not valid JSON"),
    ("not an object", pb.PutRequest(entity="item", key="a", json=b"[1]"), "Put", "must be a JSON object"),
    ("not UTF-8", pb.PutRequest(entity="item", key="a", json=b"\xff"), "Put", "not valid UTF-8"),
    ("dollar path", pb.UpdateRequest(entity="item", key="a", set=[pb.FieldValue(path="$where", json=b"1")]),
     "Update", "'$where' is not a field path"),
    ("quote path", pb.UpdateRequest(entity="item", key="a", set=[pb.FieldValue(path="a'b", json=b"1")]),
     "Update", "is not a field path"),
    ("semicolon path", pb.QueryRequest(entity="item", filter=pb.Filter(all=[pb.Condition(
        path="a;DROP TABLE x", op=pb.OPERATOR_EQ, json=b"1")])), "Query", "is not a field path"),
    ("empty segment", pb.QueryRequest(entity="item", order=[pb.Order(path="a..b")]), "Query", "is not a field path"),
    ("dollar field name", pb.PutRequest(entity="item", key="a", json=b'{"$gt": 1}'), "Put", "'$gt' is not allowed"),
    ("page size", pb.QueryRequest(entity="item", limit=51), "Query", "over the maximum page size of 50"),
    ("page token", pb.QueryRequest(entity="item", page_token="garbage!"), "Query", "page_token is malformed"),
    ("decimal as float", pb.PutRequest(entity="item", key="a", json=b'{"price": 19.99}'), "Put",
     "'price' is a decimal and must be sent as a JSON string"),
    ("no operator", pb.QueryRequest(entity="item", filter=pb.Filter(all=[pb.Condition(path="a", json=b"1")])),
     "Query", "op must be set"),
]


@pytest.mark.parametrize(("name", "request_", "method", "message"), BAD, ids=[b[0] for b in BAD])
async def test_bad_input_is_refused_with_invalid_argument(pg_dsn: str, proxy_factory, name: str, request_: object,
                                                          method: str, message: str) -> None:
    table = f"bad_{uuid.uuid4().hex[:8]}"
    p = proxy_factory(rules(table), {"PG_DSN": pg_dsn})
    async with grpc.aio.insecure_channel(p.address) as ch:
        stub = pb_grpc.DataAccessServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await getattr(stub, method)(request_, timeout=10)
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT, e.value.details()
    assert message in (e.value.details() or "")
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0  # nothing reached the store
    finally:
        await conn.close()


async def test_oversize_document_is_resource_exhausted_with_the_limit(pg_dsn: str, proxy_factory) -> None:
    p = proxy_factory(rules(f"big_{uuid.uuid4().hex[:8]}"), {"PG_DSN": pg_dsn})
    async with grpc.aio.insecure_channel(p.address) as ch:
        stub = pb_grpc.DataAccessServiceStub(ch)
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.Put(pb.PutRequest(entity="item", key="a", json=json.dumps({"x": "y" * 5000}).encode()))
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "over the limit of 4096 bytes" in (e.value.details() or "")


async def test_postgres_down_is_unavailable_and_recovers_without_restart(tmp_path: Path, proxy_factory) -> None:
    server = postgres(tmp_path / "pg").start()
    try:
        p = proxy_factory(rules("outage"), {"PG_DSN": dsn(server)})
        async with AsyncClient(p.address, retries=0, timeout=20) as db:
            await db.put("item", "a", {"quantity": 1})
            server.stop()
            with pytest.raises(UnavailableError) as e:
                await db.get("item", "a")
            assert "not available" in e.value.message and "postgres" in e.value.message
            assert p.proc.poll() is None
            server.start()
            for _ in range(50):
                try:
                    assert (await db.get("item", "a")).data["quantity"] == 1
                    break
                except UnavailableError:
                    await asyncio.sleep(0.2)
            else:
                raise AssertionError("proxy did not recover after PostgreSQL came back")
    finally:
        server.stop()


def test_malformed_config_exits_non_zero_listing_every_issue(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("""
version: 1
backends:
  pg: {kind: postgres}
  weird: {kind: cassandra}
journal: {backend: nowhere}
entities:
  item:
    old: {backend: missing, table: t, document: doc}
    phase: live
    reads: {timeout: soon}
    colour: blue
""")
    out = subprocess.run([sys.executable, "-m", "proxy", "serve", "--config", str(bad)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 2
    for issue in ("backends.weird.kind", "entities.item.reads.timeout", "entities.item.colour: unknown key"):
        assert issue in out.stderr, out.stderr
    bad.write_text(bad.read_text().replace("  weird: {kind: cassandra}\n", "").replace("    reads: {timeout: soon}\n",
                   "").replace("    colour: blue\n", ""))
    out = subprocess.run([sys.executable, "-m", "proxy", "serve", "--config", str(bad)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 2
    for issue in ("backends.pg: a postgres backend needs dsn_env or dsn_file", "journal.backend: unknown backend",
                  "entities.item.old.backend: unknown backend 'missing'", "entities.item.phase: phase 'live' needs"):
        assert issue in out.stderr, out.stderr
