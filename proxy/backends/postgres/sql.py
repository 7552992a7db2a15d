"""SQL building for the PostgreSQL backend. Identifiers come from config (validated, quoted);
every value from a request is a numbered bind parameter, cast to the column's catalog type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from proxy.errors import InvalidArgument
from proxy.models import Condition, FieldPath, Op, Order, Update
from proxy.schema import dumps_store

JSONB = ("jsonb", "json")


def ident(name: str) -> str:
    # Names are validated as [A-Za-z_][A-Za-z0-9_]* by the config model; quote anyway.
    assert name.replace("_", "a").isalnum(), name
    return f'"{name}"'


def text_value(value: Any) -> str | None:
    """A Python value as the text PostgreSQL casts into the column type (`$n::text::type`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, str)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return dumps_store(value)


@dataclass
class Params:
    values: list[Any] = field(default_factory=list)

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


@dataclass(frozen=True)
class Layout:
    """How an entity maps onto one table: key, version, mapped columns, one jsonb for the rest."""

    table: str  # qualified, quoted
    table_name: str  # for the tombstone table's `tbl` column
    tombstones: str  # qualified, quoted
    key: str
    key_type: str
    version: str
    columns: dict[str, tuple[str, str]]  # field → (column, catalog type)
    extra: str | None

    def body_sql(self, alias: str = "t") -> str:
        """A jsonb expression of the whole body (mapped columns win over the extra column)."""
        base = f"COALESCE({alias}.{ident(self.extra)}, '{{}}'::jsonb)" if self.extra else "'{}'::jsonb"
        if not self.columns:
            return base
        pairs = ", ".join(f"'{f}', {alias}.{ident(c)}" for f, (c, _) in self.columns.items())
        return f"({base} || jsonb_build_object({pairs}))"

    def target(self, path: FieldPath) -> tuple[str, str, tuple[str, ...]]:
        """(column, type, path inside the column) that stores ``path``."""
        head = path.parts[0]
        if head in self.columns:
            col, typ = self.columns[head]
            if len(path.parts) > 1 and typ not in JSONB:
                raise InvalidArgument(f"{path}: column {col} is not a JSON column", field=str(path))
            return col, typ, path.parts[1:]
        if self.extra is None:
            raise InvalidArgument(f"field {head!r} has no column in this table and no extra column is configured",
                                  field=str(path))
        return self.extra, "jsonb", path.parts

    def expr(self, path: FieldPath, alias: str, params: Params) -> tuple[str, str]:
        """(SQL expression, type) reading ``path``; type "jsonb" for JSON values."""
        col, typ, inner = self.target(path)
        ref = f"{alias}.{ident(col)}"
        if not inner:
            return (ref, typ) if typ not in JSONB else (f"{ref}::jsonb", "jsonb")
        return f"({ref}::jsonb #> {params.add(list(inner))}::text[])", "jsonb"


def condition_sql(layout: Layout, c: Condition, params: Params, alias: str = "t") -> str:
    try:
        e, typ = layout.expr(c.path, alias, params)
    except InvalidArgument:
        if layout.extra is None and c.path.parts[0] not in layout.columns:
            # a field this table cannot hold is absent from every row
            return "TRUE" if c.op is Op.NE or (c.op is Op.EXISTS and not c.value) else "FALSE"
        raise
    if c.op is Op.EXISTS:
        return f"(({e}) IS NOT NULL) = {params.add(bool(c.value))}::boolean"
    if c.op is Op.PREFIX:
        s = f"({e} #>> '{{}}')" if typ == "jsonb" else f"({e})::text"
        guard = f"jsonb_typeof({e}) = 'string' AND " if typ == "jsonb" else ""
        return f"({guard}starts_with({s}, {params.add(c.value)}::text))"
    if typ == "jsonb":
        if c.op is Op.IN:
            return f"({e} = ANY(ARRAY(SELECT jsonb_array_elements({params.add(dumps_store(list(c.value)))}::jsonb))))"
        v = f"{params.add(dumps_store(c.value))}::jsonb"
        if c.op is Op.EQ:
            return f"({e} = {v})"
        if c.op is Op.NE:
            return f"({e} IS NULL OR {e} <> {v})"
        sym = {Op.LT: "<", Op.LTE: "<=", Op.GT: ">", Op.GTE: ">="}[c.op]
        return (f"(jsonb_typeof({e}) = jsonb_typeof({v}) AND jsonb_typeof({v}) IN ('number', 'string') "
                f"AND {e} {sym} {v})")
    if c.op is Op.IN:
        fits = [x for x in c.value if _fits(typ, x)]
        return f"({e} = ANY({params.add([text_value(x) for x in fits])}::text[]::{typ}[]))" if fits else "FALSE"
    if c.value is not None and not _fits(typ, c.value):
        return f"({e} IS NULL OR TRUE)" if c.op is Op.NE else "FALSE"  # other types never compare equal
    if c.value is None:
        return {Op.EQ: f"({e} IS NULL)", Op.NE: f"({e} IS NOT NULL)"}.get(c.op, "FALSE")
    v = f"{params.add(text_value(c.value))}::text::{typ}"
    if c.op is Op.EQ:
        return f"({e} = {v})"
    if c.op is Op.NE:
        return f"({e} IS NULL OR {e} <> {v})"
    return f"({e} {({Op.LT: '<', Op.LTE: '<=', Op.GT: '>', Op.GTE: '>='})[c.op]} {v})"


_NUMERIC = ("smallint", "integer", "bigint", "numeric", "real", "double precision")
_TEXT = ("text", "character", "uuid")


def _fits(typ: str, value: Any) -> bool:
    """Whether a typed column can hold ``value`` (else no row compares equal or ordered to it)."""
    if typ.startswith(_NUMERIC):
        return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if typ.startswith(_TEXT):
        return isinstance(value, str)
    if typ == "boolean":
        return isinstance(value, bool)
    if typ.startswith("timestamp") or typ == "date":
        return isinstance(value, dt.datetime)
    return True


def where_sql(layout: Layout, conditions: tuple[Condition, ...], params: Params, alias: str = "t") -> str:
    return " AND ".join(condition_sql(layout, c, params, alias) for c in conditions) or "TRUE"


def order_sql(layout: Layout, order: tuple[Order, ...], params: Params, alias: str = "t") -> str:
    parts = []
    for o in order:
        e, typ = layout.expr(o.path, alias, params)
        if typ == "jsonb":
            e = f"NULLIF({e}, 'null'::jsonb)"
        parts.append(f"{e} {'DESC NULLS FIRST' if o.descending else 'ASC NULLS LAST'}")
    parts.append(f"{alias}.{ident(layout.key)}::text COLLATE \"C\" ASC")
    return ", ".join(parts)


def _json_set(expr: str, inner: tuple[str, ...], value_sql: str, params: Params) -> str:
    """``expr`` with ``value_sql`` at ``inner``, creating missing parent objects on the way."""
    for i in range(1, len(inner)):
        p = params.add(list(inner[:i]))
        expr = f"jsonb_set({expr}, {p}::text[], COALESCE({expr} #> {p}::text[], '{{}}'::jsonb), true)"
    return f"jsonb_set({expr}, {params.add(list(inner))}::text[], {value_sql}, true)"


def assignments(layout: Layout, update: Update, params: Params, alias: str = "t") -> list[str]:
    """SET clauses applying set / unset / increment, each column assigned once."""
    exprs: dict[str, str] = {}

    def current(col: str, typ: str) -> str:
        default = f"COALESCE({alias}.{ident(col)}::jsonb, '{{}}'::jsonb)" if typ in JSONB else f"{alias}.{ident(col)}"
        return exprs.get(col, default)

    for path, value in update.set:
        col, typ, inner = layout.target(path)
        if inner:
            exprs[col] = _json_set(current(col, typ), inner, f"{params.add(dumps_store(value))}::jsonb", params)
        elif typ in JSONB:
            exprs[col] = f"{params.add(dumps_store(value))}::jsonb"
        else:
            exprs[col] = f"{params.add(text_value(value))}::text::{typ}"
    for path in update.unset:
        col, typ, inner = layout.target(path)
        exprs[col] = f"({current(col, typ)} #- {params.add(list(inner))}::text[])" if inner else "NULL"
    for path, amount in update.increment:
        col, typ, inner = layout.target(path)
        if inner:
            cur = f"({alias}.{ident(col)}::jsonb #>> {params.add(list(inner))}::text[])::numeric"
            new = f"to_jsonb(COALESCE({cur}, 0) + {params.add(str(amount))}::numeric)"
            exprs[col] = _json_set(current(col, typ), inner, new, params)
        elif typ in JSONB:
            raise InvalidArgument(f"cannot increment {path}: it is a JSON column", field=str(path))
        else:
            exprs[col] = f"COALESCE({alias}.{ident(col)}, 0) + {params.add(str(amount))}::text::{typ}"
    return [f"{ident(col)} = {e}" for col, e in exprs.items()]


def row_values(layout: Layout, body: dict[str, Any], params: Params) -> dict[str, str]:
    """column → SQL placeholder for writing a whole body (absent mapped fields become NULL)."""
    out: dict[str, str] = {}
    for f, (col, typ) in layout.columns.items():
        value = body.get(f)
        if typ in JSONB:
            out[col] = f"{params.add(None if value is None else dumps_store(value))}::jsonb"
        else:
            out[col] = f"{params.add(text_value(value))}::text::{typ}"
    rest = {k: v for k, v in body.items() if k not in layout.columns}
    if layout.extra is not None:
        out[layout.extra] = f"{params.add(dumps_store(rest))}::jsonb"
    elif rest:
        name = sorted(rest)[0]
        raise InvalidArgument(f"field {name!r} has no column in this table and no extra column is configured",
                              field=name)
    return out
