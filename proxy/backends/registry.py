"""Backend kinds → classes, imported lazily so a config that uses no MongoDB never loads PyMongo."""

from __future__ import annotations

import importlib

from proxy.backends.base import Backend

KINDS = {
    "memory": "proxy.backends.memory:MemoryBackend",
    "sqlite": "proxy.backends.sqlite:SqliteBackend",
    "postgres": "proxy.backends.postgres.backend:PostgresBackend",
    "mongodb": "proxy.backends.mongodb.backend:MongoBackend",
    "dynamodb": "proxy.backends.dynamodb.backend:DynamoBackend",
    "opensearch": "proxy.backends.opensearch.backend:OpenSearchBackend",
}


def backend_class(kind: str) -> type[Backend]:
    module, _, name = KINDS[kind].partition(":")
    cls: type[Backend] = getattr(importlib.import_module(module), name)
    return cls
