"""A backfill's checkpoint: its cursor (the last key copied) and counters, one document per
(entity, direction, segment) in the journal store, written after every page.

A crash loses at most the page in flight: the next run starts after the checkpoint's key, so no
document is copied more than twice (and the second copy of an unchanged document writes nothing,
since the target already holds that version). Every write carries the version last read or written,
so two runs of the same segment cannot both advance it: the second one to write stops with an error.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from typing import Any

from proxy.backends.base import Collection
from proxy.errors import AlreadyExists, ConditionFailed, NotFound, VersionConflict
from proxy.models import Precondition, Segment


def checkpoint_key(entity: str, segment: Segment, reverse: bool) -> str:
    return f"backfill:{entity}{':reverse' if reverse else ''}:segment-{segment.index}-of-{segment.count}"


@dataclass(frozen=True)
class Checkpoint:
    after: str | None = None
    processed: int = 0
    copied: int = 0
    skipped_newer: int = 0
    done: bool = False
    started_at: float = 0.0
    updated_at: float = 0.0


class Checkpoints:
    """Reads and advances one segment's checkpoint, guarding against a second run of it."""

    def __init__(self, entity: str, segment: Segment, reverse: bool) -> None:
        self.entity, self.segment, self.reverse = entity, segment, reverse
        self.key = checkpoint_key(entity, segment, reverse)
        self.version = 0
        """Version of the checkpoint document as this run last saw it (0: none)."""

    async def load(self, coll: Collection) -> Checkpoint | None:
        doc = (await coll.get([self.key])).get(self.key)
        if doc is None or doc.deleted:
            self.version = 0
            return None
        self.version = doc.version
        b = doc.body
        return Checkpoint(b.get("after"), int(b.get("processed", 0)), int(b.get("copied", 0)),
                          int(b.get("skipped_newer", 0)), bool(b.get("done")), float(b.get("started_at", 0.0)),
                          float(b.get("updated_at", 0.0)))

    async def save(self, coll: Collection, cp: Checkpoint) -> Checkpoint:
        cp = replace(cp, updated_at=time.time())
        body: dict[str, Any] = {"kind": "backfill", "entity": self.entity, "segment": self.segment.index,
                                "segments": self.segment.count, "reverse": self.reverse, **asdict(cp)}
        pre = Precondition(expected_version=self.version) if self.version else Precondition(must_not_exist=True)
        try:
            self.version = (await coll.put(self.key, body, pre)).version
        except (VersionConflict, AlreadyExists, NotFound, ConditionFailed) as e:
            raise VersionConflict(
                f"another run of backfill {self.entity} segment {self.segment.index}/{self.segment.count} "
                "moved its checkpoint; stopping this one (run one process per segment)", entity=self.entity) from e
        return cp

    async def all_done(self, coll: Collection) -> bool:
        """Whether every segment of this backfill's split has a finished checkpoint."""
        keys = [checkpoint_key(self.entity, Segment(i, self.segment.count), self.reverse)
                for i in range(self.segment.count)]
        docs = await coll.get(keys)
        return all(k in docs and not docs[k].deleted and docs[k].body.get("done") for k in keys)
