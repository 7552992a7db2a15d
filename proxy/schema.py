"""Entity field types and the conversions they imply.

Only two types change representation: ``decimal`` (a JSON string on the wire, `Decimal` inside,
stored natively) and ``timestamp`` (RFC 3339 on the wire, aware UTC `datetime` inside). The other
declared types are checked on write. Undeclared fields pass through as JSON.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from proxy.errors import InvalidArgument
from proxy.models import Body

UTC = dt.UTC


class FieldType(enum.Enum):
    STRING = "string"
    INT = "int"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOL = "bool"
    TIMESTAMP = "timestamp"
    OBJECT = "object"
    ARRAY = "array"


def parse_timestamp(text: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"field {field!r}: {text!r} is not an RFC 3339 timestamp", field=field) from None
    if value.tzinfo is None:
        raise InvalidArgument(f"field {field!r}: timestamp {text!r} has no time zone offset", field=field)
    return value.astimezone(UTC)


def format_timestamp(value: dt.datetime) -> str:
    """Wire form: UTC, ``Z``, fraction only as long as needed."""
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def storage_timestamp(value: dt.datetime) -> str:
    """Fixed-width UTC text for stores without a native type: sorts lexicographically by time."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        raise InvalidArgument(
            f"field {field!r} is a decimal and must be sent as a JSON string such as \"19.99\", "
            f"not {type(value).__name__}", field=field)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidArgument(f"field {field!r}: {value!r} is not a decimal number", field=field) from None
    if not number.is_finite():
        raise InvalidArgument(f"field {field!r}: {value!r} is not a finite decimal", field=field)
    return number


@dataclass(frozen=True)
class Schema:
    """The declared types of an entity's fields, by dotted path."""

    key_field: str
    types: Mapping[str, FieldType]

    # -- wire JSON → internal ---------------------------------------------------------------
    def decode(self, body: Mapping[str, Any]) -> Body:
        """Validate a caller's document and convert typed fields; the key field is removed."""
        out = {k: v for k, v in body.items() if k != self.key_field}
        for path, ftype in self.types.items():
            self._convert_at(out, path.split("."), path, ftype)
        return out

    def decode_value(self, path: str, value: Any) -> Any:
        """Convert one value addressed by ``path`` (update operands, filter operands)."""
        ftype = self.types.get(path)
        if ftype is None:
            return _decimal_floats(value)
        return _inbound(value, ftype, path)

    def _convert_at(self, obj: Any, parts: list[str], path: str, ftype: FieldType) -> None:
        if not isinstance(obj, dict) or parts[0] not in obj:
            return
        if len(parts) > 1:
            self._convert_at(obj[parts[0]], parts[1:], path, ftype)
        else:
            obj[parts[0]] = _inbound(obj[parts[0]], ftype, path)

    # -- store JSON → internal ---------------------------------------------------------------
    def restore(self, body: Mapping[str, Any]) -> Body:
        """Bring a body read from a store back to internal types (numbers parsed as Decimal)."""
        out = {k: _restore_plain(v) for k, v in body.items() if k != self.key_field}
        for path, ftype in self.types.items():
            if ftype in (FieldType.DECIMAL, FieldType.TIMESTAMP):
                self._restore_at(out, path.split("."), ftype, body, path)
        return out

    def _restore_at(self, obj: Any, parts: list[str], ftype: FieldType, raw: Any, path: str) -> None:
        if not isinstance(obj, dict) or parts[0] not in obj or not isinstance(raw, Mapping):
            return
        if len(parts) > 1:
            self._restore_at(obj[parts[0]], parts[1:], ftype, raw.get(parts[0]), path)
            return
        value = raw[parts[0]]
        if value is None:
            obj[parts[0]] = None
        elif ftype is FieldType.DECIMAL:
            obj[parts[0]] = value if isinstance(value, Decimal) else Decimal(str(value))
        elif isinstance(value, dt.datetime):
            obj[parts[0]] = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        else:
            obj[parts[0]] = parse_timestamp(str(value), path)

    # -- internal → wire JSON ------------------------------------------------------------------
    def encode(self, key: str, body: Body) -> bytes:
        doc = {self.key_field: self.wire_key(key), **body}
        return json.dumps(doc, default=_wire_default, ensure_ascii=False, separators=(",", ":")).encode()

    def wire_key(self, key: str) -> Any:
        return int(key) if self.types.get(self.key_field) is FieldType.INT else key


def _inbound(value: Any, ftype: FieldType, path: str) -> Any:
    if value is None:
        return None
    if ftype is FieldType.DECIMAL:
        return parse_decimal(value, path)
    if ftype is FieldType.TIMESTAMP:
        if not isinstance(value, str):
            raise InvalidArgument(f"field {path!r} is a timestamp and must be an RFC 3339 string", field=path)
        return parse_timestamp(value, path)
    ok = {
        FieldType.STRING: lambda v: isinstance(v, str),
        FieldType.INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
        FieldType.FLOAT: lambda v: isinstance(v, (int, float, Decimal)) and not isinstance(v, bool),
        FieldType.BOOL: lambda v: isinstance(v, bool),
        FieldType.OBJECT: lambda v: isinstance(v, dict),
        FieldType.ARRAY: lambda v: isinstance(v, list),
    }[ftype](value)
    if not ok:
        raise InvalidArgument(f"field {path!r} must be of type {ftype.value}", field=path)
    return _decimal_floats(value) if ftype is FieldType.FLOAT else value


def _decimal_floats(value: Any) -> Any:
    """Undeclared non-integer numbers are floats inside (a JSON number is a double unless declared)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidArgument("numbers must be finite")
    return value


def _restore_plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _restore_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_plain(v) for v in value]
    return value


def _wire_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def walk(body: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a body with its dotted path (objects recurse; arrays are leaves)."""
    if isinstance(body, dict) and body:
        for k, v in body.items():
            yield from walk(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix, body


_RAW = re.compile(r'"\\u0000n:([-+0-9.Ee]+)\\u0000"')


def dumps_store(body: Any) -> str:
    """JSON text for a store: decimals as exact JSON numbers, timestamps as fixed-width UTC text."""
    return _RAW.sub(r"\1", json.dumps(_for_store(body), ensure_ascii=True, separators=(",", ":")))


def _for_store(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"\x00n:{value}\x00"
    if isinstance(value, dt.datetime):
        return storage_timestamp(value)
    if isinstance(value, dict):
        return {k: _for_store(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_store(v) for v in value]
    return value


def loads_store(text: str | bytes) -> Any:
    """Inverse of `dumps_store` before `Schema.restore`: non-integer numbers come back as Decimal."""
    return json.loads(text, parse_float=Decimal)
