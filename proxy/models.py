"""Frozen value objects shared by the service, the router and the backends."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from proxy.errors import InvalidArgument

FIELD_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
MAX_PATH_DEPTH = 16

Body = dict[str, Any]
"""A document's fields: JSON values, with `Decimal` for decimal fields and aware `datetime` for
timestamp fields (see `proxy.schema`). Never contains the key field; `Document.key` holds it."""


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A validated dotted path such as ``specifications.camera.main``."""

    parts: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, what: str = "path") -> FieldPath:
        if not FIELD_PATH.match(text):
            raise InvalidArgument(
                f"{what} {text!r} is not a field path: segments must match [A-Za-z_][A-Za-z0-9_]* "
                "separated by single dots", field=what)
        parts = tuple(text.split("."))
        if len(parts) > MAX_PATH_DEPTH:
            raise InvalidArgument(f"{what} {text!r} is deeper than {MAX_PATH_DEPTH} levels", field=what)
        return cls(parts)

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)

    def __str__(self) -> str:
        return self.dotted


@dataclass(frozen=True, slots=True)
class Document:
    """One stored record. ``deleted`` marks a tombstone: absent for callers, but it keeps the
    version so that a late, older copy cannot resurrect the record."""

    key: str
    body: Body
    version: int
    deleted: bool = False

    @classmethod
    def tombstone(cls, key: str, version: int) -> Document:
        return cls(key, {}, version, deleted=True)


class Op(enum.Enum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    IN = "in"
    EXISTS = "exists"
    PREFIX = "prefix"


@dataclass(frozen=True, slots=True)
class Condition:
    """``path op value``; for IN the value is a tuple, for EXISTS a bool, for PREFIX a str."""

    path: FieldPath
    op: Op
    value: Any


@dataclass(frozen=True, slots=True)
class Order:
    path: FieldPath
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Precondition:
    """Optimistic concurrency on writes. ``expected_version`` 0 means "no check"."""

    expected_version: int = 0
    must_exist: bool = False
    must_not_exist: bool = False

    @property
    def none(self) -> bool:
        return not (self.expected_version or self.must_exist or self.must_not_exist)


NO_PRECONDITION = Precondition()


@dataclass(frozen=True, slots=True)
class Update:
    """A partial update executed atomically by the store, all-or-nothing."""

    set: tuple[tuple[FieldPath, Any], ...] = ()
    unset: tuple[FieldPath, ...] = ()
    increment: tuple[tuple[FieldPath, Any], ...] = ()
    condition: tuple[Condition, ...] = ()
    precondition: Precondition = NO_PRECONDITION


@dataclass(frozen=True, slots=True)
class Query:
    """A filtered, ordered page. ``cursor`` is the store's own opaque continuation."""

    filter: tuple[Condition, ...] = ()
    order: tuple[Order, ...] = ()
    limit: int = 100
    cursor: bytes | None = None


@dataclass(frozen=True, slots=True)
class Search:
    text: str
    filter: tuple[Condition, ...] = ()
    limit: int = 20
    cursor: bytes | None = None


@dataclass(frozen=True, slots=True)
class Page:
    documents: tuple[Document, ...]
    cursor: bytes | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """Slice ``index`` of ``count`` of the key space, by a stable hash of the key."""

    index: int = 0
    count: int = 1

    def contains(self, key: str) -> bool:
        from proxy.routing.hashing import bucket

        return self.count <= 1 or bucket("segment", key, self.count) == self.index


@dataclass(frozen=True, slots=True)
class Scan:
    """Keys in ascending order strictly after ``after`` (None: from the start), tombstones included."""

    after: str | None = None
    limit: int = 500
    segment: Segment = field(default_factory=Segment)
