"""Conditions, orders and updates → MongoDB query and update documents, held to `proxy.backends.match`.

Every request value goes in as a typed BSON value in an operator position we chose; operator and
field names come from validated `FieldPath` segments (``[A-Za-z_][A-Za-z0-9_]*``), never from text.

Two MongoDB behaviours differ from the reference semantics and are neutralised here:

* **Array traversal.** ``{"d.a.b": 1}`` matches when ``a`` is an array of objects one of which has
  ``b: 1``, and when ``b`` is an array containing 1. `match.lookup` walks objects only and compares
  whole values, so every condition carries guards "this segment is not an array".
* **Null means missing.** ``{"d.x": null}`` and ``$in: [null]`` also match documents without ``x``;
  `match.equal` only matches a present null, so those conditions also require ``$exists``.

Type bracketing (``$lt: 5`` matches numbers only, strings only compare with strings) is what
`match._comparable` does; ``$ne`` and ``$nor`` match absent fields, as `match.holds` does.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from bson import Int64

from proxy.backends.match import apply_update
from proxy.backends.mongodb.codec import INT64_MAX, INT64_MIN, decimal128, to_bson
from proxy.errors import InvalidArgument
from proxy.models import Condition, FieldPath, Op, Order, Update

Filter = dict[str, Any]

TEXT_DECIMALS: ContextVar[bool] = ContextVar("TEXT_DECIMALS", default=False)
"""Set by the collection around each translation: the store keeps decimals as text."""

NOTHING: Filter = {"_id": {"$in": []}}
"""A filter no document matches."""

_ESCAPE = frozenset(string.punctuation) - {"_"}


def data_path(path: FieldPath | Sequence[str]) -> str:
    """Where a body field lives: bodies are nested under ``d`` so no user name meets ours."""
    parts = path.parts if isinstance(path, FieldPath) else tuple(path)
    return "d." + ".".join(parts)


def operand(value: Any, field: str) -> Any:
    """A scalar filter operand as BSON. Ints beyond int64 become an exact Decimal128 so they still
    compare by value (MongoDB compares numbers across int/long/double/decimal exactly)."""
    if TEXT_DECIMALS.get() and (isinstance(value, Decimal) or (
            isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX)):
        raise InvalidArgument(f"field {field!r}: this MongoDB store keeps decimals as text (decimals: string), "
                              "so they cannot be compared in a filter", field=field)
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        return decimal128(Decimal(value), field)
    return to_bson(value, field)


def _not_arrays(path: FieldPath, upto: int) -> list[Filter]:
    return [{data_path(path.parts[:i]): {"$not": {"$type": "array"}}} for i in range(1, upto + 1)]


def _equal(path: FieldPath, value: Any) -> list[Filter]:
    p = data_path(path)
    guards = _not_arrays(path, len(path.parts))
    if value is None:
        return [*guards, {p: {"$type": "null"}}]
    return [*guards, {p: {"$eq": operand(value, str(path))}}]


def _present(path: FieldPath) -> list[Filter]:
    """``match.lookup(path)`` is not MISSING: every parent is an object (not an array)."""
    return [*_not_arrays(path, len(path.parts) - 1), {data_path(path): {"$exists": True}}]


def _nor(clauses: list[Filter]) -> Filter:
    return {"$nor": [{"$and": clauses}]}


def _ordered_operand(value: Any) -> bool:
    return (isinstance(value, (int, float, Decimal, str, dt.datetime))) and not isinstance(value, bool)


def condition(c: Condition) -> list[Filter]:
    """One condition as a list of clauses that must all hold."""
    p = data_path(c.path)
    if c.op is Op.EQ:
        return _equal(c.path, c.value)
    if c.op is Op.NE:
        return [_nor(_equal(c.path, c.value))]
    if c.op is Op.EXISTS:
        return _present(c.path) if c.value else [_nor(_present(c.path))]
    guards = _not_arrays(c.path, len(c.path.parts))
    if c.op is Op.IN:
        values = [operand(v, str(c.path)) for v in c.value]
        return [*guards, {p: {"$exists": True}}, {p: {"$in": values}}]
    if c.op is Op.PREFIX:
        if not isinstance(c.value, str):
            return [NOTHING]
        return [*guards, {p: {"$type": "string"}}, {p: {"$regex": literal_prefix(c.value)}}]
    if not _ordered_operand(c.value):  # null, bool: `match._comparable` never holds
        return [NOTHING]
    op = {Op.LT: "$lt", Op.LTE: "$lte", Op.GT: "$gt", Op.GTE: "$gte"}[c.op]
    return [*guards, {p: {op: operand(c.value, str(c.path))}}]


def conditions(items: Sequence[Condition]) -> list[Filter]:
    return [clause for c in items for clause in condition(c)]


def literal_prefix(text: str) -> str:
    """An anchored pattern matching ``text`` literally. Not `re.escape`: its ``\\ `` and ``\\<newline>``
    are PCRE-only; a backslash before ASCII punctuation and ``\\xHH`` for control characters mean
    the same in PCRE (MongoDB) and RE2 (wire-compatible stores). NUL cannot appear raw in a pattern."""
    out = []
    for ch in text:
        if ch in _ESCAPE:
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "^" + "".join(out)


# -- order -------------------------------------------------------------------------------------
# MongoDB sorts null/missing *first* ascending; `match.ordered` puts them last ascending and first
# descending, and ranks types numbers < strings < dates < bools < the rest (MongoDB: numbers <
# strings < objects < arrays < bools < dates). Two translations make MongoDB agree:
#
# * one order field (the common case) — the result is cut in two classes, "present and not null"
#   and the rest, fetched one after the other in the order `match.ordered` wants; MongoDB sorts
#   within the first class by the field, then ``_id``. Only find/sort/skip/limit/count are used,
#   so this works on every wire-compatible store too.
# * several order fields — an aggregation computes per field a rank (absent 9, number 0, string 1,
#   date 2, bool 3, other 4) and a value that is null when absent, and sorts on (rank, value)
#   pairs. It needs ``$switch``/``$cond``/``$in`` expressions, which MongoDB has and FerretDB 1.x
#   lacks (it answers NotImplemented → `Unimplemented`).
def order_keys(order: Sequence[Order]) -> list[Order]:
    """``order`` without repeated paths: a repeat never breaks a tie the first occurrence left."""
    keys: list[Order] = []
    for o in order:
        if all(k.path != o.path for k in keys):
            keys.append(o)
    return keys


def classes(key: Order) -> list[tuple[list[Filter], list[tuple[str, int]]]]:
    """(clauses, sort) of the two presence classes of one order field, in result order."""
    p = data_path(key.path)
    has = [*_present(key.path), {p: {"$not": {"$type": "null"}}}]
    present = (has, [(p, -1 if key.descending else 1), ("_id", 1)])
    absent = ([_nor(has)], [("_id", 1)])
    return [absent, present] if key.descending else [present, absent]


def sort_stages(keys: Sequence[Order]) -> tuple[list[Filter], list[str]]:
    """Aggregation stages that add sort helpers and sort by them; also the helpers' names."""
    ranks: Filter = {}
    values: Filter = {}
    sort: Filter = {}
    for i, o in enumerate(keys):
        field = "$" + data_path(o.path)
        kind = {"$type": field}
        # A parent that is an array makes the path missing for `match.lookup` (MongoDB would
        # collect the values from the array's elements instead).
        branches = [{"case": {"$eq": [{"$type": "$" + data_path(o.path.parts[:j])}, "array"]}, "then": 9}
                    for j in range(1, len(o.path.parts))]
        branches += [
            {"case": {"$in": [kind, ["missing", "null", "undefined"]]}, "then": 9},
            {"case": {"$in": [kind, ["int", "long", "double", "decimal"]]}, "then": 0},
            {"case": {"$eq": [kind, "string"]}, "then": 1},
            {"case": {"$eq": [kind, "date"]}, "then": 2},
            {"case": {"$eq": [kind, "bool"]}, "then": 3},
        ]
        ranks[f"_r{i}"] = {"$switch": {"branches": branches, "default": 4}}
        values[f"_v{i}"] = {"$cond": [{"$eq": [f"$_r{i}", 9]}, None, field]}
        direction = -1 if o.descending else 1
        sort[f"_r{i}"] = direction
        sort[f"_v{i}"] = direction
    sort["_id"] = 1
    return [{"$addFields": ranks}, {"$addFields": values}, {"$sort": sort}], [*ranks, *values]


# -- update ------------------------------------------------------------------------------------
def _under(a: FieldPath, b: FieldPath) -> bool:
    return len(a.parts) > len(b.parts) and a.parts[: len(b.parts)] == b.parts


def _within(p: FieldPath, root: FieldPath) -> bool:
    return p == root or _under(p, root)


def update_document(update: Update) -> tuple[Filter, list[Filter]]:
    """The ``$set``/``$unset``/``$inc`` document (version included) and extra filter clauses.

    MongoDB refuses two operations on overlapping paths (``a`` and ``a.b``), while `apply_update`
    applies them in turn (sets, then unsets, then increments). When the outer path is set or unset
    its final value does not depend on what is stored, so the group is folded here, in Python, into
    one ``$set``/``$unset`` of the outer path — still one atomic store operation.
    """
    touched = [p for p, _ in update.set] + list(update.unset) + [p for p, _ in update.increment]
    roots = list(dict.fromkeys(p for p in touched if not any(_under(p, q) for q in touched)))
    sets: dict[str, Any] = {}
    unsets: list[FieldPath] = []
    incs: dict[str, Any] = {"v": Int64(1)}
    for root in roots:
        group = Update(
            set=tuple((p, v) for p, v in update.set if _within(p, root)),
            unset=tuple(p for p in update.unset if _within(p, root)),
            increment=tuple((p, v) for p, v in update.increment if _within(p, root)))
        if len(group.set) + len(group.unset) + len(group.increment) == 1:
            for p, v in group.set:
                sets[data_path(p)] = to_bson(v, str(p), TEXT_DECIMALS.get())
            unsets += group.unset
            for p, v in group.increment:
                incs[data_path(p)] = to_bson(v, str(p), TEXT_DECIMALS.get())
            continue
        if not any(p == root for p, _ in group.set) and root not in group.unset:
            raise InvalidArgument(f"{root} is incremented and has its fields changed in the same update",
                                  field=str(root))
        folded = _fold(root, group)
        if folded is _ABSENT:
            unsets.append(root)
        else:
            sets[data_path(root)] = to_bson(folded, str(root), TEXT_DECIMALS.get())
    doc: Filter = {"$inc": incs}
    if sets:
        doc["$set"] = sets
    if unsets:
        doc["$unset"] = {data_path(p): "" for p in unsets}
    return doc, _unset_guards(unsets)


_ABSENT: Any = object()


def _fold(root: FieldPath, group: Update) -> Any:
    def rel(p: FieldPath) -> FieldPath:
        return FieldPath(("_", *p.parts[len(root.parts):]))

    sub = Update(set=tuple((rel(p), v) for p, v in group.set), unset=tuple(rel(p) for p in group.unset),
                 increment=tuple((rel(p), v) for p, v in group.increment))
    try:
        body = apply_update({}, sub)
    except InvalidArgument:
        raise InvalidArgument(f"the operations on {root} and the fields inside it conflict",
                              field=str(root)) from None
    return body.get("_", _ABSENT)


def _unset_guards(paths: Sequence[FieldPath]) -> list[Filter]:
    """`apply_update` refuses to unset ``a.b`` when ``a`` is present but not an object; ``$unset``
    quietly does nothing. Requiring each parent to be absent or a (non-array) object makes the
    update match nothing instead, and the caller's classifying read reports the field."""
    out: list[Filter] = []
    for path in paths:
        for i in range(1, len(path.parts)):
            parent = data_path(path.parts[:i])
            out.append({"$nor": [{parent: {"$type": "array"}},
                                 {"$and": [{parent: {"$exists": True}}, {parent: {"$not": {"$type": "object"}}}]}]})
    return out

