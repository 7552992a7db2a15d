"""Internal values ↔ BSON values.

Decimal ↔ Decimal128 (34 significant digits, exact or refused) — or, with the backend setting
``decimals: string`` for wire-compatible stores without Decimal128 (FerretDB 1.x closes the connection
on one), Decimal ↔ its exact text, turned back into a Decimal by the entity's declared field type;
aware datetime ↔ BSON date (UTC, milliseconds — MongoDB's precision; the shadow diff compares
timestamps at the coarser precision), every int as int64. Why int64 even for small ints: an int32
that ``$inc`` pushes past 2^31 is promoted by MongoDB but silently wrapped by some wire-compatible
stores (FerretDB 1.x); a field that is always int64 behaves the same everywhere, and the stored
type does not depend on the value.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bson import Decimal128, Int64, ObjectId

from proxy.errors import InvalidArgument

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
UTC = dt.UTC


def int64(value: int, field: str) -> Int64:
    if not INT64_MIN <= value <= INT64_MAX:
        raise InvalidArgument(f"field {field!r}: integer {value} does not fit in 64 bits", field=field)
    return Int64(value)


def decimal128(value: Decimal, field: str) -> Decimal128:
    try:
        return Decimal128(value)
    except decimal.DecimalException:  # Inexact / Overflow / Underflow: refuse rather than round
        raise InvalidArgument(
            f"field {field!r}: decimal {value} needs more than 34 significant digits or is out of range",
            field=field) from None


def to_bson(value: Any, field: str, text_decimals: bool = False) -> Any:
    """A body value ready for PyMongo; ``field`` (dotted path) names the culprit in errors.
    ``text_decimals``: store a Decimal as its exact text instead of Decimal128."""
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return int64(value, field)
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: BSON strings are UTF-8
                raise InvalidArgument(f"field {field!r}: text is not valid Unicode", field=field) from None
        return value
    if isinstance(value, Decimal):
        if text_decimals:
            if not value.is_finite():
                raise InvalidArgument(f"field {field!r}: decimal {value} is not a finite number", field=field)
            return str(value)
        return decimal128(value, field)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str) or "\x00" in k:
                raise InvalidArgument(f"field {field!r}: a field name is not valid text", field=field or None)
            out[k] = to_bson(v, f"{field}.{k}" if field else k, text_decimals)
        return out
    if isinstance(value, (list, tuple)):
        return [to_bson(v, field, text_decimals) for v in value]
    raise InvalidArgument(f"field {field!r}: values of type {type(value).__name__} cannot be stored",
                          field=field or None)


def from_bson(value: Any) -> Any:
    """A stored value back to internal types (before `Schema.restore`)."""
    if isinstance(value, Int64):
        return int(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal128):
        return value.to_decimal()
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, Mapping):
        return {str(k): from_bson(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_bson(v) for v in value]
    # Only data the proxy did not write gets here (a collection shared with another writer).
    if isinstance(value, (ObjectId, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)
