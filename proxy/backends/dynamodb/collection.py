"""One entity in one DynamoDB table (layout and choices: see `proxy.backends.dynamodb.backend`)."""

from __future__ import annotations

import asyncio
import heapq
import random
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from proxy.backends.base import Collection, CollectionSpec
from proxy.backends.dynamodb.codec import MAX_ITEM_BYTES, MAX_KEY_BYTES, Attr, decode, item_size, unmark
from proxy.backends.dynamodb.errors import Refused, code, translated
from proxy.backends.dynamodb.expressions import BODY, DELETED, FLOATS, PK, VERSION, Expr, conditions
from proxy.backends.dynamodb.updates import Index, index_keys, partial, replacement, stored_body
from proxy.backends.match import apply_update, matches, ordered
from proxy.backends.memory import check_precondition
from proxy.errors import ConditionFailed, InvalidArgument, NotFound, ResourceExhausted, Unavailable
from proxy.models import Body, Document, Op, Page, Precondition, Query, Scan, Update

if TYPE_CHECKING:
    from proxy.backends.dynamodb.backend import DynamoBackend

Raw = dict[str, Attr]
ATTEMPTS = 3
"""Tries of one conditional write whose refusal the returned item did not explain (it raced)."""
CAS_ATTEMPTS = 50
"""Tries of a read-apply-compare-and-set update before the caller is told to retry."""
BATCH_GET = 100
"""BatchGetItem's limit of keys per request."""
MAX_EXPRESSION = 4000
"""DynamoDB refuses expressions over 4 KB; longer conditions are evaluated in Python instead."""


class DynamoCollection(Collection):
    def __init__(self, backend: DynamoBackend, spec: CollectionSpec, table: str, indexes: tuple[Index, ...],
                 allow_scan: bool) -> None:
        self.spec, self.backend, self.table = spec, backend, table
        self.name = backend.name
        self.indexes, self.allow_scan = indexes, allow_scan

    # -- plumbing --------------------------------------------------------------------------------
    async def _request(self, op: str, **params: Any) -> dict[str, Any]:
        """One API call on this table, set up first; a table that vanished is set up again once."""
        for attempt in range(2):
            await self.backend.table(self.table, self.indexes)
            try:
                async with translated(self.name):
                    result: dict[str, Any] = await getattr(self.backend.client, op)(**params)
                    return result
            except Unavailable as e:
                cause = e.__cause__
                if attempt or not (isinstance(cause, ClientError) and code(cause) == "ResourceNotFoundException"):
                    raise
                self.backend.forget(self.table)
        raise AssertionError("unreachable")

    async def _pages(self, op: str, **params: Any) -> AsyncIterator[list[Raw]]:
        start: dict[str, Any] | None = None
        while True:
            result = await self._request(op, TableName=self.table, **params,
                                         **({"ExclusiveStartKey": start} if start else {}))
            yield result.get("Items", [])
            start = result.get("LastEvaluatedKey")
            if not start:
                return

    def _key(self, key: str) -> dict[str, Attr]:
        return {PK: {"S": key}}

    def _doc(self, raw: Raw) -> Document:
        key, version = str(raw[PK]["S"]), int(raw.get(VERSION, {}).get("N", "0"))
        if raw.get(DELETED, {}).get("BOOL"):
            return Document.tombstone(key, version)
        body = unmark(decode(raw.get(BODY) or {"M": {}}), raw.get(FLOATS, {}).get("M", {}))
        return Document(key, self.spec.schema.restore(body), version)

    def _current(self, raw: Raw | None) -> Document | None:
        return self._doc(raw) if raw else None

    async def _read(self, key: str) -> Document | None:
        result = await self._request("get_item", TableName=self.table, Key=self._key(key), ConsistentRead=True)
        return self._current(result.get("Item"))

    async def _write(self, op: str, key: str, e: Expr, condition: str | None, **params: Any) -> dict[str, Any]:
        """One conditional write of ``key``; `Refused` carries the item that failed the condition."""
        if condition:
            params["ConditionExpression"] = condition
        return await self._request(op, TableName=self.table, Key=self._key(key),
                                   ReturnValuesOnConditionCheckFailure="ALL_OLD", **params, **e.params())

    def _check_key(self, key: str) -> None:
        if not key:
            raise InvalidArgument("the key must not be empty", field="key", entity=self.spec.entity)
        if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_BYTES:
            raise InvalidArgument(f"key is longer than DynamoDB's {MAX_KEY_BYTES} bytes", field="key",
                                  entity=self.spec.entity)

    def _check_size(self, key: str, item: Raw) -> None:
        if item_size(item) > MAX_ITEM_BYTES:
            raise InvalidArgument(
                f"document {key!r} of entity {self.spec.entity!r} is larger than DynamoDB's 400 KB item limit",
                entity=self.spec.entity, backend=self.name)

    def _precondition(self, e: Expr, pre: Precondition) -> str | None:
        clauses = []
        if pre.must_not_exist:
            clauses.append(f"(attribute_not_exists({e.name(PK)}) OR {e.name(DELETED)} = {e.value({'BOOL': True})})")
        if pre.expected_version or pre.must_exist:
            clauses.append(e.live())
        if pre.expected_version:
            clauses.append(f"{e.name(VERSION)} = {e.value({'N': str(pre.expected_version)})}")
        return " AND ".join(clauses) or None

    def _full_item(self, key: str, body: Body) -> Raw:
        d, f = stored_body(body)
        return {PK: {"S": key}, VERSION: {"N": "1"}, DELETED: {"BOOL": False}, BODY: d, FLOATS: f,
                **index_keys(body, self.indexes)}

    # -- reads -----------------------------------------------------------------------------------
    async def get(self, keys: Sequence[str]) -> dict[str, Document]:
        wanted = [k for k in dict.fromkeys(keys) if k and len(k.encode("utf-8", "surrogatepass")) <= MAX_KEY_BYTES]
        out: dict[str, Document] = {}
        for i in range(0, len(wanted), BATCH_GET):
            request = {self.table: {"Keys": [self._key(k) for k in wanted[i: i + BATCH_GET]], "ConsistentRead": True}}
            for attempt in range(8):
                result = await self._request("batch_get_item", RequestItems=request)
                for raw in result.get("Responses", {}).get(self.table, []):
                    doc = self._doc(raw)
                    out[doc.key] = doc
                request = result.get("UnprocessedKeys") or {}
                if not request:
                    break
                await asyncio.sleep(random.uniform(0, 0.05 * 2**attempt))  # throttled: back off
            else:
                raise Unavailable(f"dynamodb store {self.name!r} kept deferring a batch read; try again",
                                  backend=self.name)
        return {k: out[k] for k in keys if k in out}

    async def query(self, query: Query) -> Page:
        start = _offset(query.cursor)
        if any(c.op is Op.IN and not c.value for c in query.filter):
            return Page(())
        await self.backend.table(self.table, self.indexes)  # (which indexes exist is known after setup)
        index = self._index_for(query)
        params = self._read_params(query, index, filtered=True)
        if len(params["FilterExpression"]) > MAX_EXPRESSION:  # DynamoDB's limit: filter in Python only
            params = self._read_params(query, index, filtered=False)
        docs: list[Document] = []
        async for items in self._pages("query" if index else "scan", **params):
            for raw in items:
                doc = self._doc(raw)
                if not doc.deleted and matches(query.filter, doc.body):
                    docs.append(doc)
            if len(docs) > self.backend.max_query_items:
                raise ResourceExhausted(
                    f"the query on entity {self.spec.entity!r} matches more than {self.backend.max_query_items} "
                    "documents, which DynamoDB cannot order or page for the proxy; narrow the filter",
                    entity=self.spec.entity, backend=self.name)
        chunk = ordered(docs, query.order)[start: start + query.limit]
        more = start + query.limit < len(docs)
        return Page(tuple(chunk), str(start + query.limit).encode() if more else None)

    def _read_params(self, query: Query, index: tuple[Index, Attr] | None, *, filtered: bool) -> dict[str, Any]:
        """Query (on ``index``) or Scan parameters; ``filtered``: with the translatable conditions
        (those without an exact translation, and all of them if not ``filtered``, are checked in Python)."""
        e = Expr()
        params: dict[str, Any] = {}
        if index is not None:
            ix, key = index
            params.update(IndexName=ix.attribute, KeyConditionExpression=f"{e.name(ix.attribute)} = {e.value(key)}")
        else:
            params["ConsistentRead"] = True
        texts = conditions(e, query.filter)[0] if filtered else []
        return {**params, "FilterExpression": " AND ".join([e.live(), *texts]), **e.params()}

    def _index_for(self, query: Query) -> tuple[Index, Attr] | None:
        """A usable GSI with an equality on its field (None: scan, if the mapping allows it)."""
        usable = self.backend.usable_indexes(self.table, self.indexes)
        for c in query.filter:
            for ix in usable:
                if c.op is Op.EQ and ix.path == c.path and (key := ix.key(c.value)) is not None:
                    return ix, key
        if self.allow_scan:
            return None
        fields = [str(c.path) for c in query.filter if c.op is Op.EQ]
        wanted = f"an index on {' or '.join(repr(f) for f in fields)}" if fields else "an equality on an indexed field"
        declared = ", ".join(f"{ix.name} ({ix.path})" for ix in self.indexes) or "none"
        raise InvalidArgument(
            f"entity {self.spec.entity!r}: DynamoDB table {self.table!r} needs {wanted} to serve this query "
            f"(declared indexes: {declared}); declare one under `indexes:` or allow full scans with "
            "`allow_scan: true`", field=fields[0] if fields else "filter", entity=self.spec.entity, backend=self.name)

    async def scan(self, scan: Scan) -> list[Document]:
        # DynamoDB scans in hash order: the whole table is read (after `scan.after`) and the `limit`
        # smallest keys of the segment are kept, so memory stays O(limit) but each page costs a full read.
        if scan.limit <= 0:
            return []
        e = Expr()
        params: dict[str, Any] = {"ConsistentRead": True}
        if scan.after is not None:
            params["FilterExpression"] = f"{e.name(PK)} > {e.value({'S': scan.after})}"
        kept: list[Raw] = []
        async for items in self._pages("scan", **params, **e.params()):
            kept += [raw for raw in items if (scan.after is None or str(raw[PK]["S"]) > scan.after)
                     and scan.segment.contains(str(raw[PK]["S"]))]
            if len(kept) > 2 * scan.limit:
                kept = _smallest(kept, scan.limit)
        return [self._doc(raw) for raw in _smallest(kept, scan.limit)]

    # -- writes ----------------------------------------------------------------------------------
    async def put(self, key: str, body: Body, pre: Precondition) -> Document:
        self._check_key(key)
        self._check_size(key, self._full_item(key, body))
        for _ in range(ATTEMPTS):
            e = Expr()
            update = replacement(e, body, self.indexes)
            try:
                result = await self._write("update_item", key, e, self._precondition(e, pre),
                                           UpdateExpression=update, ReturnValues="ALL_NEW")
                return self._doc(result["Attributes"])
            except Refused as r:
                check_precondition(self._current(r.item), pre, key)
        raise Unavailable(f"document {key!r} changed too often to write it; try again", backend=self.name)

    async def update(self, key: str, update: Update) -> Document:
        self._check_key(key)
        pre = update.precondition
        if pre.must_not_exist:  # never true of a live document: the read says which error
            self._explain(key, update, await self._read(key))
        e = Expr()
        plan = partial(e, update, self.indexes)
        if plan is None:
            return await self._update_by_version(key, update, await self._read(key))
        condition = " AND ".join(filter(None, [self._precondition(e, pre) or e.live(), *plan.guards]))
        if max(len(condition), len(plan.update)) > MAX_EXPRESSION:
            return await self._update_by_version(key, update, await self._read(key))
        try:
            result = await self._write("update_item", key, e, condition, UpdateExpression=plan.update,
                                       ReturnValues="ALL_NEW")
            return self._doc(result["Attributes"])
        except Refused as r:  # a precondition, the condition or a guard: Python decides which
            return await self._update_by_version(key, update, self._current(r.item))
        except InvalidArgument as refused:  # e.g. a number overflow: name the field if the read cannot
            current = await self._read(key)
            self._explain(key, update, current)
            assert current is not None
            apply_update(current.body, update)
            touched = [p for p, _ in update.increment] + [p for p, _ in update.set] + list(update.unset)
            refused.field = refused.field or (str(touched[0]) if touched else None)
            raise

    def _explain(self, key: str, update: Update, current: Document | None) -> None:
        """Raise what the reference semantics say about ``update`` on the stored document."""
        check_precondition(current, update.precondition, key)
        if current is None or current.deleted:
            raise NotFound(f"document {key!r} not found")
        if not matches(update.condition, current.body):
            raise ConditionFailed(f"update condition is false for {key!r}; nothing was written")

    async def _update_by_version(self, key: str, update: Update, current: Document | None) -> Document:
        """Apply ``update`` in Python to the document read and write it only if its version is still
        the one read (compare-and-set on one item, atomic in DynamoDB); retry while others write."""
        for attempt in range(CAS_ATTEMPTS):
            self._explain(key, update, current)
            assert current is not None
            body = apply_update(current.body, update)
            self._check_size(key, self._full_item(key, body))
            e = Expr()
            expression = replacement(e, body, self.indexes)
            condition = f"{e.live()} AND {e.name(VERSION)} = {e.value({'N': str(current.version)})}"
            try:
                result = await self._write("update_item", key, e, condition, UpdateExpression=expression,
                                           ReturnValues="ALL_NEW")
                return self._doc(result["Attributes"])
            except Refused as r:
                current = self._current(r.item)
                await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise Unavailable(f"document {key!r} changed too often to update it; try again", backend=self.name)

    async def delete(self, key: str, pre: Precondition, *, tombstone: bool) -> Document | None:
        self._check_key(key)
        for _ in range(ATTEMPTS):
            if not pre.must_not_exist:  # (it always fails on a live document: the read says how)
                e = Expr()
                condition = self._precondition(e, pre) or e.live()
                try:
                    if tombstone:
                        removes = ", ".join(e.name(n) for n in (BODY, FLOATS, *(ix.attribute for ix in self.indexes)))
                        expression = (f"SET {e.name(DELETED)} = {e.value({'BOOL': True})} REMOVE {removes} "
                                      f"ADD {e.name(VERSION)} {e.value({'N': '1'})}")
                        result = await self._write("update_item", key, e, condition, UpdateExpression=expression,
                                                   ReturnValues="ALL_NEW")
                        return self._doc(result["Attributes"])
                    result = await self._write("delete_item", key, e, condition, ReturnValues="ALL_OLD")
                    return Document.tombstone(key, int(result["Attributes"][VERSION]["N"]) + 1)
                except Refused as r:
                    current = self._current(r.item)
            else:
                current = await self._read(key)
            check_precondition(current, pre, key)
            if current is None or current.deleted:
                return None
        raise Unavailable(f"document {key!r} changed too often to delete it; try again", backend=self.name)

    async def copy(self, doc: Document) -> bool:
        # Newer wins in one conditional PutItem: written only if nothing or an older version is stored.
        self._check_key(doc.key)
        if doc.deleted:
            item: Raw = {PK: {"S": doc.key}, VERSION: {"N": str(doc.version)}, DELETED: {"BOOL": True}}
        else:
            item = {**self._full_item(doc.key, doc.body), VERSION: {"N": str(doc.version)}}
            self._check_size(doc.key, item)
        e = Expr()
        condition = f"attribute_not_exists({e.name(PK)}) OR {e.name(VERSION)} < {e.value({'N': str(doc.version)})}"
        try:
            await self._request("put_item", TableName=self.table, Item=item, ConditionExpression=condition,
                                **e.params())
        except Refused:
            return False
        return True

    async def purge_tombstones(self) -> int:
        e = Expr()
        found: list[tuple[str, str]] = []
        async for items in self._pages("scan", FilterExpression=f"{e.name(DELETED)} = {e.value({'BOOL': True})}",
                                       ProjectionExpression=f"{e.name(PK)}, {e.name(VERSION)}", **e.params()):
            found += [(str(raw[PK]["S"]), str(raw[VERSION]["N"])) for raw in items]
        purged = 0
        for key, version in found:
            e = Expr()
            condition = (f"{e.name(DELETED)} = {e.value({'BOOL': True})} AND "
                         f"{e.name(VERSION)} = {e.value({'N': version})}")
            try:  # only if still that tombstone: a re-create in between keeps its record
                await self._write("delete_item", key, e, condition)
                purged += 1
            except Refused:
                continue
        return purged


def _smallest(items: list[Raw], limit: int) -> list[Raw]:
    return heapq.nsmallest(limit, items, key=lambda raw: str(raw[PK]["S"]))


def _offset(cursor: bytes | None) -> int:
    if not cursor:
        return 0
    try:
        start = int(cursor.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        start = -1
    if start < 0:
        raise InvalidArgument("page_token is not valid for this store", field="page_token")
    return start
