"""SQLite: the embedded default — one file, nothing to install. Document mode only.

Each entity is a proxy-owned table ``(key, doc, version, deleted)``; tombstones are rows with
``deleted = 1``. Writes run in ``BEGIN IMMEDIATE`` transactions, which take SQLite's write lock
before reading, so a conditional update's check and write are one atomic step even across
processes sharing the file. Filters and full-text matching are evaluated in Python over the rows
(`proxy.backends.match`): fine for the embedded scale this backend is for, not for big tables.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiosqlite

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.match import apply_update, matches, ordered, search_hits
from proxy.backends.memory import check_precondition, page_of
from proxy.errors import ConditionFailed, InvalidArgument, NotFound, Unavailable
from proxy.models import Body, Document, Page, Precondition, Query, Scan, Search, Update
from proxy.schema import dumps_store, loads_store


@asynccontextmanager
async def _translated(backend: str) -> AsyncIterator[None]:
    try:
        yield
    except sqlite3.OperationalError as e:
        raise Unavailable(f"sqlite store {backend!r} is not available", backend=backend) from e
    except sqlite3.DatabaseError as e:
        raise Unavailable(f"sqlite store {backend!r} failed", backend=backend) from e


class SqliteCollection(Collection):
    def __init__(self, backend: SqliteBackend, spec: CollectionSpec, table: str) -> None:
        self.spec, self.backend, self.table = spec, backend, table
        self._q = f'"{table}"'  # identifier from config, validated as [A-Za-z_][A-Za-z0-9_]*

    def _doc(self, row: Any) -> Document:
        key, doc, version, deleted = row
        if deleted:
            return Document.tombstone(key, version)
        return Document(key, self.spec.schema.restore(loads_store(doc)), version)

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with _translated(self.backend.name):
            cur = await self.backend.db.execute(sql, params)
            return list(await cur.fetchall())

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        db = self.backend.db
        async with self.backend.lock, _translated(self.backend.name):
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.rollback()
                raise
            await db.commit()

    async def _current(self, db: aiosqlite.Connection, key: str) -> Document | None:
        cur = await db.execute(f"SELECT key, doc, version, deleted FROM {self._q} WHERE key = ?", (key,))
        row = await cur.fetchone()
        return self._doc(row) if row else None

    async def _store(self, db: aiosqlite.Connection, doc: Document) -> None:
        await db.execute(
            f"INSERT INTO {self._q} (key, doc, version, deleted) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, version = excluded.version, "
            "deleted = excluded.deleted",
            (doc.key, None if doc.deleted else dumps_store(doc.body), doc.version, int(doc.deleted)))

    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        marks = ",".join("?" * len(keys))
        rows = await self._rows(f"SELECT key, doc, version, deleted FROM {self._q} WHERE key IN ({marks})", keys)
        return {r[0]: self._doc(r) for r in rows}

    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        async with self._write() as db:
            current = await self._current(db, key)
            check_precondition(current, pre, key)
            doc = Document(key, body, (current.version if current else 0) + 1)
            await self._store(db, doc)
        return doc

    async def update(self, key: str, update: Update) -> Document:
        async with self._write() as db:
            current = await self._current(db, key)
            check_precondition(current, update.precondition, key)
            if current is None or current.deleted:
                raise NotFound(f"document {key!r} not found")
            if not matches(update.condition, current.body):
                raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
            doc = Document(key, apply_update(current.body, update), current.version + 1)
            await self._store(db, doc)
        return doc

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        async with self._write() as db:
            current = await self._current(db, key)
            check_precondition(current, pre, key)
            if current is None or current.deleted:
                return None
            tomb = Document.tombstone(key, current.version + 1)
            if tombstone:
                await self._store(db, tomb)
            else:
                await db.execute(f"DELETE FROM {self._q} WHERE key = ?", (key,))
        return tomb

    async def copy(self, doc: Document) -> bool:
        async with self._write() as db:
            current = await self._current(db, doc.key)
            if current is not None and current.version >= doc.version:
                return False
            await self._store(db, doc)
        return True

    async def _live(self) -> list[Document]:
        rows = await self._rows(f"SELECT key, doc, version, deleted FROM {self._q} WHERE deleted = 0 ORDER BY key")
        return [self._doc(r) for r in rows]

    async def query(self, query: Query) -> Page:
        docs = [d for d in await self._live() if matches(query.filter, d.body)]
        return page_of(ordered(docs, query.order), query.limit, query.cursor)

    async def search(self, search: Search) -> Page:
        hits = search_hits(await self._live(), search.text, self.spec.search_fields, search.filter)
        return page_of(hits, search.limit, search.cursor)

    async def scan(self, scan: Scan) -> list[Document]:
        out: list[Document] = []
        after = scan.after
        while len(out) < scan.limit:
            rows = await self._rows(
                f"SELECT key, doc, version, deleted FROM {self._q} WHERE (? IS NULL OR key > ?) ORDER BY key LIMIT ?",
                (after, after, scan.limit))
            if not rows:
                break
            out += [self._doc(r) for r in rows if scan.segment.contains(r[0])]
            after = rows[-1][0]
        return out[: scan.limit]

    async def count(self) -> int | None:
        return int((await self._rows(f"SELECT count(*) FROM {self._q}"))[0][0])

    async def purge_tombstones(self) -> int:
        async with self._write() as db:
            cur = await db.execute(f"DELETE FROM {self._q} WHERE deleted = 1")
            return cur.rowcount


class SqliteBackend(Backend):
    kind = "sqlite"
    capabilities = Capabilities(search=True, nested_query=True)

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        super().__init__(name, settings)
        self.path = Path(str(settings.get("path") or "dataaccess.db"))
        self.lock = asyncio.Lock()
        self._db: aiosqlite.Connection | None = None

    @classmethod
    def check_mapping(cls, mapping: Mapping[str, Any]) -> list[str]:
        issues = [f"{k}: not supported by sqlite (document mode only)" for k in ("columns", "extra", "collection",
                                                                                 "index") if k in mapping]
        return issues

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise Unavailable(f"sqlite store {self.name!r} is closed", backend=self.name)
        return self._db

    async def __aenter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path, isolation_level=None, timeout=30)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def ping(self) -> None:
        async with _translated(self.name):
            await self.db.execute("SELECT 1")

    async def collection(self, spec: CollectionSpec) -> Collection:
        table = str(spec.mapping.get("table") or spec.entity)
        if not table.replace("_", "a").isalnum():
            raise InvalidArgument(f"table name {table!r} is not an identifier")
        async with _translated(self.name):
            await self.db.execute(
                f'CREATE TABLE IF NOT EXISTS "{table}" (key TEXT PRIMARY KEY, doc TEXT, '
                "version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)")
        return SqliteCollection(self, spec, table)
