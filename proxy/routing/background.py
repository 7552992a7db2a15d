"""Background work (async secondary writes, shadow comparisons) in one task group.

No bare ``create_task``: everything spawned here is owned by the group, is cancelled on shutdown,
and can never fail the group — each job handles its own errors (`spawn` logs any that escape).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self

log = logging.getLogger("proxy.background")


class Background:
    def __init__(self) -> None:
        self._group = asyncio.TaskGroup()
        self._tasks: set[asyncio.Task[None]] = set()
        self._open = False

    async def __aenter__(self) -> Self:
        await self._group.__aenter__()
        self._open = True
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self._open = False
        for task in list(self._tasks):
            task.cancel()
        await self._group.__aexit__(exc_type, exc, tb)

    def spawn(self, coro: Coroutine[Any, Any, None], name: str = "job") -> None:
        if not self._open:
            coro.close()
            raise RuntimeError("background task group is closed")
        task = self._group.create_task(self._guard(coro, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(coro: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background job %s failed", name)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float) -> None:
        """Wait up to ``timeout`` for the jobs running now (graceful shutdown)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
