"""Requests in, responses out: every field of every request is validated here, before routing.

Errors name the offending field. Nothing from a request reaches a store as text: values become
typed Python values (bound as parameters by the backends) and paths become validated `FieldPath`s.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from proxy._gen.dataaccess.v1 import data_access_pb2 as pb
from proxy.config.model import Limits
from proxy.errors import InvalidArgument, ResourceExhausted
from proxy.models import Body, Condition, Document, FieldPath, Op, Order, Precondition, Update
from proxy.schema import FieldType, Schema

MAX_KEY_BYTES = 1024
MAX_DEPTH = 32
MAX_IN = 1000
MAX_TEXT = 1000
_OPS = {pb.OPERATOR_EQ: Op.EQ, pb.OPERATOR_NE: Op.NE, pb.OPERATOR_LT: Op.LT, pb.OPERATOR_LTE: Op.LTE,
        pb.OPERATOR_GT: Op.GT, pb.OPERATOR_GTE: Op.GTE, pb.OPERATOR_IN: Op.IN, pb.OPERATOR_EXISTS: Op.EXISTS,
        pb.OPERATOR_PREFIX: Op.PREFIX}


def key(value: str, schema: Schema, field: str = "key") -> str:
    if not value:
        raise InvalidArgument(f"{field} must not be empty", field=field)
    if len(value.encode()) > MAX_KEY_BYTES:
        raise InvalidArgument(f"{field} is longer than {MAX_KEY_BYTES} bytes", field=field)
    if any(ord(c) < 0x20 for c in value):
        raise InvalidArgument(f"{field} must not contain control characters", field=field)
    if schema.types.get(schema.key_field) is FieldType.INT and not value.lstrip("-").isdigit():
        raise InvalidArgument(f"{field} {value!r} must be an integer for this entity", field=field)
    return value


def keys(values: Sequence[str], schema: Schema, limits: Limits) -> list[str]:
    if not values:
        raise InvalidArgument("keys must not be empty", field="keys")
    if len(values) > limits.max_batch:
        raise InvalidArgument(f"{len(values)} keys is over the maximum of {limits.max_batch}", field="keys")
    return [key(v, schema, "keys") for v in values]


def json_value(raw: bytes, field: str) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidArgument(f"{field} is not valid UTF-8", field=field) from None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, RecursionError) as e:
        raise InvalidArgument(f"{field} is not valid JSON: {getattr(e, 'msg', 'too deeply nested')}",
                              field=field) from None
    _check_value(value, field, 0)
    return value


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def _check_value(value: Any, field: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InvalidArgument(f"{field} is nested deeper than {MAX_DEPTH} levels", field=field)
    if isinstance(value, dict):
        for k, v in value.items():
            if not k or k.startswith("$") or "." in k or "\x00" in k:
                raise InvalidArgument(
                    f"{field}: field name {k!r} is not allowed (empty, starts with '$', or contains '.' or NUL)",
                    field=field)
            _check_value(v, field, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_value(v, field, depth + 1)


def document(raw: bytes, doc_key: str, schema: Schema, limits: Limits, field: str = "json") -> Body:
    if len(raw) > limits.max_document_bytes:
        raise ResourceExhausted(
            f"{field} is {len(raw)} bytes, over the limit of {limits.max_document_bytes} bytes", field=field)
    value = json_value(raw, field)
    if not isinstance(value, dict):
        raise InvalidArgument(f"{field} must be a JSON object, not {type(value).__name__}", field=field)
    if schema.key_field in value and str(value[schema.key_field]) != doc_key:
        raise InvalidArgument(f"{field}.{schema.key_field} differs from key {doc_key!r}", field=schema.key_field)
    return schema.decode(value)


def precondition(p: pb.Precondition | None) -> Precondition:
    if p is None:
        return Precondition()
    if p.expected_version < 0:
        raise InvalidArgument("precondition.expected_version must not be negative", field="expected_version")
    if p.must_not_exist and (p.must_exist or p.expected_version):
        raise InvalidArgument("precondition.must_not_exist cannot be combined with must_exist or expected_version",
                              field="precondition")
    return Precondition(p.expected_version, p.must_exist, p.must_not_exist)


def conditions(f: pb.Filter, schema: Schema, field: str) -> tuple[Condition, ...]:
    return tuple(_condition(c, schema, f"{field}.all[{i}]") for i, c in enumerate(f.all))


def _condition(c: pb.Condition, schema: Schema, field: str) -> Condition:
    path = FieldPath.parse(c.path, f"{field}.path")
    op = _OPS.get(c.op)
    if op is None:
        raise InvalidArgument(f"{field}.op must be set to an operator", field=f"{field}.op")
    value = json_value(c.json, f"{field}.json")
    p = path.dotted
    if op is Op.IN:
        if not isinstance(value, list) or len(value) > MAX_IN:
            raise InvalidArgument(f"{field}.json must be a JSON array of at most {MAX_IN} values for IN",
                                  field=f"{field}.json")
        return Condition(path, op, tuple(_operand(schema, p, v, field) for v in value))
    if op is Op.EXISTS:
        if not isinstance(value, bool):
            raise InvalidArgument(f"{field}.json must be true or false for EXISTS", field=f"{field}.json")
        return Condition(path, op, value)
    if op is Op.PREFIX:
        if not isinstance(value, str) or not value:
            raise InvalidArgument(f"{field}.json must be a non-empty string for PREFIX", field=f"{field}.json")
        return Condition(path, op, value)
    return Condition(path, op, _operand(schema, p, value, field))


def _operand(schema: Schema, path: str, value: Any, field: str) -> Any:
    if isinstance(value, (dict, list)):
        raise InvalidArgument(f"{field}.json must be a scalar (string, number, boolean or null)",
                              field=f"{field}.json")
    return schema.decode_value(path, value) if value is not None else None


def update(req: pb.UpdateRequest, schema: Schema) -> Update:
    sets = tuple(_set(fv, schema, f"set[{i}]") for i, fv in enumerate(req.set))
    unset = tuple(FieldPath.parse(p, f"unset[{i}]") for i, p in enumerate(req.unset))
    incs = tuple(_increment(inc, schema, f"increment[{i}]") for i, inc in enumerate(req.increment))
    if not (sets or unset or incs):
        raise InvalidArgument("update has no set, unset or increment", field="set")
    touched = [p.dotted for p, _ in sets] + [p.dotted for p in unset] + [p.dotted for p, _ in incs]
    if schema.key_field in touched:
        raise InvalidArgument(f"the key field {schema.key_field!r} cannot be updated", field=schema.key_field)
    dupes = {p for p in touched if touched.count(p) > 1}
    if dupes:
        raise InvalidArgument(f"path {sorted(dupes)[0]!r} appears in more than one operation", field="set")
    return Update(sets, unset, incs, conditions(req.condition, schema, "condition"),
                  precondition(req.precondition if req.HasField("precondition") else None))


def _set(fv: pb.FieldValue, schema: Schema, field: str) -> tuple[FieldPath, Any]:
    path = FieldPath.parse(fv.path, f"{field}.path")
    value = json_value(fv.json, f"{field}.json")
    if path.dotted in schema.types:
        return path, schema.decode_value(path.dotted, value)
    nested: Any = value  # typed fields inside an object being set are converted like a whole document
    for part in reversed(path.parts):
        nested = {part: nested}
    decoded: Any = schema.decode(nested)
    for part in path.parts:
        decoded = decoded[part]
    return path, decoded


def _increment(inc: pb.Increment, schema: Schema, field: str) -> tuple[FieldPath, Any]:
    path = FieldPath.parse(inc.path, f"{field}.path")
    value = json_value(inc.json, f"{field}.json")
    if schema.types.get(path.dotted) is FieldType.DECIMAL:
        return path, schema.decode_value(path.dotted, value if isinstance(value, str) else str(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"{field}.json must be a JSON number", field=f"{field}.json")
    return path, value


def orders(items: Sequence[pb.Order]) -> tuple[Order, ...]:
    if len(items) > 4:
        raise InvalidArgument("at most 4 order fields", field="order")
    return tuple(Order(FieldPath.parse(o.path, f"order[{i}].path"), o.descending) for i, o in enumerate(items))


def limit(value: int, limits: Limits) -> int:
    if value < 0:
        raise InvalidArgument("limit must not be negative", field="limit")
    if value > limits.max_page_size:
        raise InvalidArgument(f"limit {value} is over the maximum page size of {limits.max_page_size}",
                              field="limit")
    return value or limits.default_page_size


def search_text(text: str) -> str:
    if not text.strip():
        raise InvalidArgument("text must not be empty", field="text")
    if len(text) > MAX_TEXT:
        raise InvalidArgument(f"text is longer than {MAX_TEXT} characters", field="text")
    return text


# -- page tokens: opaque, bound to the query that produced them ----------------------------------
def fingerprint(entity: str, request: Any) -> str:
    clone = type(request)()
    clone.CopyFrom(request)
    clone.page_token = ""
    clone.limit = 0
    return hashlib.blake2b(entity.encode() + clone.SerializeToString(deterministic=True), digest_size=8).hexdigest()


def encode_token(fp: str, cursor: bytes | None) -> str:
    if cursor is None:
        return ""
    payload = json.dumps({"v": 1, "q": fp, "c": base64.b64encode(cursor).decode()})
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_token(token: str, fp: str) -> bytes | None:
    if not token:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if payload.get("v") != 1 or not isinstance(payload.get("q"), str):
            raise ValueError
        cursor = base64.b64decode(payload["c"], validate=True)
    except (ValueError, binascii.Error, TypeError, AttributeError, KeyError):
        raise InvalidArgument("page_token is malformed", field="page_token") from None
    if payload["q"] != fp:
        raise InvalidArgument("page_token belongs to a different query", field="page_token")
    return cursor


def out(doc: Document, schema: Schema) -> pb.Document:
    return pb.Document(key=doc.key, json=schema.encode(doc.key, doc.body), version=doc.version)
