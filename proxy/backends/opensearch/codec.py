"""Values ↔ what OpenSearch stores and indexes: the exact JSON codec and the query projection.

**Codec.** Request and response JSON go through `ExactSerializer`: decimals leave as exact JSON
numbers and come back as `Decimal`, ints of any size stay ints, timestamps are fixed-width UTC text
(the shared `proxy.schema` store format). OpenSearch returns ``_source`` byte for byte as it was
sent, so a body under ``d`` round-trips exactly; `Schema.restore` turns it back into internal types.

**Projection** (``f``, a ``nested`` field): one entry per field path `match.lookup` can address —
object members reached through objects only, arrays and objects being values like any other:

* ``p`` the dotted path;
* ``e`` an equality token: class letter + canonical value, so 1 == 1.0 == Decimal("1.00") and
  ``True`` != 1 exactly as `match.equal`; objects and arrays by a hash of their canonical form;
  null is ``n``. Long tokens are hashed (equality stays exact up to SHA-256 collisions);
* ``o`` an order token (absent for null, which sorts as missing): class letter, then text whose
  byte order is the value order within the class. Classes follow `match._sort_value`: numbers
  ``a`` < strings ``b`` < timestamps ``c`` < bools ``d`` < objects/arrays ``e``.

Numbers are encoded by sign, decimal exponent and digits, so int64, huge ints and 34-digit decimals
compare exactly — something no numeric OpenSearch field type does.

Lucene terms are bounded, so order tokens keep `ORDER_CHARS` characters. Filters stay exact (clauses
on a cut token are widened and every hit is re-checked with `match.matches`); the one deviation left
is order: values equal in their first 4,000 characters tie and fall back to key order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from opensearchpy.exceptions import SerializationError
from opensearchpy.serializer import JSONSerializer

from proxy.models import FIELD_PATH, MAX_PATH_DEPTH, Body
from proxy.schema import FieldType, Schema, storage_timestamp

Raw = dict[str, Any]

ORDER_CHARS = 4000
"""Order tokens are cut here (≤ 16,000 UTF-8 bytes, below Lucene's 32,766-byte term limit)."""
EQUAL_CHARS = 200
"""Equality tokens longer than this are replaced by a hash."""
NESTED_LIMIT = 10_000
"""Most projection entries per document (``index.mapping.nested_objects.limit``)."""
NULL = "n"
_EXP_OFFSET = 10**9
_EXP_WIDTH = 10
_INVERT = str.maketrans("0123456789", "9876543210")
_SEGMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DEPTH = MAX_PATH_DEPTH


# -- codec ------------------------------------------------------------------------------------
class ExactSerializer(JSONSerializer):
    """JSON without float rounding in either direction (see the module docstring)."""

    def __init__(self) -> None:
        # Decimals become placeholders carrying a per-process secret, then the number text; a caller's
        # string cannot forge one without knowing the secret.
        self._tag = f"\x00{secrets.token_hex(8)}:"
        self._raw = re.compile(r'"\\u0000' + self._tag[1:] + r'([-+0-9.Ee]+)\\u0000"')

    def dumps(self, data: Any) -> Any:
        if isinstance(data, (str, bytes)):
            return data
        try:
            text = json.dumps(self._prepare(data), ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        except (ValueError, TypeError) as e:
            raise SerializationError(type(data).__name__, e) from e
        return self._raw.sub(r"\1", text)

    def _prepare(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError("decimal is not finite")
            return f"{self._tag}{value}\x00"
        if isinstance(value, dt.datetime):
            return storage_timestamp(value)
        if isinstance(value, Mapping):
            return {k: self._prepare(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._prepare(v) for v in value]
        return value

    def loads(self, s: str) -> Any:
        try:
            return json.loads(s, parse_float=Decimal)
        except (ValueError, TypeError) as e:
            raise SerializationError("response is not JSON", e) from e


# -- tokens -----------------------------------------------------------------------------------
def _number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def number_key(value: int | float | Decimal) -> str:
    """Text whose byte order is the numeric order; equal numbers give equal text (1 == 1.0)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))  # as `match.equal` compares them
    sign, digits, _ = d.as_tuple()
    mantissa = "".join(map(str, digits)).rstrip("0")
    if not mantissa:
        return "2"  # zero, either sign
    exponent = f"{min(max(d.adjusted() + _EXP_OFFSET, 0), 2 * _EXP_OFFSET):0{_EXP_WIDTH}d}"
    if not sign:
        return "3" + exponent + mantissa
    # Negative: larger magnitude sorts first; "~" ends the digits so -1 sorts after -1.5.
    return "1" + exponent.translate(_INVERT) + mantissa.translate(_INVERT) + "~"


def timestamp_key(value: dt.datetime) -> str:
    v = value.astimezone(dt.UTC) if value.tzinfo else value
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}"
            f".{v.microsecond:06d}")


def _canonical(value: Any) -> Any:
    """A JSON-able form equal for values `match.equal` calls equal, different otherwise."""
    if value is None or isinstance(value, (bool, str)):
        return [type(value).__name__, value]
    if _number(value):
        return ["a", number_key(value)]
    if isinstance(value, dt.datetime):
        return ["c", timestamp_key(value)]
    if isinstance(value, Mapping):
        return ["o", sorted((str(k), _canonical(v)) for k, v in value.items())]
    if isinstance(value, (list, tuple)):
        return ["l", [_canonical(v) for v in value]]
    return ["?", repr(value)]


def _token(value: Any) -> str:
    """The uncut order token of a non-null value."""
    if isinstance(value, bool):
        return "d1" if value else "d0"
    if _number(value):
        return "a" + number_key(value)
    if isinstance(value, str):
        return "b" + value
    if isinstance(value, dt.datetime):
        return "c" + timestamp_key(value)
    return "e" + repr(value)  # `match._sort_value` orders objects and arrays by repr


def order_token(value: Any) -> tuple[str, bool] | None:
    """(token, exact) for ordering and ranges; None for null. ``exact`` is False when cut."""
    if value is None:
        return None
    token = _token(value)
    return (token, True) if len(token) <= ORDER_CHARS else (token[:ORDER_CHARS], False)


def equality_token(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, (Mapping, list, tuple)):
        text = json.dumps(_canonical(value), ensure_ascii=True, separators=(",", ":"))
        return "#e" + hashlib.sha256(text.encode()).hexdigest()
    token = _token(value)
    if len(token) <= EQUAL_CHARS:
        return token
    return "#" + token[0] + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# -- projection ---------------------------------------------------------------------------------
def entries(body: Body) -> list[Raw]:
    """The ``f`` entries of a body (see the module docstring)."""
    out: list[Raw] = []

    def walk(obj: Mapping[str, Any], prefix: str, depth: int) -> None:
        for k, v in obj.items():
            if not _SEGMENT.match(k):
                continue  # no field path can address it
            path = f"{prefix}.{k}" if prefix else k
            entry: Raw = {"p": path, "e": equality_token(v)}
            token = order_token(v)
            if token is not None:
                entry["o"] = token[0]
            out.append(entry)
            if isinstance(v, Mapping) and depth < _DEPTH:
                walk(v, path, depth + 1)

    walk(body, "", 1)
    return out


def value_at(body: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(body, Mapping) or part not in body:
            return None
        body = body[part]
    return body


def _text(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for v in value.values() for t in _text(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _text(v)]
    return [str(value)]


def field_name(path: str) -> str:
    """A mapping name for a configured path: ``spec.desc`` → ``spec-desc`` (``-`` is never in a path)."""
    return path.replace(".", "-")


def search_texts(body: Body, fields: Sequence[str]) -> Raw:
    """``s``: the text of each search field (strings inside objects and arrays included)."""
    out: Raw = {}
    for f in fields:
        texts = _text(value_at(body, f))
        if texts:
            out[field_name(f)] = texts if len(texts) > 1 else texts[0]
    return out


_TYPED: dict[FieldType, Raw] = {
    FieldType.STRING: {"type": "keyword", "ignore_above": 8191},
    FieldType.INT: {"type": "long"},
    FieldType.FLOAT: {"type": "double"},
    FieldType.DECIMAL: {"type": "double"},
    FieldType.BOOL: {"type": "boolean"},
    FieldType.TIMESTAMP: {"type": "date", "format": "strict_date_optional_time"},
}
"""Declared types → native OpenSearch types (``t``). Decimals are approximated by ``double`` there:
``t`` serves OpenSearch-native readers (dashboards, aggregations); the proxy's own filters use ``f``."""


def typed_mapping(schema: Schema) -> Raw:
    return {field_name(p): dict(_TYPED[t]) for p, t in sorted(schema.types.items())
            if t in _TYPED and p != schema.key_field and FIELD_PATH.match(p)}


def typed_values(body: Body, schema: Schema) -> Raw:
    """``t``: declared fields whose value fits the native type (anything else is left out, never refused)."""
    out: Raw = {}
    for path, ftype in schema.types.items():
        if ftype not in _TYPED or path == schema.key_field:
            continue
        v = value_at(body, path)
        fits = {
            FieldType.STRING: isinstance(v, str),
            FieldType.INT: isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**63,
            FieldType.FLOAT: _number(v) and _finite_double(v),
            FieldType.DECIMAL: _number(v) and _finite_double(v),
            FieldType.BOOL: isinstance(v, bool),
            FieldType.TIMESTAMP: isinstance(v, dt.datetime),
        }[ftype]
        if fits:
            out[field_name(path)] = v
    return out


def _finite_double(v: Any) -> bool:
    try:
        return abs(float(v)) < float("inf")
    except OverflowError:
        return False
