"""The seed's rules file, rendered for one step of a migration (the demo) or one test.

`rules.yaml` is the source of truth; `render` changes only what a step or a test needs — phases,
sampling, and store-level names that keep concurrent runs apart — and `write` swaps the file in
atomically, so a proxy polling it never reads half a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
RULES = HERE / "rules.yaml"
SCHEMA = HERE / "schema.sql"
ENTITIES = ("user", "product", "order", "payment", "inventory", "notification", "search_document")
MIGRATING = ("product", "notification", "inventory", "search_document")
"""The entities the seed moves off PostgreSQL; the others stay `off` there."""
SERVICES = {
    "user": "userservice", "product": "productservice", "order": "orderservice", "payment": "paymentservice",
    "inventory": "inventoryservice", "notification": "notificationservice", "search_document": "searchservice",
}
"""Which service owns (and calls the proxy for) each entity — the callers allow-lists name them."""


def load() -> dict[str, Any]:
    rules: dict[str, Any] = yaml.safe_load(RULES.read_text())
    return rules


def render(phases: Mapping[str, str] | None = None, *, sample: float | None = None, tag: str = "",
           entities: tuple[str, ...] | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """rules.yaml with ``phases`` ({entity: phase}) applied.

    ``sample`` sets the shadow sample of every entity that has a new store. ``tag`` names a private
    MongoDB database, DynamoDB table prefix and OpenSearch index prefix (PostgreSQL isolation is a
    database of its own, chosen by the DSN). ``entities`` keeps only those, and the stores they use.
    ``overrides`` merges keys into entities' blocks.
    """
    rules = load()
    ents: dict[str, Any] = rules["entities"]
    for name, phase in (phases or {}).items():
        ents[name]["phase"] = phase
    for name, extra in (overrides or {}).items():
        ents[name] = {**ents.get(name, {}), **extra}
    if sample is not None:
        for e in ents.values():
            if e.get("new"):
                e.setdefault("reads", {})["shadow_sample"] = sample
    if entities is not None:  # and only the stores they use: a test need not start the others
        rules["entities"] = {k: v for k, v in ents.items() if k in entities}
        used = {rules["journal"]["backend"]} | {m["backend"] for e in rules["entities"].values()
                                                 for m in (e["old"], e.get("new")) if m}
        rules["backends"] = {k: v for k, v in rules["backends"].items() if k in used}
    if tag:
        for b in rules["backends"].values():
            if b["kind"] == "mongodb":
                b["database"] = f"{b['database']}_{tag}"
            elif b["kind"] == "dynamodb":
                b["table_prefix"] = f"{tag}_"
            elif b["kind"] == "opensearch":
                b["index_prefix"] = f"{tag}-"
    header = "# rendered from examples/seed/rules.yaml by examples.seed.config.render\n"
    return header + yaml.safe_dump(rules, sort_keys=False, width=120)


def rules_version(text: str) -> str:
    """The version a proxy reports for these rules (Admin GetConfig, the x-dataaccess-rules trailer)."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def write(path: Path, text: str) -> str:
    """Replace ``path`` atomically with ``text``; returns the rules version the proxy will report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
    return rules_version(text)
