"""Version-aware comparison of the same record as two stores hold it (shadow reads, verify).

Store quirks are normalised away before comparing: decimals by value (``1.50 == 1.5``), integers vs
floats by value, timestamps as UTC instants at the coarser of the two precisions, ObjectId / UUID as
strings, key order, null vs absent (configurable), ignored paths. Redacted paths are compared but
their values are never reported.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any

from proxy.models import Document
from proxy.schema import dumps_store

REDACTED = "<redacted>"
_EXACT = Context(prec=1000)  # normalising must never round (the default context keeps 28 digits)


class Outcome(enum.Enum):
    MATCH = "match"
    MISMATCH = "mismatch"
    STALE = "stale"
    MISSING_NEW = "missing_new"
    MISSING_OLD = "missing_old"
    SHADOW_ERROR = "shadow_error"
    SHED = "shed"


@dataclass(frozen=True)
class CompareRules:
    ignore: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()
    null_equals_absent: bool = True


@dataclass(frozen=True)
class FieldDiff:
    """One differing field; values are JSON text, ``<redacted>``, or None when absent."""

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Comparison:
    key: str
    outcome: Outcome
    diffs: tuple[FieldDiff, ...] = ()
    old_version: int = 0
    new_version: int = 0


def _under(path: str, prefixes: Sequence[str]) -> bool:
    return any(path == p or path.startswith(p + ".") for p in prefixes)


def compare(key: str, old: Document | None, new: Document | None, rules: CompareRules) -> Comparison:
    old_live = old is not None and not old.deleted
    new_live = new is not None and not new.deleted
    ov, nv = (old.version if old else 0), (new.version if new else 0)
    if not old_live and not new_live:
        return Comparison(key, Outcome.MATCH if ov == nv or not (ov and nv) else Outcome.STALE, (), ov, nv)
    if ov and nv and ov != nv:
        return Comparison(key, Outcome.STALE, (), ov, nv)
    if not new_live:
        return Comparison(key, Outcome.MISSING_NEW, (), ov, nv)
    if not old_live:
        return Comparison(key, Outcome.MISSING_OLD, (), ov, nv)
    assert old is not None and new is not None
    diffs = tuple(diff_bodies(old.body, new.body, rules))
    return Comparison(key, Outcome.MISMATCH if diffs else Outcome.MATCH, diffs, ov, nv)


def diff_bodies(old: Any, new: Any, rules: CompareRules) -> list[FieldDiff]:
    out: list[FieldDiff] = []
    _diff(normalize(old, rules.null_equals_absent), normalize(new, rules.null_equals_absent), "", rules, out)
    return out


_ABSENT: Any = object()


def _diff(a: Any, b: Any, path: str, rules: CompareRules, out: list[FieldDiff]) -> None:
    if path and _under(path, rules.ignore):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(a.keys() | b.keys()):
            _diff(a.get(k, _ABSENT), b.get(k, _ABSENT), f"{path}.{k}" if path else k, rules, out)
        return
    if _same(a, b):
        return
    if _under(path, rules.redact):
        out.append(FieldDiff(path, None if a is _ABSENT else REDACTED, None if b is _ABSENT else REDACTED))
    else:
        out.append(FieldDiff(path, _show(a, path, rules.redact), _show(b, path, rules.redact)))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        if a == b:
            return True
        if a.microsecond % 1000 == 0 or b.microsecond % 1000 == 0:  # one side has millisecond precision
            return a.replace(microsecond=a.microsecond // 1000 * 1000) == b.replace(
                microsecond=b.microsecond // 1000 * 1000)
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


def normalize(value: Any, drop_nulls: bool) -> Any:
    """Canonical form for comparison: numbers → normalised Decimal, ids → str, aware UTC times."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        return d.normalize(_EXACT) if d != 0 else Decimal(0)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dict):
        return {str(k): normalize(v, drop_nulls) for k, v in value.items() if not (drop_nulls and v is None)}
    if isinstance(value, (list, tuple)):
        return [normalize(v, drop_nulls) for v in value]
    return str(value)  # ObjectId, UUID, Decimal128 and other driver types


def _show(value: Any, path: str, redact: Sequence[str]) -> str | None:
    if value is _ABSENT:
        return None
    return dumps_store(_masked(value, path, redact))


def _masked(value: Any, path: str, redact: Sequence[str]) -> Any:
    """``value`` (found at ``path``) with every redacted path inside it shown as <redacted> — a
    difference reported at a parent (an object only one side has) must not reveal its secrets."""
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        sub = f"{path}.{k}" if path else str(k)
        out[k] = REDACTED if _under(sub, redact) else _masked(v, sub, redact)
    return out


def overlap(old_keys: Sequence[str], new_keys: Sequence[str], k: int) -> float:
    """Share of the top-k ids that both result lists have (1.0 when both are empty)."""
    a, b = set(old_keys[:k]), set(new_keys[:k])
    if not a and not b:
        return 1.0
    return len(a & b) / max(len(a), len(b))
