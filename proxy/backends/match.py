"""Filter, order and update semantics evaluated in Python — the reference the stores' translations
are held to (the memory backend uses it directly; the conformance suite compares stores against it)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from proxy.errors import InvalidArgument
from proxy.models import Body, Condition, Document, FieldPath, Op, Order, Update

MISSING: Any = object()


def lookup(body: Any, path: FieldPath) -> Any:
    for part in path.parts:
        if not isinstance(body, dict) or part not in body:
            return MISSING
        body = body[part]
    return body


def _number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _comparable(a: Any, b: Any) -> bool:
    return (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str)) or (
        isinstance(a, dt.datetime) and isinstance(b, dt.datetime))


def equal(a: Any, b: Any) -> bool:
    if _number(a) and _number(b):
        return Decimal(str(a)) == Decimal(str(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def holds(c: Condition, body: Body) -> bool:
    v = lookup(body, c.path)
    if c.op is Op.EXISTS:
        return (v is not MISSING) == bool(c.value)
    if c.op is Op.NE:
        return v is MISSING or not equal(v, c.value)
    if v is MISSING:
        return False
    if c.op is Op.EQ:
        return equal(v, c.value)
    if c.op is Op.IN:
        return any(equal(v, x) for x in c.value)
    if c.op is Op.PREFIX:
        return isinstance(v, str) and v.startswith(c.value)
    if not _comparable(v, c.value):
        return False
    a, b = (Decimal(str(v)), Decimal(str(c.value))) if _number(v) else (v, c.value)
    return {Op.LT: a < b, Op.LTE: a <= b, Op.GT: a > b, Op.GTE: a >= b}[c.op]


def matches(conditions: Iterable[Condition], body: Body) -> bool:
    return all(holds(c, body) for c in conditions)


def _sort_value(v: Any) -> tuple[int, Any]:
    if v is MISSING or v is None:
        return (1, (9, ""))
    if _number(v):
        return (0, (0, Decimal(str(v))))
    if isinstance(v, str):
        return (0, (1, v))
    if isinstance(v, dt.datetime):
        return (0, (2, v.timestamp()))
    if isinstance(v, bool):
        return (0, (3, v))
    return (0, (4, repr(v)))


def ordered(docs: Sequence[Document], order: Sequence[Order]) -> list[Document]:
    """Sort by ``order`` then key ascending; missing fields last ascending, first descending."""
    out = sorted(docs, key=lambda d: d.key)
    for o in reversed(order):
        out.sort(key=lambda d, o=o: _sort_value(lookup(d.body, o.path)), reverse=o.descending)  # type: ignore[misc]
    return out


def apply_update(body: Body, update: Update) -> Body:
    """The body after ``update`` (conditions are checked by the caller)."""
    out = copy.deepcopy(body)
    for path, value in update.set:
        parent = _parent(out, path, create=True)
        parent[path.parts[-1]] = copy.deepcopy(value)
    for path in update.unset:
        parent = _parent(out, path, create=False)
        if parent is not None:
            parent.pop(path.parts[-1], None)
    for path, amount in update.increment:
        parent = _parent(out, path, create=True)
        current = parent.get(path.parts[-1], 0)
        if not _number(current):
            raise InvalidArgument(f"cannot increment {path}: the stored value is not a number", field=str(path))
        parent[path.parts[-1]] = add(current, amount)
    return out


def add(a: Any, b: Any) -> Any:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(str(a)) + Decimal(str(b))
    return a + b


def _parent(body: Body, path: FieldPath, *, create: bool) -> Any:
    node: Any = body
    for part in path.parts[:-1]:
        if not isinstance(node, dict):
            raise InvalidArgument(f"{path}: {part!r} is inside a value that is not an object", field=str(path))
        if part not in node:
            if not create:
                return None
            node[part] = {}
        node = node[part]
    if not isinstance(node, dict):
        raise InvalidArgument(f"{path}: parent is not an object", field=str(path))
    return node


def search_hits(docs: Iterable[Document], text: str, fields: Sequence[str],
                conditions: Sequence[Condition]) -> list[Document]:
    """Live documents containing every word of ``text`` in ``fields``, by word count then key."""
    words = text.lower().split()
    scored = []
    for d in docs:
        if d.deleted or not words or not matches(conditions, d.body):
            continue
        tokens = " ".join(str(lookup(d.body, FieldPath.parse(f))) for f in fields
                          if lookup(d.body, FieldPath.parse(f)) is not MISSING).lower().split()
        if all(w in tokens for w in words):
            scored.append((-sum(tokens.count(w) for w in words), d.key, d))
    return [d for _, _, d in sorted(scored, key=lambda t: (t[0], t[1]))]
