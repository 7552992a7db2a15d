"""A merge join of two key-ordered streams of records (the old and the new store's scans), page by
page: a full outer join on the key with one page of each side in memory at most."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from proxy.models import Document
from proxy.routing.phases import Side


@dataclass(frozen=True)
class Pair:
    """One key with what each store holds (None: nothing, not even a tombstone)."""

    key: str
    old: Document | None
    new: Document | None


class MergeJoin:
    """Feed each side its pages in ascending key order (`feed`, None at its end), take the pairs
    that are decided (`take`), and read next from the side `wants` names, until `finished`."""

    def __init__(self) -> None:
        self._buf: dict[Side, deque[Document]] = {Side.OLD: deque(), Side.NEW: deque()}
        self._ended: dict[Side, bool] = {Side.OLD: False, Side.NEW: False}
        self._last: dict[Side, str | None] = {Side.OLD: None, Side.NEW: None}

    def feed(self, side: Side, page: list[Document] | None) -> None:
        if page is None:
            self._ended[side] = True
            return
        for doc in page:
            last = self._last[side]
            if last is not None and doc.key <= last:
                raise ValueError(f"the {side.value} store's scan is not in ascending key order at {doc.key!r}")
            self._last[side] = doc.key
            self._buf[side].append(doc)

    def wants(self) -> Side | None:
        """The side that must be read before more pairs can be decided (None: none)."""
        for side in (Side.OLD, Side.NEW):
            if not self._buf[side] and not self._ended[side]:
                return side
        return None

    @property
    def finished(self) -> bool:
        return all(self._ended.values()) and not any(self._buf.values())

    def take(self) -> list[Pair]:
        """Every pair that is decided by what has been fed, in key order."""
        old, new = self._buf[Side.OLD], self._buf[Side.NEW]
        out: list[Pair] = []
        while True:
            if old and new:
                a, b = old[0], new[0]
                if a.key == b.key:
                    out.append(Pair(a.key, old.popleft(), new.popleft()))
                elif a.key < b.key:
                    out.append(Pair(a.key, old.popleft(), None))
                else:
                    out.append(Pair(b.key, None, new.popleft()))
            elif old and self._ended[Side.NEW]:
                out.append(Pair(old[0].key, old.popleft(), None))
            elif new and self._ended[Side.OLD]:
                out.append(Pair(new[0].key, None, new.popleft()))
            else:
                return out
