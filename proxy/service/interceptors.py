"""The error boundary: one table maps the error tree to gRPC codes, with google.rpc.ErrorInfo.

Every unary call goes through `ErrorInterceptor`: a `DataAccessError` becomes its status code, its
message and an ErrorInfo (reason, domain, metadata entity/backend/field); anything else becomes
INTERNAL with a generic message (the details go to the log, never over the wire). The routing-rules
version that served the call is added to the trailing metadata either way. Each call runs in a server
span that continues the caller's trace (W3C ``traceparent``), and is counted by entity, op and code.

Draining (SIGTERM): once `ErrorInterceptor.refuse` is called, new DataAccess calls are answered
UNAVAILABLE (reason ``DRAINING``) while the calls already running finish; `drained` waits for them.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from opentelemetry.trace import Span

from proxy import errors
from proxy.telemetry import metrics
from proxy.telemetry.tracing import finish_server_span, server_span

log = logging.getLogger("proxy.service")
DOMAIN = "dataaccess.dev"
RULES_HEADER = "x-dataaccess-rules"
rules_version: contextvars.ContextVar[str] = contextvars.ContextVar("rules_version", default="")
entity_var: contextvars.ContextVar[str] = contextvars.ContextVar("entity", default="")

CODES: dict[type[errors.DataAccessError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.VersionConflict: grpc.StatusCode.ABORTED,
    errors.ConditionFailed: grpc.StatusCode.FAILED_PRECONDITION,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.ResourceExhausted: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Unimplemented: grpc.StatusCode.UNIMPLEMENTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
    errors.DeadlineExceeded: grpc.StatusCode.DEADLINE_EXCEEDED,
    errors.Internal: grpc.StatusCode.INTERNAL,
}


def code_for(error: errors.DataAccessError) -> grpc.StatusCode:
    for cls in type(error).__mro__:
        if cls in CODES:
            return CODES[cls]
    return grpc.StatusCode.INTERNAL


def to_status(code: grpc.StatusCode, message: str, reason: str, metadata: dict[str, str]) -> grpc.Status:
    info = error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=metadata)
    detail = any_pb2.Any()
    detail.Pack(info)
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=message, details=[detail])
    result: grpc.Status = rpc_status.to_status(status)
    return result


class ErrorInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]
    def __init__(self) -> None:
        self._refusing = False
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def refuse(self) -> None:
        """From now on, answer new DataAccess calls UNAVAILABLE (the sidecar is going away)."""
        self._refusing = True

    async def drained(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the DataAccess calls in flight; True if none are left."""
        try:
            async with asyncio.timeout(max(timeout, 0.0)):
                await self._idle.wait()
            return True
        except TimeoutError:
            return False

    async def intercept_service(self, continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Any]],
                                details: grpc.HandlerCallDetails) -> Any:
        handler = await continuation(details)
        if handler is None or handler.unary_unary is None or not details.method.startswith("/dataaccess."):
            return handler
        inner = handler.unary_unary
        op = details.method.rsplit("/", 1)[-1]
        data_call = details.method.startswith("/dataaccess.v1.")

        async def unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            rules_version.set("")
            entity_var.set(getattr(request, "entity", ""))
            with server_span(details.method, context.invocation_metadata(), entity_var.get()) as span:
                if not data_call:
                    return await self._run(inner, request, context, op, span)
                self._inflight += 1
                self._idle.clear()
                try:
                    if self._refusing:
                        await self._abort(context, op, grpc.StatusCode.UNAVAILABLE,
                                          "the sidecar is shutting down; retry", "DRAINING", {}, span)
                    return await self._run(inner, request, context, op, span)
                finally:
                    self._inflight -= 1
                    if not self._inflight:
                        self._idle.set()

        return grpc.unary_unary_rpc_method_handler(
            unary, request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer)

    async def _run(self, inner: Callable[..., Awaitable[Any]], request: Any,
                   context: grpc.aio.ServicerContext[Any, Any], op: str, span: Span) -> Any:
        try:
            response = await inner(request, context)
        except errors.DataAccessError as e:
            await self._abort(context, op, code_for(e), e.message, e.reason, dict(e.metadata()), span)
        except Exception:
            log.exception("internal error in %s", op)
            await self._abort(context, op, grpc.StatusCode.INTERNAL, "internal error", "INTERNAL", {}, span)
        metrics.REQUESTS.labels(entity_var.get() or "-", op, "OK").inc()
        finish_server_span(span, "OK", 0)
        context.set_trailing_metadata(((RULES_HEADER, rules_version.get()),))
        return response

    @staticmethod
    async def _abort(context: grpc.aio.ServicerContext[Any, Any], op: str, code: grpc.StatusCode, message: str,
                     reason: str, meta: dict[str, str], span: Span) -> None:
        metrics.REQUESTS.labels(entity_var.get() or "-", op, code.name).inc()
        finish_server_span(span, code.name, code.value[0])
        status = to_status(code, message, reason, meta)
        trailing = (*status.trailing_metadata, (RULES_HEADER, rules_version.get()))
        await context.abort(code, message, trailing_metadata=trailing)
