"""OpenTelemetry tracing: a server span per gRPC call and a span per store call (entity, side, role,
phase, backend).

Without an SDK configured the API is a no-op that still carries a caller's W3C ``traceparent``, so
log lines and mismatch records name the caller's trace even when this sidecar exports nothing.
`tracing()` installs the SDK, exporting over OTLP/gRPC, when the standard ``OTEL_*`` variables ask
for it: ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``…_TRACES_ENDPOINT``) set, or ``OTEL_TRACES_EXPORTER=otlp``.
Everything else (headers, TLS, timeout, sampler, batch sizes, resource attributes) is read by the SDK
from its own ``OTEL_*`` variables. Metrics are not sent over OTLP: they are on the Prometheus endpoint.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import propagate, trace

tracer = trace.get_tracer("dataaccess.proxy")
log = logging.getLogger("proxy.telemetry")
SERVICE_NAME = "dataaccess-proxy"
# gRPC codes that mean the server failed (OpenTelemetry's RPC conventions); the rest are the caller's.
_SERVER_ERRORS = {"UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"}


def current_trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else ""


@contextmanager
def store_span(op: str, entity: str, side: str, role: str, phase: str, backend: str) -> Iterator[None]:
    """One call to one store; ``role`` is authoritative, secondary, shadow or fallback."""
    with tracer.start_as_current_span(f"store.{op}", kind=trace.SpanKind.CLIENT, attributes={
        "dataaccess.entity": entity, "dataaccess.side": side, "dataaccess.role": role,
        "dataaccess.phase": phase, "dataaccess.backend": backend,
    }):
        yield


@contextmanager
def server_span(method: str, metadata: Iterable[tuple[str, str | bytes]] | None, entity: str) -> Iterator[trace.Span]:
    """The span of one incoming call (``/package.Service/Method``), continuing the caller's trace."""
    carrier = {k: v for k, v in metadata or () if isinstance(v, str)}
    service, _, name = method.lstrip("/").rpartition("/")
    with tracer.start_as_current_span(
            f"{service}/{name}", context=propagate.extract(carrier), kind=trace.SpanKind.SERVER,
            attributes={"rpc.system": "grpc", "rpc.service": service, "rpc.method": name,
                        "dataaccess.entity": entity},
            record_exception=False, set_status_on_exception=False) as span:
        yield span


def finish_server_span(span: trace.Span, code_name: str, code_value: int) -> None:
    span.set_attribute("rpc.grpc.status_code", code_value)
    if code_name in _SERVER_ERRORS:
        span.set_status(trace.Status(trace.StatusCode.ERROR, code_name))


def _exporters(env: Mapping[str, str]) -> list[str]:
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    names = [n.strip().lower() for n in env.get("OTEL_TRACES_EXPORTER", "").split(",") if n.strip()]
    if not names and (env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")):
        names = ["otlp"]
    return [n for n in names if n != "none"]


@contextmanager
def tracing(env: Mapping[str, str] | None = None) -> Iterator[bool]:
    """Export traces over OTLP while the block runs if ``OTEL_*`` asks for it (yields whether it does);
    spans still buffered are flushed on the way out."""
    env = os.environ if env is None else env
    wanted = _exporters(env)
    unsupported = [n for n in wanted if n != "otlp"]
    protocol = (env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or env.get("OTEL_EXPORTER_OTLP_PROTOCOL") or "grpc")
    if unsupported:
        log.warning("OTEL_TRACES_EXPORTER %s not supported (only otlp); not exported", ",".join(unsupported))
    if "otlp" in wanted and protocol.strip().lower() != "grpc":
        log.warning("OTLP protocol %r not supported (only grpc); traces not exported", protocol)
        wanted = []
    if "otlp" not in wanted:
        yield False
        return
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import OTELResourceDetector, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES win over our default name.
    resource = Resource.create({"service.name": SERVICE_NAME}).merge(OTELResourceDetector().detect())
    provider = TracerProvider(resource=resource)  # sampler: OTEL_TRACES_SAMPLER, default parent-based always-on
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    log.info("exporting traces over OTLP/gRPC to %s", env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
             or env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "localhost:4317")
    try:
        yield True
    finally:
        provider.shutdown()
