"""OpenSearch (opensearch-py's AsyncOpenSearch): one index per entity, created on first use with an
explicit, strict mapping (`mapping`). A document is ``{k: key, v: version, d: body, f: [...], s: {...},
t: {...}}``; a tombstone is ``{k, v, deleted: true}``. The body sits under ``d``, which is not indexed,
so any JSON fits and ``_source`` gives it back byte for byte (`codec.ExactSerializer` keeps int64 and
decimals exact on the way in and out); ``f`` is the query projection, ``s`` the full-text fields and
``t`` the declared fields in native types.

**Versions.** The proxy's version is the ``v`` field, not OpenSearch's ``_version`` (which a hard
delete or a copy would make drift). Every write is a compare-and-set on the document's sequence
number: read it (a realtime GET), decide in Python with the reference rules — precondition,
`Update.condition` via `match.matches`, newer-wins for `copy` — and write with ``if_seq_no`` /
``if_primary_term`` (``op_type=create`` for an absent key). If anything wrote in between, OpenSearch
answers version_conflict, nothing is written, and the step is repeated on the new state with
jittered backoff. So the check and the write are one atomic step per document, without scripts.
(External versioning would give `copy` newer-wins in one request, but it needs ``_version`` to be
the proxy's version, which stops being true after a hard delete; one mechanism serves every write.)

**Refresh.** Writes pass the backend's ``refresh`` setting (default ``wait_for``): the call returns
once the write is visible to search, so `query`, `search` and `scan` see it. GET is realtime either
way. ``refresh: "false"`` trades that for throughput: searches then lag by up to the index's
``refresh_interval`` (setting ``refresh_interval``, OpenSearch's default 1 s).

Queries are translated by `filters` and every hit is re-checked with `match.matches` (a no-op unless a
token was cut or hashed); pages continue with ``search_after``. Full text is ``multi_match`` with
``cross_fields`` and ``operator: and`` over ``s`` — every word somewhere in the search fields — ranked
by BM25, ties by key.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

from opensearchpy import AsyncOpenSearch

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.match import apply_update, matches
from proxy.backends.memory import check_precondition
from proxy.backends.opensearch import filters, mapping
from proxy.backends.opensearch.codec import (
    NESTED_LIMIT,
    ExactSerializer,
    Raw,
    entries,
    field_name,
    search_texts,
    typed_values,
)
from proxy.backends.opensearch.errors import MISSING_INDEX, check, error_types, translated
from proxy.errors import ConditionFailed, ConfigError, InvalidArgument, NotFound, Unavailable
from proxy.models import Body, Condition, Document, Page, Precondition, Query, Scan, Search, Update

_driver_log = logging.getLogger("opensearch")
if _driver_log.level == logging.NOTSET:
    # opensearch-py logs every request URL (which holds the key) at INFO/WARNING and bodies at DEBUG;
    # keys and values stay out of the proxy's logs (DESIGN §10) unless an operator sets this logger.
    _driver_log.setLevel(logging.ERROR)

ATTEMPTS = 100
"""Compare-and-set tries of one write. A try fails only when another write landed in between, so this
bounds how many competing writes one call waits out before the caller is told to retry."""
BATCH = 1000
MAX_KEY_BYTES = 512  # OpenSearch's limit on _id
WRITTEN = frozenset({"created", "updated", "deleted"})
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stored:
    """A document as read, with what a conditional write must name."""

    doc: Document
    seq_no: int
    primary_term: int


class OpenSearchCollection(Collection):
    def __init__(self, backend: OpenSearchBackend, spec: CollectionSpec, index: str) -> None:
        self.spec, self.backend, self.index = spec, backend, index
        self.name = backend.name
        self._ready = False
        self._lock = asyncio.Lock()

    # -- setup -----------------------------------------------------------------------------------
    async def ensure(self) -> None:
        """Create the index with its mapping if it is missing; add new fields to an existing one."""
        if self._ready:
            return
        async with self._lock:
            if self._ready:
                return
            client = self.backend.client
            body = {"settings": mapping.settings(self.backend.settings.get("refresh_interval")),
                    "mappings": mapping.mapping(self.spec)}
            async with translated(self.name):
                res = await client.indices.create(index=self.index, body=body, ignore=400)
            if "resource_already_exists_exception" in error_types(res):
                # Created earlier (or by another sidecar just now): new search or declared fields are
                # added; a changed one (another analyzer, type) is refused by OpenSearch.
                try:
                    async with translated(self.name):
                        await client.indices.put_mapping(index=self.index, body=body["mappings"])
                except InvalidArgument as e:
                    raise InvalidArgument(
                        f"index {self.index!r} exists with a mapping this entity's fields or search settings "
                        "conflict with; reindex into a new index", field="index", entity=self.spec.entity) from e
            else:
                check(res, self.name)
            self._ready = True

    def _gone(self, res: Any) -> bool:
        """The index vanished (deleted by hand): set it up again on the next call."""
        if MISSING_INDEX in error_types(res):
            self._ready = False
            return True
        return False

    # -- documents ---------------------------------------------------------------------------------
    def _doc(self, key: str, src: Mapping[str, Any]) -> Document:
        version = int(src["v"])
        if src.get("deleted"):
            return Document.tombstone(key, version)
        return Document(key, self.spec.schema.restore(src.get("d") or {}), version)

    def _source(self, doc: Document) -> Raw:
        if doc.deleted:
            return {"k": doc.key, "v": doc.version, "deleted": True}
        projection = entries(doc.body)
        if len(projection) > NESTED_LIMIT:
            raise InvalidArgument(f"the document has more than {NESTED_LIMIT} fields", backend=self.name)
        return {"k": doc.key, "v": doc.version, "d": doc.body, "f": projection,
                "s": search_texts(doc.body, self.spec.search_fields), "t": typed_values(doc.body, self.spec.schema)}

    @staticmethod
    def _check_key(key: str) -> None:
        try:
            size = len(key.encode("utf-8"))
        except UnicodeEncodeError:
            size = -1
        if not 0 < size <= MAX_KEY_BYTES:
            raise InvalidArgument(f"an OpenSearch key must be 1 to {MAX_KEY_BYTES} bytes of valid Unicode",
                                  field="key")

    async def _read(self, key: str) -> Stored | None:
        self._check_key(key)
        for _ in range(2):
            await self.ensure()
            async with translated(self.name):
                res = await self.backend.client.get(index=self.index, id=key, ignore=404)
            if self._gone(res):
                continue
            check(res, self.name)
            if not res.get("found"):
                return None
            return Stored(self._doc(key, res["_source"]), int(res["_seq_no"]), int(res["_primary_term"]))
        raise Unavailable(f"opensearch store {self.name!r} lost the index {self.index!r}", backend=self.name)

    async def _swap(self, key: str, seen: Stored | None, doc: Document | None) -> bool:
        """Write ``doc`` (None: delete outright) if the stored document is still ``seen``."""
        client, refresh = self.backend.client, self.backend.refresh
        cas: Raw = {"op_type": "create"} if seen is None else {
            "if_seq_no": seen.seq_no, "if_primary_term": seen.primary_term}
        async with translated(self.name):
            if doc is None:
                res = await client.delete(index=self.index, id=key, refresh=refresh, ignore=(404, 409), **cas)
            else:
                res = await client.index(index=self.index, id=key, body=self._source(doc), refresh=refresh,
                                         ignore=409, **cas)
        if res.get("result") in WRITTEN:
            return True
        if self._gone(res):
            return False
        check(res, self.name, allowed=(404, 409))
        return False  # a version conflict, or the document vanished: someone else wrote first

    async def _settle(self, key: str, step: Callable[[Stored | None], Awaitable[tuple[bool, T]]]) -> T:
        """Run ``step(stored)`` — it decides, writes and returns (done, result) — until its write wins."""
        for attempt in range(ATTEMPTS):
            done, result = await step(await self._read(key))
            if done:
                return result
            await asyncio.sleep(random.uniform(0, min(0.05, 0.0005 * 2 ** min(attempt, 10))))
        raise Unavailable(f"document {key!r} changed too often to write it; try again", backend=self.name)

    # -- contract ----------------------------------------------------------------------------------
    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        wanted = [k for k in dict.fromkeys(keys) if k and len(k.encode("utf-8", "replace")) <= MAX_KEY_BYTES]
        if not wanted:
            return {}
        await self.ensure()
        async with translated(self.name):
            res = await self.backend.client.mget(index=self.index, body={"ids": wanted}, ignore=404)
        if self._gone(res):
            raise Unavailable(f"opensearch store {self.name!r} lost the index {self.index!r}", backend=self.name)
        check(res, self.name)
        return {d["_id"]: self._doc(d["_id"], d["_source"]) for d in res.get("docs", ()) if d.get("found")}

    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        async def step(seen: Stored | None) -> tuple[bool, Document]:
            current = seen.doc if seen else None
            check_precondition(current, pre, key)
            doc = Document(key, body, (current.version if current else 0) + 1)
            return await self._swap(key, seen, doc), doc

        return await self._settle(key, step)

    async def update(self, key: str, update: Update) -> Document:
        async def step(seen: Stored | None) -> tuple[bool, Document]:
            current = seen.doc if seen else None
            check_precondition(current, update.precondition, key)
            if seen is None or seen.doc.deleted:
                raise NotFound(f"document {key!r} not found")
            if not matches(update.condition, seen.doc.body):
                raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
            doc = Document(key, apply_update(seen.doc.body, update), seen.doc.version + 1)
            return await self._swap(key, seen, doc), doc

        return await self._settle(key, step)

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        async def step(seen: Stored | None) -> tuple[bool, Document | None]:
            check_precondition(seen.doc if seen else None, pre, key)
            if seen is None or seen.doc.deleted:
                return True, None
            tomb = Document.tombstone(key, seen.doc.version + 1)
            return await self._swap(key, seen, tomb if tombstone else None), tomb

        return await self._settle(key, step)

    async def copy(self, doc: Document) -> bool:
        async def step(seen: Stored | None) -> tuple[bool, bool]:
            if seen is not None and seen.doc.version >= doc.version:
                return True, False
            return await self._swap(doc.key, seen, doc), True

        return await self._settle(doc.key, step)

    async def query(self, query: Query) -> Page:
        return await self._page(filters.live_query(query.filter), filters.sort(query.order), query.filter,
                                query.limit, query.cursor)

    async def search(self, search: Search) -> Page:
        if not self.spec.search_fields:
            raise InvalidArgument(f"entity {self.spec.entity!r} declares no search fields", field="text")
        text = {"multi_match": {"query": search.text, "type": "cross_fields", "operator": "and",
                                "fields": [f"s.{field_name(f)}" for f in self.spec.search_fields]}}
        return await self._page(filters.live_query(search.filter, [text]), filters.SEARCH_SORT, search.filter,
                                search.limit, search.cursor)

    async def _page(self, q: Raw, sort: list[Raw], conds: Sequence[Condition], limit: int,
                    cursor: bytes | None) -> Page:
        after = filters.decode_cursor(cursor, sort)
        out: list[tuple[Document, list[Any]]] = []
        async with aclosing(self._hits(q, sort, after, min(max(limit + 1, 10), BATCH))) as hits:
            async for doc, values in hits:
                if doc.deleted or not matches(conds, doc.body):
                    continue  # only when a cut or hashed token made the store's filter wider
                if len(out) == limit:
                    return Page(tuple(d for d, _ in out), filters.encode_cursor(out[-1][1]))
                out.append((doc, values))
        return Page(tuple(d for d, _ in out), None)

    async def _hits(self, q: Raw, sort: list[Raw], after: list[Any] | None,
                    size: int) -> AsyncGenerator[tuple[Document, list[Any]], None]:
        """Every hit of ``q`` in ``sort`` order from ``after`` on, fetched ``size`` at a time."""
        await self.ensure()
        while True:
            body: Raw = {"query": q, "sort": sort, "size": size, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            async with translated(self.name):
                res = await self.backend.client.search(index=self.index, body=body, ignore=(400, 404))
            if self._gone(res):
                raise Unavailable(f"opensearch store {self.name!r} lost the index {self.index!r}", backend=self.name)
            if after is not None and res.get("status") == 400:
                raise InvalidArgument("page_token is not valid for this store", field="page_token")
            hits = check(res, self.name)["hits"]["hits"]
            for h in hits:
                yield self._doc(h["_id"], h["_source"]), h["sort"]
            if len(hits) < size:
                return
            after = hits[-1]["sort"]

    async def scan(self, scan: Scan) -> list[Document]:
        if scan.limit <= 0:
            return []
        q: Raw = {"range": {"k": {"gt": scan.after}}} if scan.after is not None else {"match_all": {}}
        whole = scan.segment.count <= 1
        size = min(scan.limit if whole else scan.limit * scan.segment.count, BATCH)
        out: list[Document] = []
        async with aclosing(self._hits(q, [filters.BY_KEY], None, max(size, 1))) as hits:
            async for doc, _ in hits:
                if whole or scan.segment.contains(doc.key):  # segments are a hash of the key: filtered here
                    out.append(doc)
                    if len(out) >= scan.limit:
                        break
        return out

    async def purge_tombstones(self) -> int:
        await self.ensure()
        async with translated(self.name):
            res = await self.backend.client.delete_by_query(
                index=self.index, body={"query": {"term": {"deleted": True}}}, conflicts="proceed", refresh=True)
        return int(res.get("deleted", 0))


class OpenSearchBackend(Backend):
    kind = "opensearch"
    capabilities = Capabilities(search=True)

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        super().__init__(name, settings)
        self.timeout = float(settings.get("timeout") or 5.0)
        self.refresh = str(settings.get("refresh") or "wait_for")
        self.prefix = str(settings.get("index_prefix") or "")
        self._client: AsyncOpenSearch | None = None

    @classmethod
    def check_mapping(cls, mapping_: Mapping[str, Any]) -> list[str]:
        issues = [f"{k}: not used by opensearch" for k in ("table", "columns", "extra", "document", "key_column",
                                                           "schema", "collection") if k in mapping_]
        name = mapping_.get("index")
        problem = mapping.name_problem(str(name)) if name is not None else None
        return issues + ([f"index: {problem}"] if problem else [])

    async def __aenter__(self) -> Self:
        hosts = self.settings.get("hosts")
        if not hosts:
            raise ConfigError([f"backends.{self.name}: OpenSearch hosts are required (hosts_env or hosts_file)"])
        if self.refresh not in ("wait_for", "true", "false"):
            raise ConfigError([f"backends.{self.name}.refresh: must be wait_for, true or false"])
        urls = [h.strip() for h in hosts.split(",")] if isinstance(hosts, str) else [str(h) for h in hosts]
        # No I/O here: aiohttp connects on first use. No client-side retries: a write whose answer was
        # lost must not be sent again blindly (the caller's retry re-reads and re-decides).
        self._client = AsyncOpenSearch(
            hosts=[u for u in urls if u], serializer=ExactSerializer(), timeout=self.timeout, max_retries=0,
            pool_maxsize=int(self.settings.get("pool_max") or 10))
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    @property
    def client(self) -> AsyncOpenSearch:
        if self._client is None:
            raise Unavailable(f"opensearch store {self.name!r} is closed", backend=self.name)
        return self._client

    async def ping(self) -> None:
        async with translated(self.name):
            await self.client.info()

    async def collection(self, spec: CollectionSpec) -> Collection:
        coll = OpenSearchCollection(self, spec, mapping.index_name(spec, self.prefix))
        try:
            await coll.ensure()
        except Unavailable:
            pass  # the store is down now: the index is set up on first use
        return coll
