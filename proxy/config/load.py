"""A config snapshot: one accepted rules file with its backends started and its routes built.

A snapshot owns its backends through an `AsyncExitStack`. Calls hold the snapshot they began
with (`Snapshot.use`) until they finish, so a reload can swap in a new snapshot at once and close
the old one after its calls drain.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from proxy.backends.base import Backend, Collection, CollectionSpec
from proxy.backends.registry import backend_class
from proxy.config.model import BackendConfig, Config, EntityConfig, StoreMapping
from proxy.config.validate import parse
from proxy.errors import ConfigError
from proxy.routing.phases import Side
from proxy.routing.route import Route, Store
from proxy.schema import Schema

_SECRETS = {"dsn": ("dsn_env", "dsn_file"), "uri": ("uri_env", "uri_file"), "hosts": ("hosts_env", "hosts_file"),
            "endpoint": ("endpoint_env", None)}


def rules_version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def resolve_settings(name: str, b: BackendConfig, base: Path) -> tuple[dict[str, Any], list[str]]:
    """The backend block with secrets read from their env vars / files (never inline)."""
    settings: dict[str, Any] = b.model_dump()
    issues: list[str] = []
    for key, (env, file) in _SECRETS.items():
        if env and settings.get(env):
            value = os.environ.get(settings[env])
            if value is None:
                issues.append(f"backends.{name}.{env}: environment variable {settings[env]} is not set")
            settings[key] = value
        if file and settings.get(file):
            path = base / settings[file]
            try:
                settings[key] = path.read_text().strip()
            except OSError:
                issues.append(f"backends.{name}.{file}: cannot read {path}")
    if b.kind == "sqlite":
        settings["path"] = str(base / (b.path or "dataaccess.db"))
    return settings, issues


def collection_spec(entity: str, e: EntityConfig, mapping: StoreMapping) -> CollectionSpec:
    return CollectionSpec(entity=entity, schema=Schema(e.key, dict(e.fields)),
                          mapping=mapping.model_dump(exclude_none=True, by_alias=True),
                          search_fields=tuple(e.search.fields), search_language=e.search.language)


class Snapshot:
    def __init__(self, config: Config, text: str, source: str, base: Path) -> None:
        self.config, self.text, self.source, self.base = config, text, source, base
        self.rules_version = rules_version(text)
        self.loaded_at = time.time()
        self.backends: dict[str, Backend] = {}
        self.routes: dict[str, Route] = {}
        self.journal: Collection | None = None
        self._stack = AsyncExitStack()
        self._calls = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @classmethod
    def from_text(cls, text: str, source: str, base: Path, previous: Config | None = None) -> Snapshot:
        return cls(parse(text, previous), text, source, base)

    async def __aenter__(self) -> Self:
        issues: list[str] = []
        resolved = {}
        for name, b in self.config.backends.items():
            settings, problems = resolve_settings(name, b, self.base)
            issues += problems
            resolved[name] = (b.kind, settings)
        if issues:
            raise ConfigError(issues)
        try:
            for name, (kind, settings) in resolved.items():
                self.backends[name] = await self._stack.enter_async_context(backend_class(kind)(name, settings))
            for entity, e in self.config.entities.items():
                self.routes[entity] = await self._route(entity, e)
            jb = self.backends[self.config.journal.backend]
            self.journal = await jb.collection(CollectionSpec(
                entity="_journal", schema=Schema("id", {}),
                mapping={"table": self.config.journal.table, "collection": self.config.journal.table,
                         "document": "doc"}))
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def _route(self, entity: str, e: EntityConfig) -> Route:
        def store(side: Side, m: StoreMapping) -> Store:
            b = self.backends[m.backend]
            return Store(side, m.backend, collections[side], b.capabilities)

        collections = {Side.OLD: await self.backends[e.old.backend].collection(collection_spec(entity, e, e.old))}
        if e.new is not None:
            collections[Side.NEW] = await self.backends[e.new.backend].collection(collection_spec(entity, e, e.new))
        return Route(entity, e, Schema(e.key, dict(e.fields)), store(Side.OLD, e.old),
                     store(Side.NEW, e.new) if e.new else None, self.rules_version)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self._stack.aclose()

    async def ping(self) -> list[str]:
        """Ping every backend; returns "backends.NAME: unreachable" issues."""
        async def one(name: str, b: Backend) -> str | None:
            try:
                async with asyncio.timeout(5):
                    await b.ping()
            except Exception as e:  # any failure means "not reachable" here
                return f"backends.{name}: not reachable ({type(e).__name__})"
            return None
        return [r for r in await asyncio.gather(*(one(n, b) for n, b in self.backends.items())) if r]

    @asynccontextmanager
    async def use(self) -> AsyncIterator[Snapshot]:
        self._calls += 1
        self._idle.clear()
        try:
            yield self
        finally:
            self._calls -= 1
            if self._calls == 0:
                self._idle.set()

    async def drained(self, timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
            return True
        except TimeoutError:
            return False
