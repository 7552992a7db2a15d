"""One suite, every backend. Each case gets a fresh collection; capabilities gate cases explicitly."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest

from proxy.backends.base import Backend, Collection, CollectionSpec
from proxy.backends.memory import MemoryBackend
from proxy.schema import FieldType, Schema

SCHEMA = Schema("id", {"price": FieldType.DECIMAL, "at": FieldType.TIMESTAMP})
SEARCH_FIELDS = ("title", "body")


def spec(mapping: dict[str, object]) -> CollectionSpec:
    return CollectionSpec("thing", SCHEMA, mapping, SEARCH_FIELDS, "simple")


Factory = Callable[[], Awaitable[Collection]]


async def _columns_table(dsn: str, table: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE TABLE "{table}" (id text PRIMARY KEY, title text, n bigint, price numeric, '
                           f'attributes jsonb, dataaccess_version bigint NOT NULL DEFAULT 1)')
    finally:
        await conn.close()


BACKENDS = ["memory", "sqlite", "postgres", "postgres-columns"]


@pytest.fixture(params=BACKENDS)
async def backend_and_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Backend, Factory]]:
    kind: str = request.param
    table = f"t_{uuid.uuid4().hex[:12]}"
    backend: Backend
    mapping: dict[str, object]
    if kind == "memory":
        backend, mapping = MemoryBackend("mem"), {"table": table}
    elif kind == "sqlite":
        from proxy.backends.sqlite import SqliteBackend

        backend, mapping = SqliteBackend("lite", {"path": str(tmp_path / "c.db")}), {"table": table}
    elif kind.startswith("postgres"):
        from proxy.backends.postgres.backend import PostgresBackend

        dsn = request.getfixturevalue("pg_dsn")
        backend = PostgresBackend("pg", {"dsn": dsn, "pool_max": 20, "timeout": 10})
        if kind == "postgres":
            mapping = {"table": table, "document": "doc"}
        else:
            await _columns_table(dsn, table)
            mapping = {"table": table, "columns": {"title": "title", "n": "n", "price": "price"},
                       "extra": "attributes"}
    else:
        raise AssertionError(kind)
    async with backend:
        async def make() -> Collection:
            return await backend.collection(spec(mapping))
        yield backend, make


@pytest.fixture
async def coll(backend_and_factory: tuple[Backend, Factory]) -> Collection:
    return await backend_and_factory[1]()


@pytest.fixture
def backend(backend_and_factory: tuple[Backend, Factory]) -> Backend:
    return backend_and_factory[0]
