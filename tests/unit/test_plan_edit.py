"""`dataaccess plan`'s edit of a rules file: only the phase (and force) change; layout, comments and
flow style stay; the result parses to the same rules with the new phase."""

from __future__ import annotations

import pytest

from proxy.cli.ops import Failed
from proxy.cli.plan import describe, edit
from proxy.config.validate import parse
from proxy.routing.phases import Phase
from proxy.telemetry.tracing import _exporters

RULES = """version: 1
backends:
  pg: {kind: postgres, dsn_env: PG_DSN}
  mongo: {kind: mongodb, uri_env: MONGO_URI, database: catalog}
journal: {backend: pg}
entities:
  # the catalog
  product:
    key: id
    old: {backend: pg, table: products, document: doc}
    new: {backend: mongo, collection: products}
    phase: shadow   # since Tuesday
  notification: {old: {backend: pg, table: n, document: doc}, new: {backend: mongo, collection: n}}
"""


def test_an_existing_phase_is_replaced_in_place() -> None:
    out = edit(RULES, "product", Phase.LIVE, force=False)
    assert out == RULES.replace("phase: shadow   # since Tuesday", "phase: live   # since Tuesday")
    assert parse(out).entities["product"].phase is Phase.LIVE


def test_a_missing_phase_and_force_are_added_in_block_and_flow_style() -> None:
    out = edit(RULES, "notification", Phase.SHADOW, force=True)
    assert "  notification: {force: true, phase: shadow, old: {backend: pg" in out
    config = parse(out)
    assert config.entities["notification"].phase is Phase.SHADOW and config.entities["notification"].force
    block = RULES.replace("    phase: shadow   # since Tuesday\n", "")
    out = edit(block, "product", Phase.OFF, force=True)
    assert "  product:\n    force: true\n    phase: \"off\"\n    key: id\n" in out
    assert parse(out).entities["product"].phase is Phase.OFF


def test_an_entity_that_is_not_there_is_refused() -> None:
    with pytest.raises(Failed):
        edit(RULES, "user", Phase.LIVE, force=False)


def test_describe_follows_the_phase_table() -> None:
    e = parse(RULES).entities["product"]
    live = describe(Phase.LIVE, e)
    assert live["writes"]["summary"] == "new → old (async)" and live["reads"]["summary"] == "new, fallback old"
    assert describe(Phase.COMPLETE, e)["writes"]["summary"] == "new only"


@pytest.mark.parametrize(("env", "expected"), [
    ({}, []),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"}, ["otlp"]),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4317"}, ["otlp"]),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_TRACES_EXPORTER": "none"}, []),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_SDK_DISABLED": "true"}, []),
    ({"OTEL_TRACES_EXPORTER": "otlp"}, ["otlp"]),
])
def test_traces_are_exported_when_otel_variables_ask(env: dict[str, str], expected: list[str]) -> None:
    assert _exporters(env) == expected
