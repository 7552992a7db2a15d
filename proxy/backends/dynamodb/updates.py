"""Writes as one UpdateItem: the body, its float marks and the index mirrors change together with
``ADD v :one`` under one ConditionExpression, so DynamoDB checks and writes atomically.

`replacement` writes a whole body (put, and the compare-and-set fallback of `update`). `partial`
turns an `Update` into ``SET`` / ``REMOVE`` clauses plus *guards*: conditions under which the
clauses do exactly what `match.apply_update` would. When a guard fails the write is refused like a
false condition, and the collection's classifying read decides in Python. Guards cover what
DynamoDB cannot do in place:

* a nested ``SET``/``REMOVE`` needs its parent map to exist (DynamoDB does not create it);
* an increment needs a number or nothing at its path (``if_not_exists(p, 0) + n``);
* replacing or removing a value that *contains* marked floats would leave stale marks, so it needs
  either an empty mark map or a value that is not a map or list.

Each declared index's top-level attribute follows its field in the same request: set from the new
value, removed when the value is not of the index's type, or — for an increment of a number index —
computed by the same ``if_not_exists(d.p, 0) + n`` from the value before the write.

An update that touches overlapping paths (``a`` and ``a.b``), or whose condition has no exact
translation, gets no plan (None) and is applied by compare-and-set on the version instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from proxy.backends.dynamodb.codec import Attr, encode, floats, mark, number_text
from proxy.backends.dynamodb.expressions import BODY, DELETED, FLOATS, INDEX_PREFIX, VERSION, Expr, conditions
from proxy.backends.match import MISSING, lookup
from proxy.models import Body, FieldPath, Update
from proxy.schema import storage_timestamp

MAX_INDEX_KEY_BYTES = 2048


@dataclass(frozen=True)
class Index:
    """A declared GSI: ``name`` keyed by the field at ``path``, as text (``S``) or number (``N``)."""

    name: str
    path: FieldPath
    kind: str

    @property
    def attribute(self) -> str:
        """The GSI's name and its key attribute, which mirrors the field at the top level."""
        return INDEX_PREFIX + self.name

    def key(self, value: Any) -> Attr | None:
        """The index key for a field value; None when the value is not indexed (sparse index)."""
        if self.kind == "N":
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                return {"N": number_text(value, str(self.path))}
            return None
        if isinstance(value, dt.datetime):
            value = storage_timestamp(value)
        if isinstance(value, str) and 0 < len(value.encode("utf-8")) <= MAX_INDEX_KEY_BYTES:
            return {"S": value}
        return None


def _under(a: FieldPath, b: FieldPath) -> bool:
    """``a`` lies strictly inside ``b``."""
    return len(a.parts) > len(b.parts) and a.parts[: len(b.parts)] == b.parts


def _overlap(paths: Sequence[FieldPath]) -> bool:
    return any(i != j and (a == b or _under(a, b)) for i, a in enumerate(paths) for j, b in enumerate(paths))


def stored_body(body: Body) -> tuple[Attr, Attr]:
    """The ``d`` and ``f`` attributes for a whole body."""
    d = encode(body, "")
    return d, {"M": {m: {"BOOL": True} for m in floats(body)}}


def replacement(e: Expr, body: Body, indexes: Iterable[Index]) -> str:
    """UpdateExpression writing ``body`` whole (live, version + 1)."""
    d, f = stored_body(body)
    sets = [f"{e.name(BODY)} = {e.value(d)}", f"{e.name(FLOATS)} = {e.value(f)}",
            f"{e.name(DELETED)} = {e.value({'BOOL': False})}"]
    removes: list[str] = []
    for ix in indexes:
        value = lookup(body, ix.path)
        key = ix.key(value) if value is not MISSING else None
        if key is None:
            removes.append(e.name(ix.attribute))
        else:
            sets.append(f"{e.name(ix.attribute)} = {e.value(key)}")
    return _expression(e, sets, removes)


def _expression(e: Expr, sets: list[str], removes: list[str]) -> str:
    text = "SET " + ", ".join(sets) if sets else ""
    if removes:
        text += " REMOVE " + ", ".join(removes)
    return f"{text} ADD {e.name(VERSION)} {e.value({'N': '1'})}".strip()


@dataclass(frozen=True)
class Plan:
    update: str
    guards: list[str]


def partial(e: Expr, update: Update, indexes: Sequence[Index]) -> Plan | None:
    """The in-place UpdateExpression and guards for ``update`` (its condition included), or None."""
    touched = [p for p, _ in update.set] + list(update.unset) + [p for p, _ in update.increment]
    if _overlap(touched):
        return None
    guards, exact = conditions(e, update.condition)
    if not exact:
        return None
    sets: list[str] = []
    removes: list[str] = []
    true = {"BOOL": True}
    for path, value in update.set:
        attr = encode(value, str(path))
        sets.append(f"{e.body(path)} = {e.value(attr)}")
        marks = list(floats(value, path.parts))
        sets += [f"{e.path(FLOATS, m)} = {e.value(true)}" for m in marks]
        if mark(path.parts) not in marks:
            removes.append(e.path(FLOATS, mark(path.parts)))
        guards += [*_parent(e, path), _no_marks_below(e, path)]
    for path in update.unset:
        removes += [e.body(path), e.path(FLOATS, mark(path.parts))]
        guards += [*_parent(e, path), _no_marks_below(e, path)]
    zero = {"N": "0"}
    for path, amount in update.increment:
        p = e.body(path)
        sets.append(f"{p} = if_not_exists({p}, {e.value(zero)}) + {e.value(encode(amount, str(path)))}")
        if isinstance(amount, float):
            sets.append(f"{e.path(FLOATS, mark(path.parts))} = {e.value(true)}")
        guards += [*_parent(e, path), f"(attribute_not_exists({p}) OR {e.type_is(p, 'N')})"]
    for ix in indexes:
        _mirror(e, ix, update, sets, removes)
    if update.set or update.unset or any(isinstance(a, float) for _, a in update.increment):  # marks touched
        guards.append(e.type_is(e.name(FLOATS), "M"))  # (an item written by someone else may lack it)
    return Plan(_expression(e, sets, removes), guards)


def _parent(e: Expr, path: FieldPath) -> list[str]:
    if len(path.parts) < 2:
        return []
    return [e.type_is(e.body(path.parts[:-1]), "M")]


def _no_marks_below(e: Expr, path: FieldPath) -> str:
    p = e.body(path)
    return (f"(size({e.name(FLOATS)}) = {e.value({'N': '0'})} OR "
            f"NOT ({e.type_is(p, 'M')} OR {e.type_is(p, 'L')}))")


def _mirror(e: Expr, ix: Index, update: Update, sets: list[str], removes: list[str]) -> None:
    """Keep the index attribute equal to ``ix.key(field)`` after ``update`` (paths do not overlap)."""
    for path, value in update.set:
        if path == ix.path or _under(ix.path, path):
            found = lookup({"_": value}, FieldPath(("_", *ix.path.parts[len(path.parts):])))
            key = ix.key(found) if found is not MISSING else None
            if key is None:
                removes.append(e.name(ix.attribute))
            else:
                sets.append(f"{e.name(ix.attribute)} = {e.value(key)}")
            return
        if _under(path, ix.path):
            removes.append(e.name(ix.attribute))
            return
    for path in update.unset:
        if path == ix.path or _under(ix.path, path):
            removes.append(e.name(ix.attribute))
            return
    for path, amount in update.increment:
        if path == ix.path and ix.kind == "N":
            p = e.body(path)
            sets.append(f"{e.name(ix.attribute)} = if_not_exists({p}, {e.value({'N': '0'})}) + "
                        f"{e.value(encode(amount, str(path)))}")
            return
        if path == ix.path or _under(path, ix.path) or _under(ix.path, path):
            removes.append(e.name(ix.attribute))
            return


def index_keys(body: Mapping[str, Any], indexes: Iterable[Index]) -> dict[str, Attr]:
    """The index attributes of a whole item (absent: not indexed)."""
    out: dict[str, Attr] = {}
    for ix in indexes:
        value = lookup(dict(body), ix.path)
        key = ix.key(value) if value is not MISSING else None
        if key is not None:
            out[ix.attribute] = key
    return out
