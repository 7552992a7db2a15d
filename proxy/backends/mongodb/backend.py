"""MongoDB backend: the client's lifecycle and one `MongoCollection` (collection.py) per entity.

Documents are ``{_id: key, v: version, d: body}``, tombstones ``{_id, v, deleted: true}`` — see
collection.py for the write rules.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConfigurationError

from proxy.backends.base import Backend, Capabilities, Collection, CollectionSpec
from proxy.backends.mongodb.collection import MongoCollection, Raw
from proxy.backends.mongodb.errors import translated, uncancelled
from proxy.backends.mongodb.filters import data_path
from proxy.errors import ConfigError, InvalidArgument, Unavailable
from proxy.models import FieldPath

log = logging.getLogger("proxy.backends.mongodb")


def _collection_name(spec: CollectionSpec) -> str:
    return str(spec.mapping.get("collection") or spec.entity)


def _name_problem(name: str) -> str | None:
    if not name or len(name) > 200 or "$" in name or "\x00" in name or name.startswith("system."):
        return f"{name!r} is not a usable MongoDB collection name"
    return None


class MongoBackend(Backend):
    kind = "mongodb"
    capabilities = Capabilities(search=False, exact_decimal=True, exact_int64=True, nested_query=True)

    def __init__(self, name: str, settings: Mapping[str, Any]) -> None:
        super().__init__(name, settings)
        self.timeout = float(settings.get("timeout") or 5.0)
        self.text_decimals = settings.get("decimals") == "string"
        self._client: AsyncMongoClient[Raw] | None = None
        self._db: AsyncDatabase[Raw] | None = None
        self._indexed: set[str] = set()

    @classmethod
    def check_mapping(cls, mapping: Mapping[str, Any]) -> list[str]:
        issues = [f"{k}: not used by mongodb" for k in ("table", "columns", "extra", "document", "key_column",
                                                        "schema", "index") if k in mapping]
        name = mapping.get("collection")
        problem = _name_problem(str(name)) if name is not None else None
        return issues + ([f"collection: {problem}"] if problem else [])

    async def __aenter__(self) -> Self:
        uri = self.settings.get("uri")
        if not uri:
            raise ConfigError([f"backends.{self.name}: a MongoDB connection string is required (uri_env or uri_file)"])
        ms = max(1, int(self.timeout * 1000))
        try:
            # No I/O here: the client connects on first use and reconnects by itself after an
            # outage. timeoutMS bounds each operation (retries included); server selection gives up
            # after the same time, so a stopped server is reported as Unavailable promptly.
            self._client = AsyncMongoClient(
                str(uri), tz_aware=True, tzinfo=dt.UTC, timeoutMS=ms, serverSelectionTimeoutMS=ms,
                connectTimeoutMS=ms, appname="dataaccess-proxy")
            database = self.settings.get("database") or self._client.get_default_database().name
            self._db = self._client.get_database(str(database))
        except (ConfigurationError, ValueError, TypeError) as e:
            if self._client is not None:
                await self._client.close()
                self._client = None
            raise ConfigError([f"backends.{self.name}: the MongoDB connection string, its options or the "
                               "database name are not valid"]) from e
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._client is not None:
            client, self._client, self._db = self._client, None, None
            await client.close()

    @property
    def client(self) -> AsyncMongoClient[Raw]:
        if self._client is None:
            raise Unavailable(f"mongodb store {self.name!r} is closed", backend=self.name)
        return self._client

    @property
    def db(self) -> AsyncDatabase[Raw]:
        if self._db is None:
            raise Unavailable(f"mongodb store {self.name!r} is closed", backend=self.name)
        return self._db

    async def ping(self) -> None:
        async with translated(self.name):
            await uncancelled(self.client.admin.command("ping"))

    async def collection(self, spec: CollectionSpec) -> Collection:
        name = _collection_name(spec)
        problem = _name_problem(name)
        if problem:
            raise InvalidArgument(problem)
        coll = MongoCollection(self, spec, self.db.get_collection(name))
        await self._ensure_indexes(coll, spec.mapping.get("indexes") or {})
        return coll

    async def _ensure_indexes(self, coll: MongoCollection, indexes: Mapping[str, str]) -> None:
        """Optional secondary indexes (``indexes: {name: path}``) on body paths; only ``_id`` is needed.
        A store that is down now gets them when the collection is next set up (config reload)."""
        for index, path in indexes.items():
            tag = f"{coll.coll.name}:{index}"
            if tag in self._indexed:
                continue
            try:
                async with translated(self.name):
                    await uncancelled(coll.coll.create_index([(data_path(FieldPath.parse(path)), 1)], name=index))
                self._indexed.add(tag)
            except Unavailable:
                log.warning("mongodb store %r: index %s not created now (store unavailable)", self.name, index)
