"""The seed scenario's acceptance tests: its rules (examples/seed/rules.yaml) and tables
(examples/seed/schema.sql) on the real stores, through the proxy.

Each test gets a PostgreSQL database of its own with the seed's schema, and private names in the
other stores (`examples.seed.config.render(tag=…)`), so the tests share the session's servers.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import urllib.request
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import boto3
import pytest
from dataaccess_client import AsyncClient, PreconditionFailedError
from pymongo import AsyncMongoClient

from examples.seed import config
from examples.seed.data import Scale, generate, load
from examples.seed.demo import cli
from proxy._gen.dataaccess.admin.v1 import admin_pb2 as admin_pb
from tests.conftest import ROOT
from tests.integration.kit import Admin, eventually

AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture
async def seed_dsn(pg_dsn: str) -> AsyncIterator[str]:
    """A fresh database with the seed's seven tables, as the services created them."""
    name = f"seed_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    dsn = f"{pg_dsn.rsplit('/', 1)[0]}/{name}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(config.SCHEMA.read_text())
    finally:
        await conn.close()
    yield dsn


def tag() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


async def step(admin: Admin, path: Path, text: str, entity: str, phase: str) -> None:
    """Rewrite the watched rules file and wait until the proxy serves it."""
    want = config.write(path, text)

    async def applied() -> bool:
        return (await admin.config()).rules_version == want
    await eventually(applied, 60, f"rules {want} ({entity}: {phase})")
    assert (await admin.route(entity)).route.phase == phase


def dataaccess(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The operator CLI as a separate process (`python -m proxy …`, or $DATAACCESS_CLI as in the demo)."""
    return subprocess.run([*cli(), *args], cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)


# -- inventory: atomic decrements on either authoritative store ------------------------------------------


async def buyers(address: str, key: str, n: int) -> Counter[str]:
    async with AsyncClient(address, timeout=60, caller="inventoryservice") as db:
        async def buy() -> str:
            try:
                await db.update("inventory", key, increment={"quantity": -1}, condition=[("quantity", "gte", 1)])
                return "ok"
            except PreconditionFailedError:
                return "FAILED_PRECONDITION"
        return Counter(await asyncio.gather(*(buy() for _ in range(n))))


async def both_stores(dsn: str, endpoint: str, table: str, key: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(quantity, version) of ``key`` in PostgreSQL and in DynamoDB, read with their own drivers."""
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow("SELECT quantity, dataaccess_version FROM inventory WHERE product_id = $1", key)
    finally:
        await conn.close()
    dynamo = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    item = (await asyncio.to_thread(dynamo.get_item, TableName=table, Key={"pk": {"S": key}},
                                    ConsistentRead=True)).get("Item")
    new = (int(item["d"]["M"]["quantity"]["N"]), int(item["v"]["N"])) if item else (-1, -1)
    return (row["quantity"], row["dataaccess_version"]), new


async def test_200_buyers_of_50_units_in_dualwrite_and_in_live(seed_dsn: str, dynamodb_endpoint: str,
                                                               proxy_factory: Any) -> None:
    t = tag()
    conn = await asyncpg.connect(seed_dsn)
    await conn.execute("INSERT INTO inventory (product_id, quantity, warehouse) VALUES ('flash-1', 50, 'eu-west')")
    await conn.close()
    rules = lambda phase: config.render({"inventory": phase}, tag=t, entities=("inventory",))
    p = proxy_factory(rules("dualwrite"), {"PG_DSN": seed_dsn, "DYNAMODB_ENDPOINT": dynamodb_endpoint, **AWS},
                      extra_args=("--poll", "0.2"))
    table = f"{t}_inventory"

    async def settled_at(quantity: int, version: int) -> bool:
        return await both_stores(seed_dsn, dynamodb_endpoint, table, "flash-1") == ((quantity, version),) * 2

    async with Admin(p.address) as admin:
        # dualwrite: PostgreSQL decides, DynamoDB receives each resulting document
        assert await buyers(p.address, "flash-1", 200) == {"ok": 50, "FAILED_PRECONDITION": 150}
        await eventually(lambda: settled_at(0, 51), 30, "both stores at 0 units, version 51")

        async with AsyncClient(p.address, caller="inventoryservice") as db:  # restock, then move authority
            await db.update("inventory", "flash-1", increment={"quantity": 50})
        await eventually(lambda: settled_at(50, 52), 30, "both stores restocked")
        for phase in ("shadow", "live"):
            await step(admin, p.config, rules(phase), "inventory", phase)

        # live: DynamoDB decides (one conditional UpdateItem), PostgreSQL receives the copies
        assert await buyers(p.address, "flash-1", 200) == {"ok": 50, "FAILED_PRECONDITION": 150}
        await eventually(lambda: settled_at(0, 102), 30, "both stores at 0 units, version 102")


# -- search: shadow comparisons by overlap, documents findable in OpenSearch ---------------------------------


def opensearch_hits(url: str, index: str, text: str) -> list[str]:
    """Full-text search sent straight to the OpenSearch node (not through the proxy)."""
    query = {"query": {"simple_query_string": {"query": text, "fields": ["s.*"]}}}
    req = urllib.request.Request(f"{url}/{index}/_search", data=json.dumps(query).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return [h["_id"] for h in json.load(resp)["hits"]["hits"]]


def opensearch_count(url: str, index: str) -> int:
    req = urllib.request.Request(f"{url}/{index}/_count", data=json.dumps(
        {"query": {"bool": {"must_not": {"term": {"deleted": True}}}}}).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.load(resp)["count"])


async def test_search_is_backfilled_shadowed_by_overlap_and_written_through(
        seed_dsn: str, opensearch_url: str, proxy_factory: Any) -> None:
    t = tag()
    data = generate(Scale.of(30))
    await load(seed_dsn, data, schema=False)
    rules = lambda phase: config.render({"search_document": phase}, tag=t, sample=1.0,
                                        entities=("search_document",))
    env = {"PG_DSN": seed_dsn, "OPENSEARCH_URL": opensearch_url}
    p = proxy_factory(rules("dualwrite"), env, extra_args=("--poll", "0.2"))
    index = f"{t}-search_documents"

    backfill = dataaccess("backfill", "search_document", "--config", str(p.config), env=env)
    assert backfill.returncode == 0, backfill.stdout + backfill.stderr
    assert opensearch_count(opensearch_url, index) == len(data.tables["search_documents"])

    async with Admin(p.address) as admin, AsyncClient(p.address, caller="searchservice") as db:
        # written through the proxy: PostgreSQL first, then OpenSearch — findable there directly
        await db.put("search_document", "s-wombat", {"kind": "product", "title": "Wombat trail camera",
                                                     "body": "A burrow-proof wombat camera.", "tags": ["camera"],
                                                     "updated_at": "2025-06-01T10:00:00Z"})

        async def indexed() -> bool:
            return await asyncio.to_thread(opensearch_hits, opensearch_url, index, "wombat") == ["s-wombat"]
        await eventually(indexed, 30, "s-wombat searchable in OpenSearch")

        # a legacy writer that bypasses the proxy: the row exists in PostgreSQL only
        conn = await asyncpg.connect(seed_dsn)
        await conn.execute("INSERT INTO search_documents (id, kind, title, body) "
                           "VALUES ('s-quokka', 'product', 'Quokka selfie stick', 'Smiles guaranteed.')")
        await conn.close()

        await step(admin, p.config, rules("shadow"), "search_document", "shadow")
        assert [d.key for d in (await db.search("search_document", "wombat")).documents] == ["s-wombat"]
        assert [d.key for d in (await db.search("search_document", "quokka")).documents] == ["s-quokka"]

        # both searches were also run on OpenSearch in the background and compared by top-k ids:
        # {s-wombat} vs {s-wombat} overlaps 1, {s-quokka} vs {} overlaps 0 — mean 0.5
        async def compared() -> bool:
            return (await admin.route("search_document")).route.search_overlap == 0.5
        await eventually(compared, 30, "search overlap 0.5 over the two compared searches")

        assert (await db.search("search_document", "camera", limit=10)).documents  # backfilled data answers
        status = (await admin.route("search_document")).route
        assert 0 < status.search_overlap <= 1 and status.comparisons.get("shadow_error", 0) == 0


# -- payment: card data compared but never shown ------------------------------------------------------------


async def test_redacted_card_fields_never_leak_but_mismatches_are_found(
        seed_dsn: str, mongo_url: str, proxy_factory: Any) -> None:
    t = tag()
    data = generate(Scale.of(20))
    await load(seed_dsn, data, schema=False)
    payment = data.tables["payments"][0]
    original, injected = str(payment["card_number"]), "4000999988887777"
    new_store = {"payment": {"new": {"backend": "catalog", "collection": "payments"}}}
    rules = lambda phase: config.render({"payment": phase}, tag=t, sample=1.0, entities=("payment",),
                                        overrides=new_store)
    env = {"PG_DSN": seed_dsn, "MONGO_URI": mongo_url}
    p = proxy_factory(rules("dualwrite"), env, extra_args=("--poll", "0.2"))
    backfill = dataaccess("backfill", "payment", "--config", str(p.config), env=env)
    assert backfill.returncode == 0, backfill.stdout + backfill.stderr

    async with Admin(p.address) as admin, AsyncClient(p.address, caller="paymentservice") as db:
        await step(admin, p.config, rules("shadow"), "payment", "shadow")
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
        try:  # the new store's copy of the card number goes wrong behind the proxy's back
            result = await mongo[f"catalog_{t}"]["payments"].update_one(
                {"_id": payment["id"]}, {"$set": {"d.card_number": injected}})
            assert result.modified_count == 1
        finally:
            await mongo.close()

        got = await db.get("payment", payment["id"])
        assert got.data["card_number"] == original  # shadow: the caller gets PostgreSQL's answer

        async def reported() -> bool:
            return any(m.outcome == "mismatch" for m in (await admin.route("payment")).mismatches)
        await eventually(reported, 30, "the card_number mismatch report")
        route = await admin.route("payment")
        mismatch = next(m for m in route.mismatches if m.outcome == "mismatch")
        assert [(d.path, d.old, d.new) for d in mismatch.diffs] == [("card_number", "<redacted>", "<redacted>")]
        assert route.route.comparisons["mismatch"] == 1 and route.route.consistency < 1
        admin_text = "\n".join(map(str, (route, await admin.stub.ListRoutes(admin_pb.ListRoutesRequest()),
                                           await admin.config())))

    verify = dataaccess("verify", "payment", "--config", str(p.config), env=env)
    report = verify.stdout + verify.stderr
    assert verify.returncode != 0, f"verify found no divergence:\n{report}"
    assert "card_number" in report and "<redacted>" in report, report
    logs = p.logs()
    assert "mismatch" in logs
    for secret in (original, injected):
        for where, text in (("proxy log", logs), ("Admin API", admin_text), ("verify output", report)):
            assert secret not in text, f"a redacted card number appears in the {where}"


# -- make demo --------------------------------------------------------------------------------------------


@pytest.mark.timeout(900)
def test_make_demo_short_walks_four_entities_to_complete_and_verifies() -> None:
    demo = subprocess.run([sys.executable, "-m", "examples.seed.demo", "--short"], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = demo.stdout
    assert demo.returncode == 0, f"exit {demo.returncode}\n{out[-6000:]}\n{demo.stderr[-3000:]}"
    for entity in config.MIGRATING:
        rows = re.findall(rf"^{entity}\s+(\w+)\s+(\d+)\s+(\S+)\s+([\d.—]+) /\s+([\d.—]+)\s+([\d.—]+) /\s+([\d.—]+)",
                          out, re.MULTILINE)
        phases = [r[0] for r in rows]
        assert phases == ["off", "dualwrite", "dualwrite", "shadow", "live", "rampdown", "complete"], (entity, out)
        final = rows[-1]
        assert float(final[3]) > 0 and float(final[5]) > 0, f"{entity}: no measured latency old/new: {final}"
        assert re.search(rf"^\$ dataaccess verify {entity} .*\(exit 0\)$", out, re.MULTILINE), out
    assert re.search(r"^\w+\s+(shadow|live)\s+[1-9]\d*\s+\d+\.\d\d%", out, re.MULTILINE), "no measured consistency"
    assert re.search(r"^traffic: .* errors: 0$", out, re.MULTILINE), out
    assert "demo OK" in out
