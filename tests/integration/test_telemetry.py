"""DESIGN §10 through real proxy processes on PostgreSQL + FerretDB: the Prometheus endpoint after real
traffic, JSON logs that carry trace ids and no document values, and OTLP traces received by a real
OTLP/gRPC endpoint (the collector's trace service, served by the test).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as otlp
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc as otlp_grpc
from opentelemetry.proto.trace.v1 import trace_pb2

from dev.ferretdb import ferretdb, uri
from proxy.config.load import rules_version
from tests.integration.kit import Admin, Direct, eventually, names, rules
from tests.integration.probe import Raw, scrape, total, traceparent

SECRET = "SECRET-VALUE-8d1f"  # a document value that must never reach a log line
KEY = "customer-key-5b2e"  # a key that must appear in logs only as a hash


async def _reload(p, admin: Admin, text: str) -> None:
    p.config.write_text(text)

    async def applied() -> bool:
        return (await admin.config()).rules_version == rules_version(text)
    await eventually(applied, 60, "the new rules in force")


async def test_prometheus_endpoint_after_real_traffic(pg_dsn: str, proxy_factory, tmp_path: Path) -> None:
    mongo = ferretdb(tmp_path / "ferret").start()
    try:
        table, coll = names()
        p = proxy_factory(rules(table, coll, "shadow"), {"PG_DSN": pg_dsn, "MONGO_URI": uri(mongo)},
                          extra_args=("--metrics", "127.0.0.1:0", "--poll", "0.2"))
        header, trace_id, _ = traceparent()
        async with Raw(p.address) as raw, Admin(p.address) as admin:
            async with Direct(pg_dsn, uri(mongo), table, coll) as direct:  # closed before FerretDB is killed
                # shadow: matches, a mismatch (same version, different content), a key only the old store has
                for i in range(5):
                    assert (await raw.put("product", f"k{i}", {"name": f"k{i}", "price": "1.50"})).code == "OK"
                    assert (await raw.get("product", f"k{i}")).code == "OK"
                await direct.put_old(KEY, {"name": SECRET}, 3)
                await direct.put_new(KEY, {"name": "other"}, 3)
                assert (await raw.get("product", KEY, header)).code == "OK"
                await direct.put_old("only-old", {"name": "o"}, 1)
                assert (await raw.get("product", "only-old")).code == "OK"
                assert (await raw.get("product", "nowhere")).code == "NOT_FOUND"

                async def compared() -> bool:
                    c = (await admin.route()).route.comparisons
                    return c["match"] >= 5 and c["mismatch"] >= 1 and c["missing_new"] >= 1
                await eventually(compared, 30, "match, mismatch and missing_new comparisons")

                # live: a key the new store lacks is answered by the old one (fallback, read-repair)
                await _reload(p, admin, rules(table, coll, "live"))
                await direct.put_old("fallback", {"name": "f"}, 1)
                assert (await raw.get("product", "fallback")).code == "OK"

            # back to shadow, then the new store dies: writes succeed and are journaled
            await _reload(p, admin, rules(table, coll, "shadow"))
            mongo.kill()
            for i in range(5):
                assert (await raw.put("product", f"d{i}", {"name": f"d{i}"})).code == "OK"
            assert (await raw.get("product", "k0")).code == "OK"  # its shadow read fails

            async def backlog() -> bool:
                r = (await admin.route()).route
                return (r.repair_backlog >= 5 and r.repair_oldest_age_seconds > 0
                        and r.comparisons["shadow_error"] >= 1)
            await eventually(backlog, 30, "a repair backlog and a failed shadow read")
            version = (await admin.config()).rules_version
            mismatches = (await admin.route()).mismatches

        m = scrape(p.metrics)
        e = {"entity": "product"}
        assert total(m, "dataaccess_requests_total", op="Put", code="OK", **e) >= 10
        assert total(m, "dataaccess_requests_total", op="Get", code="OK", **e) >= 7
        assert total(m, "dataaccess_requests_total", op="Get", code="NOT_FOUND", **e) == 1
        for role in ("authoritative", "secondary", "shadow", "fallback"):
            assert total(m, "dataaccess_store_seconds_count", role=role, **e) > 0, role
        assert total(m, "dataaccess_store_seconds_count", side="new", role="shadow", **e) > 0
        for outcome in ("match", "mismatch", "missing_new", "shadow_error"):
            assert total(m, "dataaccess_comparisons_total", outcome=outcome, **e) > 0, outcome
        assert total(m, "dataaccess_secondary_write_failures_total", **e) >= 5
        assert total(m, "dataaccess_fallback_reads_total", cause="miss", **e) >= 1
        assert total(m, "dataaccess_repair_backlog", **e) >= 5
        assert total(m, "dataaccess_repair_oldest_age_seconds", **e) > 0
        assert total(m, "dataaccess_config_reloads_total", result="accepted") == 2
        assert m["dataaccess_rules_info"] == {(("version", version),): 1.0}
        assert total(m, "dataaccess_entity_phase", phase="shadow", **e) == 1
        assert total(m, "dataaccess_entity_phase", phase="live", **e) == 0

        # logs: JSON lines; the mismatch names the caller's trace and the key's hash, never the key or values
        lines = [json.loads(line) for line in p.logs().splitlines() if line.strip()]
        reported = [x for x in lines if x.get("event") == "mismatch" and x.get("trace_id") == trace_id]
        assert reported and reported[0]["key_hash"] and reported[0]["paths"] == ["name"], reported
        assert [r.trace_id for r in mismatches if r.outcome == "mismatch"] == [trace_id]
        assert SECRET not in p.logs() and KEY not in p.logs()
    finally:
        mongo.stop()


class Collector(otlp_grpc.TraceServiceServicer):
    """The trace service of an OpenTelemetry collector: keeps every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, trace_pb2.Span]] = []  # (service.name, span)

    async def Export(self, request: otlp.ExportTraceServiceRequest, context: object) -> otlp.ExportTraceServiceResponse:
        for rs in request.resource_spans:
            service = next((a.value.string_value for a in rs.resource.attributes if a.key == "service.name"), "")
            self.spans += [(service, s) for ss in rs.scope_spans for s in ss.spans]
        return otlp.ExportTraceServiceResponse()

    def trace(self, trace_id: str) -> list[trace_pb2.Span]:
        return [s for _, s in self.spans if s.trace_id.hex() == trace_id]


def _attrs(span: trace_pb2.Span) -> dict[str, object]:
    return {a.key: a.value.string_value or a.value.int_value for a in span.attributes}


def _ours(span: trace_pb2.Span) -> dict[str, object]:
    return {k: v for k, v in _attrs(span).items() if k.startswith("dataaccess.")}


async def test_otlp_trace_of_a_dualwrite_put_has_a_span_per_store(pg_dsn: str, mongo_url: str,
                                                                   proxy_factory) -> None:
    collector = Collector()
    server = grpc.aio.server()
    otlp_grpc.add_TraceServiceServicer_to_server(collector, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        table, coll = names()
        env = {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url, "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}",
               "OTEL_SERVICE_NAME": "sidecar-under-test", "OTEL_BSP_SCHEDULE_DELAY": "100"}
        p = proxy_factory(rules(table, coll, "dualwrite"), env, extra_args=("--poll", "0.2"))
        header, trace_id, parent = traceparent()
        async with Raw(p.address) as raw, Admin(p.address) as admin:
            assert (await raw.put("product", "traced", {"name": "t"}, header)).code == "OK"

            async def exported() -> bool:
                return len(collector.trace(trace_id)) >= 3
            await eventually(exported, 30, "the Put's spans at the collector")
            spans = {s.name: s for s in collector.trace(trace_id)}
            server_span = spans["dataaccess.v1.DataAccessService/Put"]
            assert server_span.kind == trace_pb2.Span.SPAN_KIND_SERVER and server_span.parent_span_id.hex() == parent
            assert _attrs(server_span)["rpc.grpc.status_code"] == 0
            put, copy = spans["store.put"], spans["store.copy"]
            assert put.kind == copy.kind == trace_pb2.Span.SPAN_KIND_CLIENT
            assert _ours(put) == {"dataaccess.entity": "product", "dataaccess.side": "old",
                                  "dataaccess.role": "authoritative", "dataaccess.phase": "dualwrite",
                                  "dataaccess.backend": "pg"}
            assert _ours(copy) == {"dataaccess.entity": "product", "dataaccess.side": "new",
                                   "dataaccess.role": "secondary", "dataaccess.phase": "dualwrite",
                                   "dataaccess.backend": "mongo"}
            assert put.parent_span_id == copy.parent_span_id == server_span.span_id
            assert {svc for svc, s in collector.spans if s.trace_id.hex() == trace_id} == {"sidecar-under-test"}

            # shadow: the comparison's read of the other store is a span of the caller's trace too
            text = rules(table, coll, "shadow")
            p.config.write_text(text)

            async def applied() -> bool:
                return (await admin.config()).rules_version == rules_version(text)
            await eventually(applied, 30, "shadow in force")
            header, trace_id, _ = traceparent()
            assert (await raw.get("product", "traced", header)).code == "OK"

            async def shadowed() -> bool:
                return any(_attrs(s).get("dataaccess.role") == "shadow" for s in collector.trace(trace_id))
            await eventually(shadowed, 30, "the shadow read's span")
            roles = sorted((_attrs(s)["dataaccess.role"], _attrs(s)["dataaccess.side"])
                           for s in collector.trace(trace_id) if s.name.startswith("store."))
            assert roles == [("authoritative", "old"), ("shadow", "new")]
        assert p.stop() == 0
    finally:
        await server.stop(None)
        await asyncio.sleep(0)
