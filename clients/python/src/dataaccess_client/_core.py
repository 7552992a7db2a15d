"""Request building and response parsing shared by the async and sync clients."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dataaccess_client._gen.dataaccess.v1 import data_access_pb2 as pb

OPS = {"eq": pb.OPERATOR_EQ, "ne": pb.OPERATOR_NE, "lt": pb.OPERATOR_LT, "lte": pb.OPERATOR_LTE,
       "gt": pb.OPERATOR_GT, "gte": pb.OPERATOR_GTE, "in": pb.OPERATOR_IN, "exists": pb.OPERATOR_EXISTS,
       "prefix": pb.OPERATOR_PREFIX}
Condition = tuple[str, str, Any]
"""``(path, op, value)``, e.g. ``("quantity", "gte", 1)``; op is one of eq ne lt lte gt gte in exists prefix."""


@dataclass(frozen=True)
class Document:
    """A document as stored: its key, its fields (non-integer numbers as `Decimal`), its version."""

    key: str
    data: dict[str, Any]
    version: int


@dataclass(frozen=True)
class Page:
    documents: list[Document]
    next_page_token: str


def dumps(value: Any) -> bytes:
    """JSON for the wire: `Decimal` travels as a string (decimal fields are declared as such)."""
    def default(v: Any) -> Any:
        if isinstance(v, Decimal):
            return str(v)
        if hasattr(v, "isoformat"):
            return v.isoformat()
        raise TypeError(f"cannot send {type(v).__name__} as JSON")
    return json.dumps(value, default=default, ensure_ascii=False, separators=(",", ":")).encode()


def loads(raw: bytes) -> Any:
    return json.loads(raw, parse_float=Decimal)


def doc(d: pb.Document) -> Document:
    return Document(d.key, loads(d.json), d.version)


def conditions(items: Iterable[Condition] | None) -> pb.Filter:
    out = pb.Filter()
    for path, op, value in items or ():
        if op not in OPS:
            raise ValueError(f"unknown operator {op!r}; use one of {', '.join(OPS)}")
        out.all.append(pb.Condition(path=path, op=OPS[op], json=dumps(value)))
    return out


def precondition(expected_version: int, must_not_exist: bool, must_exist: bool) -> pb.Precondition | None:
    if not (expected_version or must_not_exist or must_exist):
        return None
    return pb.Precondition(expected_version=expected_version, must_not_exist=must_not_exist, must_exist=must_exist)


def update_request(entity: str, key: str, set: Mapping[str, Any] | None, unset: Sequence[str] | None,
                   increment: Mapping[str, Any] | None, condition: Iterable[Condition] | None,
                   expected_version: int) -> pb.UpdateRequest:
    return pb.UpdateRequest(
        entity=entity, key=key,
        set=[pb.FieldValue(path=p, json=dumps(v)) for p, v in (set or {}).items()],
        unset=list(unset or ()),
        increment=[pb.Increment(path=p, json=dumps(v)) for p, v in (increment or {}).items()],
        condition=conditions(condition), precondition=precondition(expected_version, False, False))


def query_request(entity: str, filter: Iterable[Condition] | None, order: Sequence[tuple[str, bool] | str] | None,
                  limit: int, page_token: str) -> pb.QueryRequest:
    orders = [pb.Order(path=o, descending=False) if isinstance(o, str) else pb.Order(path=o[0], descending=o[1])
              for o in order or ()]
    return pb.QueryRequest(entity=entity, filter=conditions(filter), order=orders, limit=limit,
                           page_token=page_token)
