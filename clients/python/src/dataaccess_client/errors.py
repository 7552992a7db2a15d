"""Typed errors, one per gRPC code the proxy uses, with google.rpc.ErrorInfo when present."""

from __future__ import annotations

from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status


class DataAccessError(Exception):
    """Base class. ``code`` is the gRPC status code; ``reason``/``metadata`` come from ErrorInfo."""

    def __init__(self, code: grpc.StatusCode, message: str, reason: str = "", metadata: dict[str, str] | None = None,
                 rules_version: str = "") -> None:
        super().__init__(f"{code.name}: {message}")
        self.code, self.message, self.reason = code, message, reason
        self.metadata = metadata or {}
        self.rules_version = rules_version


class NotFoundError(DataAccessError): ...
class AlreadyExistsError(DataAccessError): ...
class ConflictError(DataAccessError):
    """ABORTED: the document's version is not the expected one."""
class PreconditionFailedError(DataAccessError):
    """FAILED_PRECONDITION: an update's condition was false; nothing was written."""
class InvalidArgumentError(DataAccessError): ...
class PermissionDeniedError(DataAccessError): ...
class ResourceExhaustedError(DataAccessError): ...
class UnimplementedError(DataAccessError): ...
class UnavailableError(DataAccessError): ...
class DeadlineExceededError(DataAccessError): ...
class InternalError(DataAccessError): ...


_BY_CODE: dict[grpc.StatusCode, type[DataAccessError]] = {
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.ABORTED: ConflictError,
    grpc.StatusCode.FAILED_PRECONDITION: PreconditionFailedError,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
}


def from_rpc_error(e: grpc.RpcError) -> DataAccessError:
    call: Any = e  # an RpcError raised by a call is also the grpc.Call with code/details/trailers
    code: grpc.StatusCode = call.code()
    message: str = call.details() or ""
    reason, meta, rules = "", {}, ""
    for k, v in call.trailing_metadata() or ():
        if k == "x-dataaccess-rules":
            rules = str(v)
    status = rpc_status.from_call(call)
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, meta = info.reason, dict(info.metadata)
    return _BY_CODE.get(code, InternalError)(code, message, reason, meta, rules)
