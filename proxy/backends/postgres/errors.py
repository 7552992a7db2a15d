"""asyncpg exceptions → the proxy's error tree (the backend's one boundary)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from proxy.errors import AlreadyExists, DataAccessError, DeadlineExceeded, Internal, InvalidArgument, Unavailable

log = logging.getLogger("proxy.backends.postgres")

_UNAVAILABLE = (
    asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError, asyncpg.AdminShutdownError, asyncpg.UndefinedTableError,
    asyncpg.UndefinedColumnError, asyncpg.InternalClientError, ConnectionError, OSError,
)
_BAD_VALUE = (asyncpg.DataError, asyncpg.InvalidTextRepresentationError, asyncpg.InvalidParameterValueError,
              asyncpg.NumericValueOutOfRangeError, asyncpg.NotNullViolationError, asyncpg.CheckViolationError)


@asynccontextmanager
async def translated(backend: str) -> AsyncIterator[None]:
    try:
        yield
    except DataAccessError:
        raise
    except (TimeoutError, asyncpg.QueryCanceledError) as e:
        raise DeadlineExceeded(f"postgres store {backend!r} did not answer in time", backend=backend) from e
    except asyncpg.UniqueViolationError as e:
        raise AlreadyExists("document already exists", backend=backend) from e
    except _BAD_VALUE as e:
        raise InvalidArgument("a value does not fit the type of the field that stores it", backend=backend) from e
    except _UNAVAILABLE as e:
        raise Unavailable(f"postgres store {backend!r} is not available", backend=backend) from e
    except asyncpg.PostgresError as e:
        log.error("postgres error %s (sqlstate %s)", type(e).__name__, getattr(e, "sqlstate", "?"))
        raise Internal("the store rejected the operation", backend=backend) from e
