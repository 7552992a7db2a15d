"""PyMongo exceptions → the proxy's error tree: the backend's one boundary. Driver messages (which
can quote keys and values) go nowhere but the exception chain; the log gets type and code only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from bson.errors import BSONError, InvalidDocument
from pymongo.errors import (
    ConnectionFailure,
    DocumentTooLarge,
    ExecutionTimeout,
    InvalidOperation,
    OperationFailure,
    PyMongoError,
    WriteConcernError,
    WTimeoutError,
)

from proxy.errors import (
    DataAccessError,
    DeadlineExceeded,
    Internal,
    InvalidArgument,
    ResourceExhausted,
    Unavailable,
    Unimplemented,
)

log = logging.getLogger("proxy.backends.mongodb")

BAD_VALUE = frozenset({
    2,      # BadValue: e.g. $inc overflowing int64
    14,     # TypeMismatch: $inc on a string
    28,     # PathNotViable: $set a.b where a is a scalar or an array
    40,     # ConflictingUpdateOperators
    52, 56, 57,  # $-prefixed / empty / dotted field name inside a stored body
    17280,  # KeyTooLong
    51091,  # invalid regular expression
})
TOO_LARGE = frozenset({10334, 17419, 17420})  # BSONObjectTooLarge, document grew past 16 MiB
TIMEOUT = frozenset({50, 262})  # MaxTimeMSExpired, ExceededTimeLimit
UNAVAILABLE = frozenset({
    6, 7, 89, 9001,                       # host unreachable / not found, network timeout, socket
    91, 189, 10107, 11600, 11602, 13435, 13436,  # shutting down, stepped down, not primary
    112,                                  # WriteConflict (transient)
    13, 18,                               # Unauthorized, AuthenticationFailed: the proxy's credentials
})
UNSUPPORTED = frozenset({115, 238})       # CommandNotSupported, NotImplemented (wire-compatible stand-ins)


def code(e: PyMongoError) -> int | None:
    return getattr(e, "code", None)


T = TypeVar("T")
_RUNNING: set[asyncio.Future[Any]] = set()


async def uncancelled(aw: Awaitable[T]) -> T:
    """Await a PyMongo operation without ever cancelling it midway.

    PyMongo's async API breaks when a task is cancelled inside it (its topology lock is left
    inconsistent: "Lock is not acquired", and later selections hang). A caller that gives up (a
    deadline, the router's timeout) stops waiting here, while the operation itself runs on to its own
    end, bounded by the client's ``timeoutMS``.
    """
    task = asyncio.ensure_future(aw)
    _RUNNING.add(task)
    task.add_done_callback(_finished)
    return await asyncio.shield(task)


def _finished(task: asyncio.Future[Any]) -> None:
    _RUNNING.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: nobody may be waiting any more


@asynccontextmanager
async def translated(backend: str) -> AsyncIterator[None]:
    try:
        yield
    except DataAccessError:
        raise
    except (ExecutionTimeout, WTimeoutError) as e:
        raise DeadlineExceeded(f"mongodb store {backend!r} did not answer in time", backend=backend) from e
    except (ConnectionFailure, InvalidOperation) as e:
        # ServerSelectionTimeoutError, AutoReconnect, NetworkTimeout, NotPrimaryError, pool wait
        # timeouts; InvalidOperation: the client was closed under us (a reload in progress).
        log.debug("mongodb store %r unavailable: %s", backend, type(e).__name__)
        raise Unavailable(f"mongodb store {backend!r} is not available", backend=backend) from e
    except WriteConcernError as e:
        raise Unavailable(f"mongodb store {backend!r} could not replicate the write", backend=backend) from e
    except OperationFailure as e:
        raise from_failure(e, backend) from e
    except DocumentTooLarge as e:
        raise ResourceExhausted("the document is larger than the store allows", backend=backend) from e
    except InvalidDocument as e:
        raise InvalidArgument("the document holds a value the store cannot represent", backend=backend) from e
    except (BSONError, PyMongoError) as e:
        log.error("mongodb error %s", type(e).__name__)
        raise Internal("the store rejected the operation", backend=backend) from e


def from_failure(e: OperationFailure, backend: str, field: str | None = None) -> DataAccessError:
    """The proxy error for a server-side refusal (``field``: the request path it most likely concerns)."""
    c = code(e)
    if c == 1 and "interrupted" in str((e.details or {}).get("errmsg", "")):
        c = 50  # wire-compatible stores (FerretDB 1.x) report an expired time limit as InternalError
    if c in TIMEOUT:
        return DeadlineExceeded(f"mongodb store {backend!r} did not answer in time", backend=backend)
    if c in BAD_VALUE:
        return InvalidArgument("the store refused a value in this request" + (f" (at {field})" if field else ""),
                               field=field, backend=backend)
    if c in TOO_LARGE:
        return ResourceExhausted("the document would be larger than the store allows", backend=backend)
    if c in UNSUPPORTED:
        return Unimplemented(f"mongodb store {backend!r} does not support an operation this request needs",
                             backend=backend)
    if c in UNAVAILABLE:
        log.warning("mongodb store %r refused: code %s", backend, c)
        return Unavailable(f"mongodb store {backend!r} is not available", backend=backend)
    log.error("mongodb operation failed: %s code %s", type(e).__name__, c)
    return Internal("the store rejected the operation", backend=backend)
