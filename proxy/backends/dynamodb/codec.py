"""Internal values ↔ DynamoDB AttributeValues (the low-level ``{"N": "1.5"}`` form).

* Numbers are ``N``: exact decimal text, refused (InvalidArgument naming the field) beyond DynamoDB's
  38 significant digits or its magnitude range. Read back, an integral number is an ``int`` and any
  other a ``Decimal`` — which `Schema.restore` turns into a float, or keeps as a Decimal for a
  declared ``decimal`` field.
* **Floats.** DynamoDB normalizes numbers (``2.0`` is stored as ``2``), so an integral float would
  come back as an int. Every float whose text cannot say so is listed in the item's float-mark map
  ``f`` under its path (`mark`), and `unmark` turns those values back into floats on read. Writes keep
  the map exact in the same request (see `proxy.backends.dynamodb.updates`).
* Timestamps are fixed-width UTC text (`storage_timestamp`), so they compare and sort as text;
  `Schema.restore` parses them back for declared ``timestamp`` fields.
* Empty strings, empty maps and empty lists are stored as themselves; map keys must not be empty.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from proxy.errors import InvalidArgument
from proxy.schema import storage_timestamp

Attr = dict[str, Any]
"""One AttributeValue, e.g. ``{"S": "x"}``, ``{"M": {...}}``."""

MAX_DIGITS = 38
MIN_EXPONENT, MAX_EXPONENT = -130, 125
MAX_ITEM_BYTES = 400 * 1024
MAX_KEY_BYTES = 2048


def number_text(value: int | float | Decimal, field: str) -> str:
    """Exact ``N`` text for a number, or InvalidArgument naming ``field`` if DynamoDB cannot hold it."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidArgument(f"field {field!r}: {value!r} is not a number", field=field) from None
    if not number.is_finite():
        raise InvalidArgument(f"field {field!r}: {value} is not a finite number", field=field)
    if number.is_zero():
        return "0"
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")  # (normalize() would round to 28)
    if len(digits) > MAX_DIGITS:
        raise InvalidArgument(f"field {field!r}: {value} has more than {MAX_DIGITS} significant digits, "
                              "more than DynamoDB stores", field=field)
    if not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise InvalidArgument(f"field {field!r}: {value} is outside DynamoDB's number range "
                              "(1E-130 to 9.99E+125 in magnitude)", field=field)
    # Plain notation while it stays short (some DynamoDB stand-ins do arithmetic on it), else E-notation.
    return format(number, "f") if -30 <= number.adjusted() <= 40 else str(number)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def encode(value: Any, field: str) -> Attr:
    """A body value as an AttributeValue; ``field`` (dotted path) names the culprit in errors."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if _is_number(value):
        return {"N": number_text(value, field)}
    if isinstance(value, str):
        return {"S": _text(value, field)}
    if isinstance(value, dt.datetime):
        return {"S": storage_timestamp(value if value.tzinfo else value.replace(tzinfo=dt.UTC))}
    if isinstance(value, Mapping):
        out: dict[str, Attr] = {}
        for k, v in value.items():
            if not isinstance(k, str) or not k:
                raise InvalidArgument(f"field {field!r}: DynamoDB map keys must be non-empty text",
                                      field=field or None)
            out[_text(k, field)] = encode(v, f"{field}.{k}" if field else k)
        return {"M": out}
    if isinstance(value, (list, tuple)):
        return {"L": [encode(v, field) for v in value]}
    raise InvalidArgument(f"field {field!r}: values of type {type(value).__name__} cannot be stored",
                          field=field or None)


def _text(value: str, field: str) -> str:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            raise InvalidArgument(f"field {field!r}: text is not valid Unicode", field=field or None) from None
    return value


def decode(attr: Attr) -> Any:
    """An AttributeValue back to a plain value (before `unmark` and `Schema.restore`)."""
    (kind, value), = attr.items()
    if kind == "N":
        return _number(value)
    if kind in ("S", "BOOL"):
        return value
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: decode(v) for k, v in value.items()}
    if kind == "L":
        return [decode(v) for v in value]
    # Only data the proxy did not write gets here (a table shared with another writer).
    if kind == "SS":
        return sorted(value)
    if kind == "NS":
        return sorted((_number(v) for v in value), key=Decimal)
    if kind == "B":
        return base64.b64encode(value).decode("ascii")
    if kind == "BS":
        return sorted(base64.b64encode(v).decode("ascii") for v in value)
    raise InvalidArgument(f"the store holds a value of unknown type {kind}")


def _number(text: str) -> int | Decimal:
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else number


# -- float marks ---------------------------------------------------------------------------------
Segment = str | int


def mark(path: Sequence[Segment]) -> str:
    """The float-mark key of a path: JSON, so body keys containing dots stay unambiguous."""
    return json.dumps(list(path), ensure_ascii=False, separators=(",", ":"))


def floats(value: Any, path: tuple[Segment, ...] = ()) -> Iterator[str]:
    """Marks for the floats in ``value`` whose stored text would read back as an int."""
    if isinstance(value, float):
        if value == int(value):
            yield mark(path)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from floats(v, (*path, k))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from floats(v, (*path, i))


def unmark(body: Any, marks: Mapping[str, Any]) -> Any:
    """Turn the marked numbers of ``body`` back into floats (in place; returns ``body``)."""
    for text in marks:
        try:
            path = json.loads(text)
        except ValueError:
            continue
        if not isinstance(path, list) or not path:
            continue
        parent: Any = None
        node = body
        for seg in path:
            parent, node = node, _child(node, seg)
            if node is _ABSENT:
                break
        if _is_number(node):
            parent[path[-1]] = float(node)
    return body


_ABSENT: Any = object()


def _child(node: Any, seg: Any) -> Any:
    if isinstance(node, dict) and isinstance(seg, str):
        return node.get(seg, _ABSENT)
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return node[seg]
    return _ABSENT


# -- sizes ---------------------------------------------------------------------------------------
def size(attr: Attr) -> int:
    """DynamoDB's size of a value in bytes (rounded up where its rules are approximate)."""
    (kind, value), = attr.items()
    if kind == "S":
        return len(value.encode("utf-8"))
    if kind == "N":
        return len(value) // 2 + 2
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode("utf-8")) + size(v) + 1 for k, v in value.items())
    if kind == "L":
        return 3 + sum(size(v) + 1 for v in value)
    return len(str(value))


def item_size(item: Mapping[str, Attr]) -> int:
    return sum(len(k.encode("utf-8")) + size(v) for k, v in item.items())
