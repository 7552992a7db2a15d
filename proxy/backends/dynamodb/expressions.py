"""Expression placeholders and filter conditions, held to `proxy.backends.match`.

Every attribute name and path segment becomes an ``#nK`` placeholder and every value a ``:vK``
placeholder (`Expr`); expression text is built only from our own keywords and those placeholders,
never from request data. Placeholders are created only for text that is actually emitted, because
DynamoDB refuses unused ones.

A condition translates **exactly** or not at all (`condition` returns None). Exact means: DynamoDB
says true for a document if and only if `match.holds` does. Each comparison carries an
``attribute_type`` guard, so it only ever compares values of the operand's own type — `match` never
compares across types, DynamoDB would refuse or disagree, and its paths, like `match.lookup`, only
walk maps. What cannot be translated exactly (equality with an object or a list, a non-text prefix,
an empty ``in``) is left to the caller: queries evaluate it in Python on what the store returns;
updates take the read-and-compare-and-set path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from proxy.backends.dynamodb.codec import Attr, encode
from proxy.models import Condition, FieldPath, Op

PK, VERSION, DELETED, BODY, FLOATS = "pk", "v", "deleted", "d", "f"
"""The item layout: key, version, tombstone flag, body map, float-mark map."""
INDEX_PREFIX = "ix_"
"""Prefix of a declared index's GSI name and of the top-level attribute that mirrors its field."""

_COMPARE = {Op.LT: "<", Op.LTE: "<=", Op.GT: ">", Op.GTE: ">="}


class Expr:
    """The placeholders of one request (shared by its update, condition and filter expressions)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._values: dict[str, Attr] = {}

    def name(self, name: str) -> str:
        placeholder = self._names.get(name)
        if placeholder is None:
            placeholder = self._names[name] = f"#n{len(self._names)}"
        return placeholder

    def path(self, *segments: str) -> str:
        return ".".join(self.name(s) for s in segments)

    def body(self, path: FieldPath | Sequence[str]) -> str:
        """A body field: bodies live under ``d``, so no user name meets ours."""
        return self.path(BODY, *(path.parts if isinstance(path, FieldPath) else path))

    def value(self, attr: Attr) -> str:
        placeholder = f":v{len(self._values)}"
        self._values[placeholder] = attr
        return placeholder

    def type_is(self, path: str, kind: str) -> str:
        return f"attribute_type({path}, {self.value({'S': kind})})"

    def live(self) -> str:
        return f"{self.name(DELETED)} = {self.value({'BOOL': False})}"

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self._names:
            out["ExpressionAttributeNames"] = {p: n for n, p in self._names.items()}
        if self._values:
            out["ExpressionAttributeValues"] = dict(self._values)
        return out


def operand(value: Any, field: str) -> Attr | None:
    """A scalar operand as an AttributeValue (None: objects and lists, which are not compared here)."""
    if isinstance(value, (dict, list, tuple)):
        return None
    return encode(value, field)


def _kind(attr: Attr) -> str:
    return next(iter(attr))


def _equal(e: Expr, path: FieldPath, attr: Attr) -> str:
    p = e.body(path)
    if "NULL" in attr:
        return e.type_is(p, "NULL")
    return f"({e.type_is(p, _kind(attr))} AND {p} = {e.value(attr)})"


def condition(e: Expr, c: Condition) -> str | None:
    """``c`` as condition text, or None when it has no exact translation."""
    field = str(c.path)
    if c.op is Op.EXISTS:
        p = e.body(c.path)
        return f"attribute_exists({p})" if c.value else f"attribute_not_exists({p})"
    if c.op in (Op.EQ, Op.NE):
        attr = operand(c.value, field)
        if attr is None:
            return None
        eq = _equal(e, c.path, attr)
        return eq if c.op is Op.EQ else f"(NOT {eq})"
    if c.op is Op.IN:
        attrs = [operand(v, field) for v in c.value]
        if not attrs or any(a is None for a in attrs):
            return None
        return "(" + " OR ".join(_equal(e, c.path, a) for a in attrs if a is not None) + ")"
    if c.op is Op.PREFIX:
        if not isinstance(c.value, str):
            return None
        p = e.body(c.path)
        if not c.value:
            return e.type_is(p, "S")
        return f"begins_with({p}, {e.value(encode(c.value, field))})"
    attr = operand(c.value, field)
    if attr is None or _kind(attr) not in ("N", "S"):  # null, bool: `match._comparable` never holds
        return None
    p = e.body(c.path)
    return f"({e.type_is(p, _kind(attr))} AND {p} {_COMPARE[c.op]} {e.value(attr)})"


def conditions(e: Expr, items: Sequence[Condition]) -> tuple[list[str], bool]:
    """The translatable conditions' texts, and whether every condition was translated."""
    texts = [condition(e, c) for c in items]
    return [t for t in texts if t is not None], all(t is not None for t in texts)
