"""OpenTelemetry tracing: a span per store call (entity, side, role, phase). Without an SDK
configured the API is a no-op, so this costs next to nothing when tracing is off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace

tracer = trace.get_tracer("dataaccess.proxy")


def current_trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else ""


@contextmanager
def store_span(op: str, entity: str, side: str, role: str, phase: str, backend: str) -> Iterator[None]:
    with tracer.start_as_current_span(f"store.{op}", kind=trace.SpanKind.CLIENT, attributes={
        "dataaccess.entity": entity, "dataaccess.side": side, "dataaccess.role": role,
        "dataaccess.phase": phase, "dataaccess.backend": backend,
    }):
        yield
