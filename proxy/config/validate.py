"""Whole-config checks. Every issue is collected with its path; a config with any issue is
rejected whole (at start-up: exit non-zero listing them; on reload: the last good config stays)."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from proxy.backends.registry import backend_class
from proxy.config.model import Config, StoreMapping
from proxy.errors import ConfigError
from proxy.routing.phases import Phase, step_allowed
from proxy.schema import FieldType

JOURNAL_KINDS = {"postgres", "sqlite", "memory", "mongodb"}


def parse(text: str, previous: Config | None = None) -> Config:
    """YAML text → a checked `Config`, or `ConfigError` listing every issue."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "yaml"
        raise ConfigError([f"{where}: not valid YAML ({getattr(e, 'problem', e)})"]) from None
    if not isinstance(raw, dict):
        raise ConfigError(["(root): the config must be a mapping"])
    try:
        config = Config.model_validate(raw)
    except ValidationError as e:
        raise ConfigError([_pydantic_issue(err) for err in e.errors()]) from None
    issues = check(config, previous)
    if issues:
        raise ConfigError(issues)
    return config


def _pydantic_issue(err: Any) -> str:
    loc = ".".join(str(p) for p in err["loc"]) or "(root)"
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    return f"{loc}: {msg}"


def check(config: Config, previous: Config | None = None) -> list[str]:
    issues: list[str] = []
    add = issues.append
    kinds: dict[str, str] = {name: b.kind for name, b in config.backends.items()}
    for name, b in config.backends.items():
        at = f"backends.{name}"
        need = {"postgres": ("dsn_env", "dsn_file"), "mongodb": ("uri_env", "uri_file"),
                "opensearch": ("hosts_env", "hosts_file")}.get(b.kind, ())
        if need and not any(getattr(b, n) for n in need):
            add(f"{at}: a {b.kind} backend needs {' or '.join(need)}")
        if b.kind == "mongodb" and not b.database:
            add(f"{at}.database: required for mongodb")
        if b.kind == "dynamodb" and not b.region:
            add(f"{at}.region: required for dynamodb")
    if config.journal.backend not in kinds:
        add(f"journal.backend: unknown backend {config.journal.backend!r}")
    elif kinds[config.journal.backend] not in JOURNAL_KINDS:
        add(f"journal.backend: a {kinds[config.journal.backend]} backend cannot hold the journal "
            f"(use one of {', '.join(sorted(JOURNAL_KINDS))})")
    for name, e in config.entities.items():
        at = f"entities.{name}"
        key_type = e.fields.get(e.key)
        if key_type not in (None, FieldType.STRING, FieldType.INT):
            add(f"{at}.fields.{e.key}: the key must be a string or int, not {key_type.value}")
        _mapping(issues, f"{at}.old", e.old, kinds)
        if e.new is not None:
            _mapping(issues, f"{at}.new", e.new, kinds)
            if e.new.backend == e.old.backend and e.new.model_dump() == e.old.model_dump():
                add(f"{at}.new: is the same store and table as old")
        elif e.phase is not Phase.OFF:
            add(f"{at}.phase: phase {e.phase.value!r} needs a `new` store")
        if e.search.fields:
            for m in (e.old, e.new):
                if m is not None and m.backend in kinds and not backend_class(kinds[m.backend]).capabilities.search:
                    add(f"{at}.search: backend {m.backend!r} ({kinds[m.backend]}) has no full-text search")
        if e.callers is not None and not all(c.strip() for c in e.callers):
            add(f"{at}.callers: caller names must not be empty")
        if previous is not None and name in previous.entities:
            before = previous.entities[name].phase
            if not step_allowed(before, e.phase) and not e.force:
                add(f"{at}.phase: {before.value} → {e.phase.value} skips steps; move one step at a time "
                    "or set force: true")
    return issues


def _mapping(issues: list[str], at: str, m: StoreMapping, kinds: dict[str, str]) -> None:
    if m.backend not in kinds:
        issues.append(f"{at}.backend: unknown backend {m.backend!r}")
        return
    for issue in backend_class(kinds[m.backend]).check_mapping(m.model_dump(exclude_none=True, by_alias=True)):
        issues.append(f"{at}.{issue}")
