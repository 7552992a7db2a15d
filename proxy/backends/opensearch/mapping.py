"""The index an entity lives in: its name, settings and explicit mapping.

Nothing is guessed by OpenSearch (``dynamic: strict`` everywhere): a document carries exactly
the fields below, and a write that does not fit is refused instead of changing the mapping.

====== ============================ ==========================================================
``k``  keyword                      the key (``_id`` cannot be sorted on): scan order, tie-breaks
``v``  long                         the proxy's version
``deleted`` boolean                 true on a tombstone (which has no other field)
``d``  object, ``enabled: false``   the body, verbatim in ``_source``, never parsed into the index
``f``  nested {p, e, o: keyword}    the query projection (`codec`): filters and order
``s``  object of ``text``           one field per configured search field, in the entity's language
``t``  object of native types       declared fields (``fields:`` in the config) for OpenSearch readers
====== ============================ ==========================================================
"""

from __future__ import annotations

from typing import Any

from proxy.backends.base import CollectionSpec
from proxy.backends.opensearch.codec import NESTED_LIMIT, Raw, field_name, typed_mapping
from proxy.errors import InvalidArgument

LAYOUT = 1
"""Recorded in the mapping's ``_meta``; bump when the document layout changes."""

ANALYZERS = frozenset({
    "arabic", "armenian", "basque", "bengali", "brazilian", "bulgarian", "catalan", "czech", "danish",
    "dutch", "english", "estonian", "finnish", "french", "galician", "german", "greek", "hindi", "hungarian",
    "indonesian", "irish", "italian", "latvian", "lithuanian", "norwegian", "persian", "portuguese",
    "romanian", "russian", "sorani", "spanish", "swedish", "thai", "turkish",
})
"""OpenSearch's built-in language analyzers (module analysis-common). The config's search language
uses PostgreSQL's text-search names, which coincide for these; ``simple`` and anything else map to
``standard`` (Unicode word boundaries, lower case, no stemming — PostgreSQL's ``simple`` in spirit)."""

KEYWORD = {"type": "keyword"}


def analyzer(language: str) -> str:
    return language if language in ANALYZERS else "standard"


def index_name(spec: CollectionSpec, prefix: str = "") -> str:
    name = f"{prefix}{spec.mapping.get('index') or spec.entity}"
    problem = name_problem(name)
    if problem:
        raise InvalidArgument(problem, field="index", entity=spec.entity)
    return name


def name_problem(name: str) -> str | None:
    """OpenSearch's index-name rules, checked before any request."""
    if (not name or name != name.lower() or name in (".", "..") or name[0] in "-_+"
            or any(c in name for c in ' "*\\<|,>/?#:') or len(name.encode()) > 255):
        return f"{name!r} is not a usable OpenSearch index name (lower case, no spaces or \\/*?\"<>|,#:)"
    return None


def _properties_of(fields: dict[str, Raw]) -> Raw:
    return {"type": "object", "dynamic": "strict", "properties": fields}


def mapping(spec: CollectionSpec) -> Raw:
    text = {"type": "text", "analyzer": analyzer(spec.search_language)}
    return {
        "dynamic": "strict",
        "_meta": {"dataaccess": {"entity": spec.entity, "layout": LAYOUT}},
        "properties": {
            "k": KEYWORD,
            "v": {"type": "long"},
            "deleted": {"type": "boolean"},
            "d": {"type": "object", "enabled": False},
            "f": {"type": "nested", "dynamic": "strict", "properties": {"p": KEYWORD, "e": KEYWORD, "o": KEYWORD}},
            "s": _properties_of({field_name(f): dict(text) for f in spec.search_fields}),
            "t": _properties_of(typed_mapping(spec.schema)),
        },
    }


def settings(refresh_interval: Any = None) -> Raw:
    """Index settings; ``refresh_interval`` in seconds (the config's duration) or OpenSearch's text."""
    index: Raw = {"mapping": {"nested_objects": {"limit": NESTED_LIMIT}}}
    if isinstance(refresh_interval, (int, float)) and not isinstance(refresh_interval, bool):
        index["refresh_interval"] = f"{max(1, round(refresh_interval * 1000))}ms"
    elif refresh_interval:
        index["refresh_interval"] = str(refresh_interval)
    return {"index": index}
