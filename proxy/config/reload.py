"""The runtime: the snapshot in force, live reload, and the long-running loops (repair, watch).

The rules file is watched through its *directory*: kubelet updates a ConfigMap volume by writing a
new timestamped directory and renaming a `..data_tmp` symlink over `..data`, so the file path stays
the same while its content changes. We poll a hash of the content every `poll` seconds and also
reload on SIGHUP. A good config is swapped in atomically (its backends started and pinged first);
calls in flight finish on the snapshot they began with; the old snapshot closes after they drain. A
bad config is rejected whole, the last good one keeps serving, and the error is kept for the Admin
API and counted.

Moving authority (``shadow`` ↔ ``live``, or any forced jump across that line) is a write barrier
inside this process: new calls wait at the gate, calls and secondary copies begun under the old
rules finish, and the entity's repair journal is worked off, so the store taking authority holds
every acknowledged write before it takes its first one. If the backlog cannot be worked off (a store
is down), the reload is refused with the reason and retried at the next poll. Replicas reload
independently; the barrier is per process (see README, "Moving authority").
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from proxy.config.load import Snapshot, rules_version
from proxy.errors import ConfigError, DataAccessError
from proxy.repair.audit import Auditor
from proxy.repair.journal import Journal
from proxy.repair.worker import RepairWorker
from proxy.routing.background import Background
from proxy.routing.phases import Phase, Side
from proxy.routing.router import Router
from proxy.routing.stats import Stats
from proxy.telemetry import metrics

log = logging.getLogger("proxy.config")


def authority_moves(old: Snapshot, new: Snapshot) -> list[str]:
    """Entities whose authoritative store changes between two snapshots."""
    moved = []
    for entity, route in new.routes.items():
        before = old.routes.get(entity)
        if before is not None and before.new is not None and \
                before.rules.authoritative is not route.rules.authoritative:
            moved.append(entity)
    return moved


@dataclass
class ReloadState:
    accepted: int = 0
    rejected: int = 0
    last_error: list[str] = field(default_factory=list)
    last_error_at: float = 0.0


class Runtime:
    def __init__(self, text: str, source: str, base: Path, *, watch: Path | None = None, poll: float = 2.0,
                 drain_timeout: float = 10.0) -> None:
        self.text, self.source, self.base = text, source, base
        self.watch, self.poll, self.drain_timeout = watch, poll, drain_timeout
        self.exit_timeout: float | None = None
        """How long background work may still run at exit (the server sets what is left of its grace)."""
        self.stats = Stats()
        self.reloads = ReloadState()
        self.background = Background()
        self._loops = asyncio.TaskGroup()
        self._lock = asyncio.Lock()
        self._gate = asyncio.Event()
        self._gate.set()
        self._invalid = ("", "")
        self.snapshot: Snapshot
        self.journal: Journal
        self.router: Router
        self.worker: RepairWorker

    async def __aenter__(self) -> Self:
        snapshot = Snapshot.from_text(self.text, self.source, self.base)
        await snapshot.__aenter__()
        unreachable = await snapshot.ping()
        for issue in unreachable:
            log.warning("%s (serving anyway; calls to it fail with UNAVAILABLE until it is back)", issue)
        self._install(snapshot)
        assert snapshot.journal is not None
        self.journal = Journal(snapshot.journal)
        self.auditor = Auditor(self.journal, lambda: self.snapshot.routes)
        self.router = Router(self.journal, self.background, self.stats, self.auditor)
        self.worker = RepairWorker(self.journal, lambda: self.snapshot.routes, self.stats)
        await self.background.__aenter__()
        await self._loops.__aenter__()
        await self._note_complete(snapshot)
        self._loops.create_task(self.worker.run(), name="repair-worker")
        self._loops.create_task(self.auditor.run(), name="write-audit")
        if self.watch is not None:
            self._loops.create_task(self._watch(), name="config-watch")
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (NotImplementedError, RuntimeError):
            pass
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        try:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        except (NotImplementedError, RuntimeError):
            pass
        await self.background.drain(self.drain_timeout if self.exit_timeout is None else self.exit_timeout)
        for task in asyncio.all_tasks():
            if task.get_name() in ("repair-worker", "write-audit", "config-watch"):
                task.cancel()
        try:
            await self._loops.__aexit__(None, None, None)
        finally:
            await self.background.__aexit__(None, None, None)
            await self.snapshot.__aexit__(None, None, None)

    @asynccontextmanager
    async def use(self) -> AsyncIterator[Snapshot]:
        """The snapshot a call runs on (waits while authority is being moved)."""
        if not self._gate.is_set():
            await self._gate.wait()
        async with self.snapshot.use() as snap:
            yield snap

    def _install(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        metrics.RULES.clear()
        metrics.RULES.labels(snapshot.rules_version).set(1)
        metrics.PHASE.clear()  # entities removed from the rules disappear from the metric
        for entity, route in snapshot.routes.items():
            for phase in ("off", "dualwrite", "shadow", "live", "rampdown", "complete"):
                metrics.PHASE.labels(entity, phase).set(1 if route.phase.value == phase else 0)

    async def reload(self, text: str | None = None, *, force: bool = False) -> bool:
        """Try a new rules text (default: re-read the watched file). True if it was swapped in.

        A text found invalid against the rules in force is not tried again by the poll (it cannot become
        valid; SIGHUP, ``force``, retries it). A refusal that may pass later (a store unreachable, a
        backlog not worked off) is retried at every poll.
        """
        async with self._lock:
            if text is None:
                if self.watch is None:
                    return False
                text = self.watch.read_text()
            version = rules_version(text)
            # Validity depends on the rules in force too (phase steps), so the pair is remembered.
            tried = (version, self.snapshot.rules_version)
            if version == self.snapshot.rules_version or (tried == self._invalid and not force):
                return False
            try:
                new = Snapshot.from_text(text, self.source, self.base, previous=self.snapshot.config)
            except ConfigError as e:
                self._invalid = tried
                self._rejected(e.issues)
                return False
            try:
                await new.__aenter__()
                issues = await new.ping()
                if issues:
                    await new.__aexit__(None, None, None)
                    raise ConfigError(issues)
            except ConfigError as e:
                self._rejected(e.issues)
                return False
            except Exception as e:  # a backend that cannot even be constructed
                self._rejected([f"(backends): could not start: {type(e).__name__}: {e}"])
                return False
            old = self.snapshot
            flips = authority_moves(old, new)
            if flips:
                refusal = await self._barrier(old, flips)
                if refusal:
                    await new.__aexit__(None, None, None)
                    self._gate.set()
                    self._rejected(refusal)
                    return False
            self._install(new)
            self._gate.set()
            assert new.journal is not None
            self.journal.collection = new.journal
            await self._note_complete(new)
            self.reloads.accepted += 1
            metrics.RELOADS.labels("accepted").inc()
            log.info("rules %s → %s accepted", old.rules_version, new.rules_version)
        if not await old.drained(self.drain_timeout):
            log.warning("closing rules %s with calls still in flight", old.rules_version)
        await old.__aexit__(None, None, None)
        return True

    async def _barrier(self, old: Snapshot, entities: list[str]) -> list[str]:
        """Close the gate, let the old rules' calls and copies finish, and work off the entities'
        repair backlog on the old rules. Returns why authority cannot move now (empty: it can)."""
        self._gate.clear()
        if not await old.drained(self.drain_timeout):
            return [f"entities.{e}: calls under the previous rules did not finish within "
                    f"{self.drain_timeout:g}s; authority not moved" for e in entities]
        await self.background.drain(self.drain_timeout)
        behind = []
        for entity in entities:
            route = old.routes[entity]
            if route.rules.authoritative is Side.NEW:  # authority goes back to the old store
                try:
                    if await self.journal.old_behind(entity):
                        behind.append(f"entities.{entity}: the old store missed the writes made while the entity "
                                      f"was complete; run `dataaccess backfill {entity} --reverse` first")
                except DataAccessError:
                    behind.append(f"entities.{entity}: the journal store cannot say whether the old store is "
                                  "complete; authority not moved")
        if behind:
            return behind
        left = await self.worker.work_off(entities, self.drain_timeout)
        return [f"entities.{e}: {n} repairs pending could not be applied; authority moves only once both stores "
                f"agree (retrying at the next reload)" for e, n in left.items() if n]

    async def _note_complete(self, snapshot: Snapshot) -> None:
        """Mark entities in `complete`: their old store stops receiving writes (see Journal)."""
        for entity, route in snapshot.routes.items():
            if route.phase is Phase.COMPLETE:
                try:
                    await self.journal.mark_old_behind(entity)
                except DataAccessError as e:
                    log.error("could not record that %s's old store stops receiving writes (%s); "
                              "retrying at the next reload", entity, type(e).__name__)

    def _rejected(self, issues: list[str]) -> None:
        self.reloads.rejected += 1
        self.reloads.last_error = issues
        self.reloads.last_error_at = time.time()
        metrics.RELOADS.labels("rejected").inc()
        log.error("config rejected, keeping rules %s: %s", self.snapshot.rules_version, "; ".join(issues))

    def _on_sighup(self) -> None:
        log.info("SIGHUP: reloading %s", self.source)
        self.background.spawn(self._reload_logged(), "sighup-reload")

    async def _reload_logged(self) -> None:
        try:
            await self.reload(force=True)
        except OSError as e:
            log.error("SIGHUP: cannot read %s: %s", self.source, e.strerror)

    async def _watch(self) -> None:
        assert self.watch is not None
        while True:
            await asyncio.sleep(self.poll)
            try:
                await self.reload()
            except OSError as e:  # mid-swap or briefly missing: try again next poll
                log.debug("config not readable: %s", e)
