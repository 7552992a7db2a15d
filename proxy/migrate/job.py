"""Backfill and verify as background jobs of a running sidecar (the Admin API's StartJob …).

`Jobs` owns its tasks in a task group of its own — not the runtime's `Background`, whose drain the
write barrier waits for: a long job must never hold up a reload. A job works on the rules in force
(`stores.runtime_provider`), one page at a time; on shutdown every job is asked to stop after its
page (a backfill keeps its checkpoint) and cancelled if it does not within `STOP_GRACE`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Self

from proxy.errors import AlreadyExists, InvalidArgument, NotFound
from proxy.migrate.backfill import Backfill, BackfillOptions
from proxy.migrate.progress import Progress
from proxy.migrate.stores import Provider, route_of, runtime_provider
from proxy.migrate.verify import Verify, VerifyOptions
from proxy.models import Segment

if TYPE_CHECKING:
    from proxy.config.reload import Runtime

log = logging.getLogger("proxy.migrate")
KEEP = 100
STOP_GRACE = 2.0


@dataclass
class Job:
    id: str
    runner: Backfill | Verify
    started_at: float = field(default_factory=time.time)
    finished_at: float = 0.0
    stop_requested: bool = False

    @property
    def kind(self) -> str:
        return "backfill" if isinstance(self.runner, Backfill) else "verify"

    @property
    def progress(self) -> Progress:
        return self.runner.progress

    @property
    def state(self) -> str:
        state = self.progress.state
        return "stopping" if state == "running" and self.stop_requested else state

    @property
    def running(self) -> bool:
        return self.progress.state == "running"

    def same_work(self, other: Backfill | Verify) -> bool:
        a, b = self.runner, other
        if type(a) is not type(b) or a.entity != b.entity or a.options.segment != b.options.segment:
            return False
        return not isinstance(a, Backfill) or not isinstance(b, Backfill) or a.options.reverse == b.options.reverse


class Jobs:
    def __init__(self, provider: Provider, check: Callable[[str], None] = lambda entity: None) -> None:
        self.provider, self.check = provider, check
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
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
        for job in self._jobs.values():
            self.stop(job.id)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=STOP_GRACE)
        for task in self._tasks:
            task.cancel()
        await self._group.__aexit__(exc_type, exc, tb)

    def start_backfill(self, entity: str, options: BackfillOptions) -> Job:
        return self._start(Backfill(entity, self.provider, options))

    def start_verify(self, entity: str, options: VerifyOptions) -> Job:
        return self._start(Verify(entity, self.provider, options))

    def _start(self, runner: Backfill | Verify) -> Job:
        if not self._open:
            raise InvalidArgument("this sidecar is shutting down; no new jobs", field="kind")
        self.check(runner.entity)
        for other in self._jobs.values():
            if other.running and other.same_work(runner):
                raise AlreadyExists(f"job {other.id} is already doing this ({other.kind} of {runner.entity}, "
                                    f"segment {runner.options.segment.index}/{runner.options.segment.count})")
        kind = "backfill" if isinstance(runner, Backfill) else "verify"
        job = Job(f"{kind}-{runner.entity}-{next(self._ids)}", runner)
        self._jobs[job.id] = job
        task = self._group.create_task(self._run(job), name=f"job-{job.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._forget_old()
        return job

    async def _run(self, job: Job) -> None:
        try:
            await job.runner.run()
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug must not take the other jobs (or the sidecar) down with it
            log.exception("job %s failed unexpectedly", job.id)
            job.runner.meter.update(state="failed", error="internal error (see the sidecar's log)")
        finally:
            job.finished_at = time.time()
            if job.runner.progress.state == "running":
                job.runner.meter.update(state="stopped")

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if not j.running]
        for job in sorted(finished, key=lambda j: j.started_at)[:max(0, len(finished) - KEEP)]:
            del self._jobs[job.id]

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} in this sidecar")
        return job

    def list(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)

    def stop(self, job_id: str) -> Job:
        job = self.get(job_id)
        if job.running:
            job.stop_requested = True
            job.runner.stop()
        return job


def sidecar_jobs(runtime: Runtime) -> Jobs:
    """The jobs of a sidecar: on the rules it has in force, for entities that have a new store."""

    def check(entity: str) -> None:
        route_of(runtime.snapshot, entity)

    return Jobs(runtime_provider(runtime), check)


def segment_of(count: int, index: int) -> Segment:
    """``--segments N --segment I`` as a `Segment` (N 0 means 1), checked."""
    count = count or 1
    if count < 1 or count > 1 << 20:
        raise InvalidArgument(f"segments must be between 1 and {1 << 20}, not {count}", field="segments")
    if not 0 <= index < count:
        raise InvalidArgument(f"segment must be between 0 and {count - 1} (segments - 1), not {index}",
                              field="segment")
    return Segment(index, count)
