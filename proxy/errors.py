"""The error tree. Backends translate their driver's exceptions into these at their boundary;
`service/interceptors.py` maps them to gRPC codes in one table. No driver exception or driver
message crosses either boundary.
"""

from __future__ import annotations

from collections.abc import Mapping


class DataAccessError(Exception):
    """Base of every error a caller may see. ``reason`` becomes google.rpc.ErrorInfo.reason."""

    reason = "INTERNAL"

    def __init__(self, message: str, *, reason: str | None = None, field: str | None = None,
                 entity: str | None = None, backend: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if reason is not None:
            self.reason = reason
        self.field = field
        self.entity = entity
        self.backend = backend

    def metadata(self) -> Mapping[str, str]:
        meta = {"entity": self.entity, "backend": self.backend, "field": self.field}
        return {k: v for k, v in meta.items() if v}

    def at(self, *, entity: str | None = None, backend: str | None = None) -> DataAccessError:
        """Fill in where the error happened, keeping anything already set."""
        self.entity = self.entity or entity
        self.backend = self.backend or backend
        return self


class InvalidArgument(DataAccessError):
    """The request is malformed; ``field`` names the offending part."""

    reason = "INVALID_ARGUMENT"


class NotFound(DataAccessError):
    reason = "NOT_FOUND"


class AlreadyExists(DataAccessError):
    reason = "ALREADY_EXISTS"


class VersionConflict(DataAccessError):
    """The document's version is not the one the caller expected (optimistic concurrency)."""

    reason = "VERSION_CONFLICT"


class ConditionFailed(DataAccessError):
    """An update's condition was false; nothing was written."""

    reason = "CONDITION_FAILED"


class PermissionDenied(DataAccessError):
    reason = "PERMISSION_DENIED"


class ResourceExhausted(DataAccessError):
    reason = "RESOURCE_EXHAUSTED"


class Unimplemented(DataAccessError):
    """The store lacks the capability the call needs."""

    reason = "UNIMPLEMENTED"


class Unavailable(DataAccessError):
    """The store cannot be reached right now; retrying later may succeed."""

    reason = "STORE_UNAVAILABLE"


class DeadlineExceeded(DataAccessError):
    reason = "DEADLINE_EXCEEDED"


class Internal(DataAccessError):
    """A bug or an unexpected store answer. The message is generic; details go to the log."""

    reason = "INTERNAL"


class ConfigError(Exception):
    """A configuration was rejected; ``issues`` lists every problem as "path: message"."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("\n".join(issues))
        self.issues = issues
