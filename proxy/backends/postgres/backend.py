"""PostgreSQL (asyncpg). Two mapping modes over one code path:

* **columns** — an existing table: mapped fields ↔ columns, the rest in an optional jsonb ``extra``
  column. The proxy never alters it; `dataaccess prepare` prints the version-column DDL.
* **document** — ``document: doc``: a proxy-owned table ``(key, doc jsonb, version)``, created on
  first use. It is columns mode with no mapped columns and ``extra = doc``.

Tombstones live in a proxy-owned side table ``dataaccess_tombstones``, so legacy readers of an
existing table see a deleted row as gone while the version survives for re-creates and copies.
Every write is one statement (or, for `copy`, one transaction under a per-key advisory lock).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self

import asyncpg

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.postgres.errors import translated
from proxy.backends.postgres.sql import Layout, Params, assignments, ident, order_sql, row_values, where_sql
from proxy.errors import AlreadyExists, ConditionFailed, InvalidArgument, NotFound, Unavailable, VersionConflict
from proxy.models import Body, Document, Page, Precondition, Query, Scan, Search, Update
from proxy.schema import loads_store

TOMBSTONES = "dataaccess_tombstones"
BULK_TIMEOUT = 300.0
"""Seconds one page of `scan_pages` may take: maintenance work, not a caller's request."""
ATTEMPTS = 3
"""Runs of a conditional UPDATE that matched nothing while the row exists (a concurrent re-create)."""


class PostgresCollection(Collection):
    def __init__(self, backend: PostgresBackend, spec: CollectionSpec) -> None:
        self.spec, self.backend = spec, backend
        m = spec.mapping
        self.schema_name = str(m.get("schema", "public"))
        self.table_name = str(m["table"])
        self.document_mode = "document" in m
        self._layout: Layout | None = None
        self._lock = asyncio.Lock()

    # -- setup -----------------------------------------------------------------------------------
    async def layout(self) -> Layout:
        if self._layout is None:
            async with self._lock:
                if self._layout is None:
                    self._layout = await self._discover()
        return self._layout

    async def _discover(self) -> Layout:
        m, s = self.spec.mapping, ident(self.schema_name)
        key_col = str(m.get("key_column") or self.spec.schema.key_field)
        version = str(m.get("version_column", "dataaccess_version"))
        table = f"{s}.{ident(self.table_name)}"
        async with self.backend.conn() as conn:
            await conn.execute(
                f"CREATE TABLE IF NOT EXISTS {s}.{TOMBSTONES} (tbl text NOT NULL, key text NOT NULL, "
                "version bigint NOT NULL, deleted_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tbl, key))")
            if self.document_mode:
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} ({ident(key_col)} text PRIMARY KEY, "
                    f"{ident(str(m['document']))} jsonb NOT NULL, {ident(version)} bigint NOT NULL)")
            rows = await conn.fetch(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped", table)
        types = {r[0]: r[1] for r in rows}
        where = f"table {self.schema_name}.{self.table_name}"
        if not types:
            raise Unavailable(f"{where} does not exist", entity=self.spec.entity)
        columns = {f: c for f, c in dict(m.get("columns") or {}).items()}
        extra = str(m.get("document") or m.get("extra") or "") or None
        for col in (key_col, *columns.values(), *([extra] if extra else [])):
            if col not in types:
                raise Unavailable(f"{where} has no column {col}", entity=self.spec.entity)
        if version not in types:
            raise Unavailable(f"{where} has no column {version}: run `dataaccess prepare {self.spec.entity}`",
                              entity=self.spec.entity)
        columns.pop(self.spec.schema.key_field, None)
        return Layout(table, self.table_name, f"{s}.{TOMBSTONES}", key_col, types[key_col], version,
                      {f: (c, types[c]) for f, c in columns.items()}, extra)

    # -- helpers ---------------------------------------------------------------------------------
    def _doc(self, key: str, version: int, body: str | None, deleted: bool, lay: Layout) -> Document:
        if deleted:
            return Document.tombstone(key, version)
        raw = loads_store(body or "{}")
        for f in lay.columns:  # a NULL column means the field is absent
            if raw.get(f) is None:
                raw.pop(f, None)
        return Document(key, self.spec.schema.restore(raw), version)

    async def _version(self, conn: asyncpg.Connection, lay: Layout, key: str) -> int | None:
        v: int | None = await conn.fetchval(
            f"SELECT {ident(lay.version)} FROM {lay.table} WHERE {ident(lay.key)} = $1::text::{lay.key_type}", key)
        return v

    async def _fail(self, conn: asyncpg.Connection, lay: Layout, key: str, pre: Precondition,
                    condition: bool = False, exists_ok: bool = False) -> None:
        """A conditional write matched nothing: raise the error that says why (``exists_ok``: return
        when the row exists and the precondition holds — the caller decides)."""
        current = await self._version(conn, lay, key)
        if pre.expected_version and current != pre.expected_version:
            raise VersionConflict(f"expected version {pre.expected_version} of {key!r}, found "
                                  f"{current if current is not None else 'none'}")
        if current is None:
            raise NotFound(f"document {key!r} not found")
        if exists_ok:
            return
        if condition:
            raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
        raise AlreadyExists(f"document {key!r} already exists")

    def _select(self, lay: Layout) -> str:
        return (f"SELECT t.{ident(lay.key)}::text, t.{ident(lay.version)}, ({lay.body_sql()})::text, false "
                f"FROM {lay.table} t")

    # -- contract --------------------------------------------------------------------------------
    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        lay = await self.layout()
        async with self.backend.conn() as conn:
            rows = await conn.fetch(
                f"{self._select(lay)} WHERE t.{ident(lay.key)} = ANY($1::text[]::{lay.key_type}[]) UNION ALL "
                f"SELECT key, version, NULL, true FROM {lay.tombstones} WHERE tbl = $2 AND key = ANY($1::text[])",
                list(keys), lay.table_name)
        out: dict[str, Document] = {}
        for k, v, body, dead in rows:
            if k not in out or out[k].version < v:
                out[k] = self._doc(k, v, body, dead, lay)
        return out

    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        lay = await self.layout()
        p = Params()
        k = p.add(key)
        values = row_values(lay, body, p)
        cols = ", ".join(ident(c) for c in values)
        sets = ", ".join(f"{ident(c)} = {v}" for c, v in values.items())
        V, K = ident(lay.version), ident(lay.key)
        if pre.expected_version or pre.must_exist:
            cond = f" AND {V} = {p.add(pre.expected_version)}" if pre.expected_version else ""
            sql = (f"UPDATE {lay.table} SET {sets}{', ' if sets else ''}{V} = {V} + 1 "
                   f"WHERE {K} = {k}::text::{lay.key_type}{cond} RETURNING {V}")
        else:
            tbl = p.add(lay.table_name)
            on_conflict = "DO NOTHING" if pre.must_not_exist else (
                f"DO UPDATE SET {sets}{', ' if sets else ''}{V} = {lay.table}.{V} + 1")
            sql = (f"WITH tomb AS (DELETE FROM {lay.tombstones} WHERE tbl = {tbl} AND key = {k} RETURNING version) "
                   f"INSERT INTO {lay.table} ({K}{', ' if cols else ''}{cols}, {V}) "
                   f"VALUES ({k}::text::{lay.key_type}{', ' if cols else ''}{', '.join(values.values())}, "
                   f"COALESCE((SELECT max(version) FROM tomb), 0) + 1) "
                   f"ON CONFLICT ({K}) {on_conflict} RETURNING {V}")
        async with self.backend.conn() as conn:
            version = await conn.fetchval(sql, *p.values)
            if version is None:
                await self._fail(conn, lay, key, pre)
        return Document(key, body, int(version))

    async def update(self, key: str, update: Update) -> Document:
        lay = await self.layout()
        p = Params()
        k = p.add(key)
        sets = assignments(lay, update, p)
        V, K = ident(lay.version), ident(lay.key)
        cond = where_sql(lay, update.condition, p)
        if update.precondition.expected_version:
            cond += f" AND t.{V} = {p.add(update.precondition.expected_version)}"
        sql = (f"UPDATE {lay.table} t SET {', '.join(sets)}, {V} = t.{V} + 1 "
               f"WHERE t.{K} = {k}::text::{lay.key_type} AND {cond} "
               f"RETURNING t.{K}::text, t.{V}, ({lay.body_sql()})::text")
        async with self.backend.conn() as conn:
            seen: int | None = None
            for _ in range(ATTEMPTS):
                row = await conn.fetchrow(sql, *p.values)
                if row is not None:
                    return self._doc(row[0], row[1], row[2], False, lay)
                # Matched nothing. Under READ COMMITTED that may be a race (the row was deleted and
                # re-created meanwhile), so the statement runs again unless the row stood still.
                await self._fail(conn, lay, key, update.precondition, exists_ok=True)
                current = await self._version(conn, lay, key)
                if update.condition and current == seen:
                    break
                seen = current
            if update.condition:
                raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
        raise Unavailable(f"document {key!r} changed too often to update it; try again", entity=self.spec.entity)

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        lay = await self.layout()
        V, K = ident(lay.version), ident(lay.key)
        cond = f" AND {V} = $3" if pre.expected_version else ""
        args: list[Any] = [key, lay.table_name] + ([pre.expected_version] if pre.expected_version else [])
        deleted = f"DELETE FROM {lay.table} WHERE {K} = $1::text::{lay.key_type}{cond} RETURNING {V}"
        if tombstone:
            sql = (f"WITH d AS ({deleted}) INSERT INTO {lay.tombstones} (tbl, key, version) "
                   f"SELECT $2, $1, {V} + 1 FROM d ON CONFLICT (tbl, key) DO UPDATE "
                   f"SET version = GREATEST({lay.tombstones}.version, EXCLUDED.version), deleted_at = now() "
                   "RETURNING version")
        else:
            sql = f"WITH d AS ({deleted}) SELECT {V} + 1 FROM d WHERE $2::text IS NOT NULL"
        async with self.backend.conn() as conn:
            version = await conn.fetchval(sql, *args)
            if version is None:
                if pre.expected_version:
                    await self._fail(conn, lay, key, pre)
                return None
        return Document.tombstone(key, int(version))

    async def copy(self, doc: Document) -> bool:
        lay = await self.layout()
        V, K = ident(lay.version), ident(lay.key)
        async with self.backend.conn() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                               f"{lay.table_name}/{doc.key}")
            current = await conn.fetchval(
                f"SELECT GREATEST((SELECT {V} FROM {lay.table} WHERE {K} = $1::text::{lay.key_type} FOR UPDATE), "
                f"(SELECT version FROM {lay.tombstones} WHERE tbl = $2 AND key = $1))", doc.key, lay.table_name)
            if current is not None and current >= doc.version:
                return False
            if doc.deleted:
                await conn.execute(f"DELETE FROM {lay.table} WHERE {K} = $1::text::{lay.key_type}", doc.key)
                await conn.execute(
                    f"INSERT INTO {lay.tombstones} (tbl, key, version) VALUES ($2, $1, $3) ON CONFLICT (tbl, key) "
                    "DO UPDATE SET version = EXCLUDED.version, deleted_at = now()",
                    doc.key, lay.table_name, doc.version)
                return True
            await conn.execute(f"DELETE FROM {lay.tombstones} WHERE tbl = $2 AND key = $1", doc.key, lay.table_name)
            p = Params()
            k, v = p.add(doc.key), p.add(doc.version)
            values = row_values(lay, doc.body, p)
            cols = "".join(f", {ident(c)}" for c in values)
            sets = "".join(f"{ident(c)} = EXCLUDED.{ident(c)}, " for c in values)
            await conn.execute(
                f"INSERT INTO {lay.table} ({K}{cols}, {V}) VALUES ({k}::text::{lay.key_type}"
                f"{''.join(', ' + x for x in values.values())}, {v}) "
                f"ON CONFLICT ({K}) DO UPDATE SET {sets}{V} = EXCLUDED.{V}", *p.values)
        return True

    async def query(self, query: Query) -> Page:
        lay = await self.layout()
        p = Params()
        where = where_sql(lay, query.filter, p)
        order = order_sql(lay, query.order, p)
        return await self._page(lay, where, order, p, query.limit, query.cursor)

    async def search(self, search: Search) -> Page:
        lay = await self.layout()
        if not self.spec.search_fields:
            raise InvalidArgument(f"entity {self.spec.entity!r} declares no search fields", field="text")
        p = Params()
        where = where_sql(lay, search.filter, p)
        texts = []
        for f in self.spec.search_fields:
            from proxy.models import FieldPath

            e, typ = lay.expr(FieldPath.parse(f), "t", p)
            texts.append(f"({e} #>> '{{}}')" if typ == "jsonb" else f"({e})::text")
        lang = p.add(self.spec.search_language)
        doc = f"to_tsvector({lang}::regconfig, concat_ws(' ', {', '.join(texts)}))"
        q = f"plainto_tsquery({lang}::regconfig, {p.add(search.text)})"
        order = f"ts_rank({doc}, {q}) DESC, t.{ident(lay.key)}::text COLLATE \"C\""
        return await self._page(lay, f"{where} AND {doc} @@ {q}", order, p, search.limit, search.cursor)

    async def _page(self, lay: Layout, where: str, order: str, p: Params, limit: int, cursor: bytes | None) -> Page:
        try:
            offset = int(cursor or b"0")
        except ValueError:
            raise InvalidArgument("page_token is not valid for this store", field="page_token") from None
        sql = (f"{self._select(lay)} WHERE {where} ORDER BY {order} "
               f"LIMIT {p.add(limit + 1)} OFFSET {p.add(offset)}")
        async with self.backend.conn() as conn:
            rows = await conn.fetch(sql, *p.values)
        docs = tuple(self._doc(r[0], r[1], r[2], False, lay) for r in rows[:limit])
        return Page(docs, str(offset + limit).encode() if len(rows) > limit else None)

    def _scan_sql(self, lay: Layout, *, paged: bool) -> str:
        """Rows and tombstones after $1 (NULL: from the start) in byte order of the key, newest first
        per key; $2 is the table name, $3 (``paged``) the most to return. A page sorts keys alone and
        joins bodies after, so only the rows returned have their bodies rendered."""
        K, V = ident(lay.key), ident(lay.version)
        after = '($1::text IS NULL OR k COLLATE "C" > $1) ORDER BY k COLLATE "C", v DESC'
        if not paged:
            return (f"SELECT * FROM ({self._select(lay)} UNION ALL SELECT key, version, NULL, true FROM "
                    f"{lay.tombstones} WHERE tbl = $2) s(k, v, b, d) WHERE {after}")
        return (f"WITH ks AS (SELECT * FROM (SELECT t.{K}::text, t.{V}, false FROM {lay.table} t "
                f"UNION ALL SELECT key, version, true FROM {lay.tombstones} WHERE tbl = $2) s(k, v, d) "
                f"WHERE {after} LIMIT $3) "
                f"SELECT ks.k, ks.v, CASE WHEN ks.d THEN NULL ELSE ({lay.body_sql()})::text END, ks.d FROM ks "
                f"LEFT JOIN {lay.table} t ON NOT ks.d AND t.{K} = ks.k::text::{lay.key_type} "
                f'ORDER BY ks.k COLLATE "C", ks.v DESC')

    async def scan(self, scan: Scan) -> list[Document]:
        lay = await self.layout()
        out: list[Document] = []
        after = scan.after
        while len(out) < scan.limit:
            async with self.backend.conn() as conn:
                rows = await conn.fetch(self._scan_sql(lay, paged=True), after, lay.table_name, scan.limit)
            if not rows:
                break
            seen: set[str] = set()
            for k, v, body, dead in rows:
                if k not in seen and scan.segment.contains(k):
                    out.append(self._doc(k, v, body, dead, lay))
                seen.add(k)
            after = rows[-1][0]
        return out[: scan.limit]

    async def scan_pages(self, scan: Scan) -> AsyncGenerator[list[Document], None]:
        # One server-side cursor sorts once; paging with `scan` would sort what is left per page.
        # It reads a snapshot taken when it opens (rows written later are the dual writes' job).
        lay = await self.layout()
        last: str | None = None
        page: list[Document] = []
        async with self.backend.conn() as conn, conn.transaction(readonly=True):
            cursor = await conn.cursor(self._scan_sql(lay, paged=False), scan.after, lay.table_name,
                                        timeout=BULK_TIMEOUT)
            while rows := await cursor.fetch(max(scan.limit, 100), timeout=BULK_TIMEOUT):
                for k, v, body, dead in rows:
                    if k != last and scan.segment.contains(k):
                        page.append(self._doc(k, v, body, dead, lay))
                    last = k
                while len(page) >= scan.limit:
                    yield page[: scan.limit]
                    page = page[scan.limit:]
        if page:
            yield page

    async def count(self) -> int | None:
        lay = await self.layout()
        async with self.backend.conn() as conn:
            rows: int | None = await conn.fetchval(
                "SELECT CASE WHEN reltuples >= 0 THEN reltuples::bigint END FROM pg_class WHERE oid = to_regclass($1)",
                lay.table)
            if rows is None:  # never analyzed: count them
                rows = await conn.fetchval(f"SELECT count(*) FROM {lay.table}")
            dead: int = await conn.fetchval(f"SELECT count(*) FROM {lay.tombstones} WHERE tbl = $1", lay.table_name)
        return int(rows or 0) + dead

    async def purge_tombstones(self) -> int:
        lay = await self.layout()
        async with self.backend.conn() as conn:
            status: str = await conn.execute(f"DELETE FROM {lay.tombstones} WHERE tbl = $1", lay.table_name)
        return int(status.rsplit(maxsplit=1)[-1])


class PostgresBackend(Backend):
    kind = "postgres"
    capabilities = Capabilities(search=True)

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        super().__init__(name, settings)
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def check_mapping(cls, mapping: Mapping[str, Any]) -> list[str]:
        issues = []
        if "table" not in mapping:
            issues.append("table: required for postgres")
        if "document" in mapping and ("columns" in mapping or "extra" in mapping):
            issues.append("document: document mode cannot be combined with columns or extra")
        if "document" not in mapping and not mapping.get("columns") and "extra" not in mapping:
            issues.append("columns: give columns (and optionally extra), or document: COLUMN")
        issues += [f"{k}: not used by postgres" for k in ("collection", "index") if k in mapping]
        return issues

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    async with translated(self.name):
                        self._pool = await asyncpg.create_pool(
                            self.settings["dsn"], min_size=int(self.settings.get("pool_min", 1)),
                            max_size=int(self.settings.get("pool_max", 10)),
                            command_timeout=float(self.settings.get("timeout", 5.0)),
                            timeout=float(self.settings.get("timeout", 5.0)), reset=_keep_session)
        return self._pool

    @asynccontextmanager
    async def conn(self) -> AsyncIterator[asyncpg.Connection]:
        pool = await self.pool()
        async with translated(self.name), pool.acquire() as conn:
            yield conn

    async def ping(self) -> None:
        async with self.conn() as conn:
            await conn.fetchval("SELECT 1")

    async def collection(self, spec: CollectionSpec) -> Collection:
        coll = PostgresCollection(self, spec)
        try:
            await coll.layout()
        except Unavailable:
            pass  # the store is down or not prepared yet: discovered again on first use
        return coll


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool release hook: nothing to undo. The proxy never changes session state (no SET, LISTEN,
    session advisory locks or cursors; transactions are managed and locks transaction-scoped), so
    asyncpg's default reset query — one more round trip on every call — is skipped."""
