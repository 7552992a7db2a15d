"""The reference backend: everything in a dict. Used by unit tests and as the conformance baseline.

Each method runs without awaiting between its read and its write, so on one event loop every
operation is atomic — the property real stores provide with conditional statements.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from types import TracebackType
from typing import Self

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.match import apply_update, matches, ordered, search_hits
from proxy.errors import AlreadyExists, ConditionFailed, InvalidArgument, NotFound, VersionConflict
from proxy.models import Body, Document, Page, Precondition, Query, Scan, Search, Update


def check_precondition(current: Document | None, pre: Precondition, key: str) -> None:
    """Shared precondition rules (``current`` is None or a tombstone when the key is absent)."""
    live = current is not None and not current.deleted
    if pre.must_not_exist and live:
        raise AlreadyExists(f"document {key!r} already exists")
    if pre.expected_version:
        if not live:
            raise VersionConflict(f"expected version {pre.expected_version} of {key!r}, but it does not exist")
        assert current is not None
        if current.version != pre.expected_version:
            raise VersionConflict(
                f"expected version {pre.expected_version} of {key!r}, found {current.version}")
    if pre.must_exist and not live:
        raise NotFound(f"document {key!r} not found")


class MemoryCollection(Collection):
    def __init__(self, spec: CollectionSpec, records: dict[str, Document]) -> None:
        self.spec = spec
        self.records = records

    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        return {k: self.records[k] for k in keys if k in self.records}

    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        current = self.records.get(key)
        check_precondition(current, pre, key)
        doc = Document(key, copy.deepcopy(body), (current.version if current else 0) + 1)
        self.records[key] = doc
        return doc

    async def update(self, key: str, update: Update) -> Document:
        current = self.records.get(key)
        if current is None or current.deleted:
            check_precondition(current, update.precondition, key)
            raise NotFound(f"document {key!r} not found")
        check_precondition(current, update.precondition, key)
        if not matches(update.condition, current.body):
            raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")
        doc = Document(key, apply_update(current.body, update), current.version + 1)
        self.records[key] = doc
        return doc

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        current = self.records.get(key)
        check_precondition(current, pre, key)
        if current is None or current.deleted:
            return None
        tomb = Document.tombstone(key, current.version + 1)
        if tombstone:
            self.records[key] = tomb
        else:
            del self.records[key]
        return tomb

    async def copy(self, doc: Document) -> bool:
        current = self.records.get(doc.key)
        if current is not None and current.version >= doc.version:
            return False
        self.records[doc.key] = Document(doc.key, copy.deepcopy(doc.body), doc.version, doc.deleted)
        return True

    async def query(self, query: Query) -> Page:
        live = [d for d in self.records.values() if not d.deleted and matches(query.filter, d.body)]
        return page_of(ordered(live, query.order), query.limit, query.cursor)

    async def search(self, search: Search) -> Page:
        hits = search_hits(self.records.values(), search.text, self.spec.search_fields, search.filter)
        return page_of(hits, search.limit, search.cursor)

    async def scan(self, scan: Scan) -> list[Document]:
        keys = sorted(k for k in self.records if (scan.after is None or k > scan.after) and scan.segment.contains(k))
        return [self.records[k] for k in keys[: scan.limit]]

    async def count(self) -> int | None:
        return len(self.records)

    async def purge_tombstones(self) -> int:
        dead = [k for k, d in self.records.items() if d.deleted]
        for k in dead:
            del self.records[k]
        return len(dead)


def page_of(docs: list[Document], limit: int, cursor: bytes | None) -> Page:
    try:
        start = int(cursor or b"0")
    except ValueError:
        raise InvalidArgument("page_token is not valid for this store", field="page_token") from None
    chunk = docs[start: start + limit]
    more = start + limit < len(docs)
    return Page(tuple(chunk), str(start + limit).encode() if more else None)


class MemoryBackend(Backend):
    """Records live as long as the process. ``capabilities`` can be narrowed for tests."""

    kind = "memory"
    capabilities = Capabilities(search=True)

    def __init__(self, name: str, settings: dict[str, object] | None = None) -> None:
        super().__init__(name, settings or {})
        self.tables: dict[str, dict[str, Document]] = {}

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def collection(self, spec: CollectionSpec) -> Collection:
        table = str(spec.mapping.get("table") or spec.mapping.get("collection") or spec.entity)
        return MemoryCollection(spec, self.tables.setdefault(table, {}))
