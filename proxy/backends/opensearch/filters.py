"""Conditions, orders and page cursors → OpenSearch query DSL, held to `proxy.backends.match`.

Every condition addresses one projection entry (``f``, see `codec`) through a ``nested`` query on
``f.p = path``, so a path is present exactly when `match.lookup` finds it:

=========== =======================================================================================
eq / in     the entry's equality token is (one of) the value's: numbers by value, bool ≠ number,
            null only matches a present null, objects and arrays as whole values
ne          ``must_not`` eq — so a missing field matches, as in `match.holds`
exists      an entry for the path exists (null included); ``false``: ``must_not`` that
lt … gte    a ``range`` on the order token *within the value's class* (numbers compare with
            numbers, strings with strings, timestamps with timestamps; bools and null never)
prefix      a ``prefix`` on the string class of the order token
=========== =======================================================================================

Request values only ever become term values, never field names or scripts; paths are validated
`FieldPath` text used as a term value too. Where a token had to be cut or hashed (very long values),
the clause is widened to a superset and the caller re-checks every hit with `match.matches`.

Order: each order field is a nested sort on the entry's order token, ``missing`` last ascending and
first descending (a null has no order token, so it sorts as missing, like `match._sort_value`),
then the key ``k`` ascending. Pages continue with ``search_after`` from the last returned hit's
sort values; the cursor is those values as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from proxy.backends.opensearch.codec import Raw, equality_token, order_token
from proxy.errors import InvalidArgument
from proxy.models import Condition, FieldPath, Op, Order

NOTHING: Raw = {"match_none": {}}
LIVE: Raw = {"term": {"deleted": True}}
"""A ``must_not`` clause: tombstones out."""
BY_KEY: Raw = {"k": {"order": "asc"}}
_NEXT_CLASS = {"a": "b", "b": "c", "c": "d"}
BOUND_CHARS = 200
"""Range and prefix operands are cut here (and the clause widened): Lucene refuses the automaton of a
bound longer than about 1,000 bytes. Hits are re-checked in Python."""


def _entry(path: FieldPath, clause: Raw | None = None) -> Raw:
    must: list[Raw] = [{"term": {"f.p": path.dotted}}]
    if clause is not None:
        must.append(clause)
    return {"nested": {"path": "f", "query": {"bool": {"filter": must}}}}


def _not(clause: Raw) -> Raw:
    return {"bool": {"must_not": [clause]}}


def _orderable(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal, str, dt.datetime)) and not isinstance(value, bool)


def condition(c: Condition) -> Raw:
    if c.op is Op.EQ:
        return _entry(c.path, {"term": {"f.e": equality_token(c.value)}})
    if c.op is Op.NE:
        return _not(_entry(c.path, {"term": {"f.e": equality_token(c.value)}}))
    if c.op is Op.EXISTS:
        return _entry(c.path) if c.value else _not(_entry(c.path))
    if c.op is Op.IN:
        tokens = sorted({equality_token(v) for v in c.value})
        return _entry(c.path, {"terms": {"f.e": tokens}}) if tokens else NOTHING
    if c.op is Op.PREFIX:
        if not isinstance(c.value, str):
            return NOTHING
        return _entry(c.path, {"prefix": {"f.o": {"value": ("b" + c.value)[:BOUND_CHARS]}}})
    if not _orderable(c.value):  # null, bool, objects: `match._comparable` never holds
        return NOTHING
    token = order_token(c.value)
    assert token is not None
    key, exact = token
    cls = key[0]
    if len(key) > BOUND_CHARS:
        key, exact = key[:BOUND_CHARS], False
    if c.op in (Op.GT, Op.GTE):  # a cut bound is lower than the value: >= it is a superset
        bounds = {"gt" if c.op is Op.GT and exact else "gte": key, "lt": _NEXT_CLASS[cls]}
    elif exact:
        bounds = {"gte": cls, "lt" if c.op is Op.LT else "lte": key}
    else:  # below a cut bound: everything starting with it too
        bounds = {"gte": cls, "lt": after_prefix(key)}
    return _entry(c.path, {"range": {"f.o": bounds}})


def after_prefix(text: str) -> str:
    """The least string above every string that starts with ``text`` (``text`` starts with ASCII)."""
    chars = list(text)
    while chars:
        n = ord(chars[-1]) + 1
        if n <= 0x10FFFF:
            chars[-1] = chr(0xE000 if 0xD800 <= n <= 0xDFFF else n)
            return "".join(chars)
        chars.pop()
    raise AssertionError("unreachable: tokens start with a class letter")


def conditions(items: Sequence[Condition]) -> list[Raw]:
    return [condition(c) for c in items]


def live_query(items: Sequence[Condition], must: Sequence[Raw] = ()) -> Raw:
    """Live documents matching every condition (and ``must``, scored)."""
    out: Raw = {"filter": conditions(items), "must_not": [LIVE]}
    if must:
        out["must"] = list(must)
    return {"bool": out}


def order_keys(order: Sequence[Order]) -> list[Order]:
    """``order`` without repeated paths: a repeat never breaks a tie the first occurrence left."""
    keys: list[Order] = []
    for o in order:
        if all(k.path != o.path for k in keys):
            keys.append(o)
    return keys


def sort(order: Sequence[Order]) -> list[Raw]:
    out: list[Raw] = []
    for o in order_keys(order):
        out.append({"f.o": {
            "order": "desc" if o.descending else "asc",
            "missing": "_first" if o.descending else "_last",
            "nested": {"path": "f", "filter": {"term": {"f.p": o.path.dotted}}},
        }})
    return [*out, BY_KEY]


SEARCH_SORT: list[Raw] = [{"_score": {"order": "desc"}}, BY_KEY]


# -- cursors -------------------------------------------------------------------------------------
def encode_cursor(values: Sequence[Any]) -> bytes:
    return json.dumps([str(v) if isinstance(v, Decimal) else v for v in values],
                      ensure_ascii=True, separators=(",", ":")).encode()


def decode_cursor(cursor: bytes | None, sorts: Sequence[Raw]) -> list[Any] | None:
    """The ``search_after`` values of a cursor made by `encode_cursor` for the same sort."""
    if not cursor:
        return None
    try:
        values = json.loads(cursor.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        values = None
    if not isinstance(values, list) or len(values) != len(sorts) or not all(map(_fits, values, sorts)):
        raise InvalidArgument("page_token is not valid for this store", field="page_token")
    # A score goes back as the exact text OpenSearch gave (it parses it to the same float).
    return [Decimal(v) if "_score" in s else v for v, s in zip(values, sorts, strict=True)]


def _fits(value: Any, sort: Raw) -> bool:
    if "_score" in sort:
        try:
            return isinstance(value, str) and Decimal(value).is_finite()
        except ArithmeticError:
            return False
    if "k" in sort:
        return isinstance(value, str)
    return value is None or isinstance(value, str)  # an order token, or missing
