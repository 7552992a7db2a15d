"""DynamoDB (aioboto3): one proxy-owned table per entity, created on setup (PAY_PER_REQUEST).

**Items.** ``{pk: key (S, the partition key), v: version (N), deleted: bool, d: body (M), f: float
marks (M), ix_NAME: index key}``; a tombstone is ``{pk, v, deleted: true}``. The body sits under
``d`` so no user field meets ours. Numbers are exact ``N`` (38 digits; more is InvalidArgument
naming the field); DynamoDB forgets that ``2.0`` was a float, so such floats are listed in ``f``
and restored on read (`codec`). Timestamps are fixed-width UTC text.

**Writes** are one UpdateItem/PutItem/DeleteItem whose ConditionExpression carries the
precondition, the update's condition and the guards of the in-place update, with ``ADD v :one`` in
the same request — DynamoDB checks and writes atomically, so 200 concurrent "decrement if n >= 1"
on 50 give exactly 50 successes. A refused write returns the item as it was
(``ReturnValuesOnConditionCheckFailure=ALL_OLD``) and Python classifies it with the reference rules
(NotFound / VersionConflict / ConditionFailed / AlreadyExists). What DynamoDB cannot do in place
(creating parent maps, overlapping paths, conditions on objects) is applied in Python and written
with compare-and-set on the version. `copy` is a PutItem on ``attribute_not_exists(pk) OR v < :v``.
Every value is an ExpressionAttributeValue and every name an ExpressionAttributeName placeholder.

**Reads.** `get` is BatchGetItem (strongly consistent). `query` needs either a declared index with
an equality on its field — mapping ``indexes: {NAME: field.path}`` creates GSI ``ix_NAME`` keyed by
a top-level mirror of that field (``N`` for int/float/decimal fields, else ``S``; only values of
that type are indexed; GSI reads are eventually consistent) — or ``allow_scan: true`` on the
mapping, which permits a full Scan; otherwise it is refused with InvalidArgument naming the index
it lacks. Filters are translated exactly where DynamoDB can (`expressions`) and re-checked in
Python; ordering and paging happen in Python over all matches, refused with ResourceExhausted
beyond ``max_query_items`` (10,000). `scan` (backfill, verify) reads the whole table per page and
keeps the smallest keys after ``after``: DynamoDB has no key order across partitions.

**Settings.** ``region``, ``endpoint`` (from ``endpoint_env``; empty for AWS), ``table_prefix``,
``timeout`` (per attempt; botocore retries up to 3 attempts). Credentials come from the standard AWS
chain only (environment, shared files, container or instance role) — for moto or DynamoDB Local
export ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` with any value; none at all is reported as
Unavailable, never replaced by made-up ones.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any, Self

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.dynamodb.collection import DynamoCollection
from proxy.backends.dynamodb.errors import code, translated
from proxy.backends.dynamodb.expressions import PK
from proxy.backends.dynamodb.updates import Index
from proxy.errors import ConfigError, Unavailable
from proxy.models import FieldPath
from proxy.schema import FieldType

log = logging.getLogger("proxy.backends.dynamodb")

TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
NUMERIC = frozenset({FieldType.INT, FieldType.FLOAT, FieldType.DECIMAL})
TEXT = frozenset({FieldType.STRING, FieldType.TIMESTAMP})
MAX_QUERY_ITEMS = 10_000
ACTIVE_WAIT = 120.0
"""Seconds to wait for a new table (and its indexes) to become ACTIVE."""
UNUSED = ("collection", "index", "columns", "extra", "document", "key_column", "schema")


class DynamoBackend(Backend):
    kind = "dynamodb"
    capabilities = Capabilities(search=False, exact_int64=True, exact_decimal=True, nested_query=True)

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        super().__init__(name, settings)
        self.timeout = float(settings.get("timeout") or 5.0)
        self.region = str(settings.get("region") or "")
        self.endpoint = str(settings.get("endpoint") or "") or None
        self.prefix = str(settings.get("table_prefix") or "")
        self.max_query_items = int(settings.get("max_query_items") or MAX_QUERY_ITEMS)
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._tables: dict[str, frozenset[str]] = {}
        """Tables known to exist → names of their ACTIVE indexes."""
        self._locks: dict[str, asyncio.Lock] = {}

    @classmethod
    def check_mapping(cls, mapping: Mapping[str, Any]) -> list[str]:
        issues = [f"{k}: not used by dynamodb" for k in UNUSED if k in mapping]
        table = mapping.get("table")
        if table is not None and not TABLE_NAME.match(str(table)):
            issues.append(f"table: {table!r} is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)")
        indexes = mapping.get("indexes") or {}
        if not isinstance(indexes, Mapping):
            issues.append("indexes: must map index names to field paths")
        return issues

    async def __aenter__(self) -> Self:
        if not self.region:
            raise ConfigError([f"backends.{self.name}.region: required for dynamodb"])
        config = AioConfig(connect_timeout=self.timeout, read_timeout=self.timeout, max_pool_connections=64,
                           retries={"mode": "standard", "total_max_attempts": 3})
        stack = AsyncExitStack()
        try:
            # No request here: the client connects on first use and after an outage by itself.
            self._client = await stack.enter_async_context(aioboto3.Session().client(
                "dynamodb", region_name=self.region, endpoint_url=self.endpoint, config=config))
        except (BotoCoreError, ValueError) as e:
            await stack.aclose()
            raise ConfigError([f"backends.{self.name}: the DynamoDB region or endpoint is not valid"]) from e
        self._stack = stack
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            await stack.aclose()

    @property
    def client(self) -> Any:
        if self._client is None:
            raise Unavailable(f"dynamodb store {self.name!r} is closed", backend=self.name)
        return self._client

    async def ping(self) -> None:
        async with translated(self.name):
            await self.client.list_tables(Limit=1)

    async def collection(self, spec: CollectionSpec) -> Collection:
        table = self.prefix + str(spec.mapping.get("table") or spec.entity)
        if not TABLE_NAME.match(table):
            raise ConfigError([f"entity {spec.entity}: {table!r} is not a DynamoDB table name"])
        coll = DynamoCollection(self, spec, table, _indexes(spec), bool(spec.mapping.get("allow_scan")))
        try:
            await self.table(table, coll.indexes)
        except Unavailable:  # set up on first use instead; the store being down must not block a reload
            log.warning("dynamodb store %r: table %s not set up now (store unavailable)", self.name, table)
        return coll

    # -- tables ----------------------------------------------------------------------------------
    def usable_indexes(self, table: str, indexes: Sequence[Index]) -> list[Index]:
        active = self._tables.get(table, frozenset())
        return [ix for ix in indexes if ix.attribute in active]

    def forget(self, table: str) -> None:
        """The table vanished: set it up again on next use."""
        self._tables.pop(table, None)

    async def table(self, table: str, indexes: Sequence[Index]) -> None:
        """Make sure ``table`` exists and is ACTIVE (created with ``indexes`` if missing)."""
        if table in self._tables:
            return
        lock = self._locks.setdefault(table, asyncio.Lock())
        async with lock:
            if table in self._tables:
                return
            desc = await self._describe(table)
            if desc is None:
                await self._create(table, indexes)
                desc = await self._until_active(table)
            elif desc.get("TableStatus") != "ACTIVE":
                desc = await self._until_active(table)
            self._tables[table] = self._check(table, desc, indexes)

    async def _describe(self, table: str) -> dict[str, Any] | None:
        async with translated(self.name):
            try:
                result = await self.client.describe_table(TableName=table)
            except ClientError as e:
                if code(e) == "ResourceNotFoundException":
                    return None
                raise
        desc: dict[str, Any] = result["Table"]
        return desc

    async def _create(self, table: str, indexes: Sequence[Index]) -> None:
        attributes = [{"AttributeName": PK, "AttributeType": "S"}]
        attributes += [{"AttributeName": ix.attribute, "AttributeType": ix.kind} for ix in indexes]
        params: dict[str, Any] = {}
        if indexes:
            params["GlobalSecondaryIndexes"] = [
                {"IndexName": ix.attribute, "KeySchema": [{"AttributeName": ix.attribute, "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}} for ix in indexes]
        log.info("dynamodb store %r: creating table %s", self.name, table)
        async with translated(self.name):
            try:
                await self.client.create_table(
                    TableName=table, KeySchema=[{"AttributeName": PK, "KeyType": "HASH"}],
                    AttributeDefinitions=attributes, BillingMode="PAY_PER_REQUEST", **params)
            except ClientError as e:
                if code(e) != "ResourceInUseException":  # another replica is creating it: wait for it
                    raise

    async def _until_active(self, table: str) -> dict[str, Any]:
        deadline, pause = time.monotonic() + ACTIVE_WAIT, 0.1
        while True:
            desc = await self._describe(table)
            indexes = (desc or {}).get("GlobalSecondaryIndexes") or []
            if desc is not None and desc.get("TableStatus") == "ACTIVE" and all(
                    ix.get("IndexStatus", "ACTIVE") == "ACTIVE" for ix in indexes):
                return desc
            if time.monotonic() > deadline:
                raise Unavailable(f"dynamodb table {table!r} did not become ACTIVE in time", backend=self.name)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)

    def _check(self, table: str, desc: Mapping[str, Any], indexes: Sequence[Index]) -> frozenset[str]:
        """The table must be ours (key ``pk`` of type S); returns the usable declared indexes."""
        types = {a["AttributeName"]: a["AttributeType"] for a in desc.get("AttributeDefinitions", [])}
        if desc.get("KeySchema") != [{"AttributeName": PK, "KeyType": "HASH"}] or types.get(PK) != "S":
            raise ConfigError([f"backends.{self.name}: table {table!r} exists but does not have the proxy's "
                               f"layout (a string partition key {PK!r} and no sort key)"])
        active = {ix["IndexName"] for ix in desc.get("GlobalSecondaryIndexes") or []
                  if ix.get("IndexStatus", "ACTIVE") == "ACTIVE"}
        usable = set()
        for ix in indexes:
            if ix.attribute in active and types.get(ix.attribute) == ix.kind:
                usable.add(ix.attribute)
            else:  # items written before would lack the mirror attribute: an operator adds and backfills
                log.warning("dynamodb store %r: table %s has no usable index %s; queries that need it are "
                            "refused", self.name, table, ix.attribute)
        return frozenset(usable)


def _indexes(spec: CollectionSpec) -> tuple[Index, ...]:
    out = []
    issues = []
    for name, path in dict(spec.mapping.get("indexes") or {}).items():
        ftype = spec.schema.types.get(str(path))
        if ftype is not None and ftype not in NUMERIC | TEXT:
            issues.append(f"entity {spec.entity}: index {name} is on {path}, a {ftype.value} field; DynamoDB "
                          "indexes need text, number or timestamp fields")
            continue
        out.append(Index(str(name), FieldPath.parse(str(path), "indexes"), "N" if ftype in NUMERIC else "S"))
    if issues:
        raise ConfigError(issues)
    return tuple(out)
