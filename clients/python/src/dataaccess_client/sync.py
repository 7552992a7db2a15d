"""The blocking client: the async client driven on a private event loop thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar

from dataaccess_client._core import Document, Page
from dataaccess_client.aio import AsyncClient

T = TypeVar("T")


class Client:
    """``with Client("127.0.0.1:50051") as db: db.put("note", "n1", {"title": "hi"})``.

    Same methods and options as `AsyncClient`, without ``await``. Safe to share between threads.
    """

    def __init__(self, address: str = "127.0.0.1:50051", **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dataaccess-client", daemon=True)
        self._thread.start()

        async def make() -> AsyncClient:
            return AsyncClient(address, **options)

        self._client = self._run(make())

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._loop.is_running():
            self._run(self._client.close())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    @property
    def rules_version(self) -> str:
        return self._client.rules_version

    def get(self, entity: str, key: str) -> Document:
        return self._run(self._client.get(entity, key))

    def batch_get(self, entity: str, keys: list[str]) -> tuple[list[Document], list[str]]:
        return self._run(self._client.batch_get(entity, keys))

    def put(self, entity: str, key: str, document: dict[str, Any], **options: Any) -> Document:
        return self._run(self._client.put(entity, key, document, **options))

    def update(self, entity: str, key: str, **options: Any) -> Document:
        return self._run(self._client.update(entity, key, **options))

    def delete(self, entity: str, key: str, **options: Any) -> int:
        return self._run(self._client.delete(entity, key, **options))

    def query(self, entity: str, **options: Any) -> Page:
        return self._run(self._client.query(entity, **options))

    def search(self, entity: str, text: str, **options: Any) -> Page:
        return self._run(self._client.search(entity, text, **options))
