"""The routing rules file (a ConfigMap in Kubernetes) as pydantic models. Unknown keys are errors."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from proxy.routing.phases import Phase
from proxy.schema import FieldType

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$")


def parse_duration(value: Any) -> float:
    """"300ms", "2s", "1m" or a number of seconds → seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"{value!r} is not a duration such as 300ms, 2s or 1m")
    return float(m.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[m.group(2)]


Duration = Annotated[float, BeforeValidator(parse_duration), Field(gt=0)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=63)]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=63)]
Path = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Secret(Strict):
    """Where a secret comes from: never inline."""

    env: str | None = None
    file: str | None = None


class BackendConfig(Strict):
    """A store. Connection strings come from ``*_env`` (variable name) or ``*_file`` (path)."""

    kind: Literal["memory", "sqlite", "postgres", "mongodb", "dynamodb", "opensearch"]
    # postgres
    dsn_env: str | None = None
    dsn_file: str | None = None
    pool_min: int = Field(1, ge=0, le=100)
    pool_max: int = Field(10, ge=1, le=500)
    # sqlite
    path: str | None = None
    # mongodb
    uri_env: str | None = None
    uri_file: str | None = None
    database: Ident | None = None
    decimals: Literal["decimal128", "string"] = "decimal128"
    """How decimals are stored: Decimal128 (MongoDB), or exact text for wire-compatible stores
    without Decimal128 (FerretDB 1.x); text decimals cannot be filtered or ordered on in queries."""
    # dynamodb
    region: str | None = None
    endpoint_env: str | None = None
    table_prefix: str = ""
    # opensearch
    hosts_env: str | None = None
    hosts_file: str | None = None
    refresh: Literal["false", "true", "wait_for"] = "wait_for"
    index_prefix: Annotated[str, Field(pattern=r"^[a-z0-9]?[a-z0-9_.-]*$")] = ""
    refresh_interval: Duration | None = None
    """Set on indices the proxy creates (OpenSearch's default: 1s)."""
    # all
    timeout: Duration = 5.0


def _yaml_off(value: Any) -> Any:
    """YAML 1.1 reads an unquoted ``off`` as false; ``phase: off`` means the phase."""
    return "off" if value is False else value


PhaseName = Annotated[Phase, BeforeValidator(_yaml_off)]


class StoreMapping(Strict):
    """Where an entity lives in one store. Which keys apply depends on the backend's kind."""

    backend: Name
    table: Ident | None = None
    collection: Ident | None = None
    index: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")] | None = None
    schema_name: Ident | None = Field(None, alias="schema")
    columns: dict[Path, Ident] | None = None
    extra: Ident | None = None
    document: Ident | None = None
    key_column: Ident | None = None
    version_column: Ident = "dataaccess_version"
    indexes: dict[Ident, Path] = Field(default_factory=dict)
    allow_scan: bool = False


class Reads(Strict):
    shadow_sample: float = Field(0.0, ge=0, le=1)
    new_percent: int = Field(100, ge=0, le=100)
    timeout: Duration = 0.3
    fallback: bool = True
    shadow_concurrency: int = Field(64, ge=1, le=10_000)
    shadow_deadline: Duration = 2.0
    recheck_delay: Duration = 0.2


class Writes(Strict):
    secondary: Literal["sync", "async"] = "async"
    timeout: Duration = 0.5
    audit: float = Field(0.0, ge=0, le=1)
    """Share of written keys re-read on both stores once settled (see `proxy.repair.audit`)."""
    audit_delay: Duration = 1.0


class Compare(Strict):
    ignore: list[Path] = Field(default_factory=list)
    redact: list[Path] = Field(default_factory=list)
    null_equals_absent: bool = True
    top_k: int = Field(10, ge=1, le=1000)


class SearchConfig(Strict):
    fields: list[Path] = Field(default_factory=list)
    language: Ident = "simple"


class EntityConfig(Strict):
    key: Ident = "id"
    fields: dict[Path, FieldType] = Field(default_factory=dict)
    old: StoreMapping
    new: StoreMapping | None = None
    phase: PhaseName = Phase.OFF
    force: bool = False
    reads: Reads = Reads()
    writes: Writes = Writes()
    compare: Compare = Compare()
    search: SearchConfig = SearchConfig()
    callers: list[str] | None = None


class JournalConfig(Strict):
    backend: Name
    table: Ident = "dataaccess_journal"


class Limits(Strict):
    max_document_bytes: int = Field(1 << 20, ge=1024, le=64 << 20)
    max_page_size: int = Field(1000, ge=1, le=100_000)
    default_page_size: int = Field(100, ge=1, le=100_000)
    max_batch: int = Field(500, ge=1, le=100_000)


class Security(Strict):
    """Caller identity: a header whose value names the caller (tokens map to caller names)."""

    caller_header: str = "x-dataaccess-caller"
    tokens: dict[str, Secret] = Field(default_factory=dict)


class Config(Strict):
    version: Literal[1]
    backends: dict[Name, BackendConfig]
    journal: JournalConfig
    entities: dict[Name, EntityConfig]
    limits: Limits = Limits()
    security: Security = Security()
