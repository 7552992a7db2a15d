"""botocore exceptions → the proxy's error tree: the backend's one boundary. DynamoDB's messages can
quote keys and values, so they go nowhere but the exception chain; the log gets the error code only.

A failed ``ConditionExpression`` is not an error here but an answer: `Refused` carries the item as
it was (``ReturnValuesOnConditionCheckFailure=ALL_OLD``) to the collection, which classifies it
(NotFound / VersionConflict / ConditionFailed / AlreadyExists) and never lets `Refused` escape.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from proxy.errors import DataAccessError, DeadlineExceeded, Internal, InvalidArgument, ResourceExhausted, Unavailable

log = logging.getLogger("proxy.backends.dynamodb")

THROTTLED = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                       "ItemCollectionSizeLimitExceededException", "LimitExceededException"})
UNAVAILABLE = frozenset({
    "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "TransactionConflictException",
    "ResourceNotFoundException",  # the table is gone (or not created yet): set the collection up again
    "ResourceInUseException",
    # the proxy's own credentials, not the caller's: an operator has to fix them
    "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "ExpiredTokenException",
    "MissingAuthenticationTokenException", "IncompleteSignatureException",
})


class Refused(Exception):
    """The store refused a conditional write; ``item`` is what was stored then (None: nothing)."""

    def __init__(self, item: dict[str, Any] | None) -> None:
        super().__init__("conditional check failed")
        self.item = item


def code(e: ClientError) -> str:
    return str(e.response.get("Error", {}).get("Code", ""))


@asynccontextmanager
async def translated(backend: str) -> AsyncIterator[None]:
    try:
        yield
    except (DataAccessError, Refused):
        raise
    except ClientError as e:
        if code(e) == "ConditionalCheckFailedException":
            raise Refused(e.response.get("Item")) from None
        raise from_client_error(e, backend) from e
    except (ReadTimeoutError, TimeoutError) as e:
        raise DeadlineExceeded(f"dynamodb store {backend!r} did not answer in time", backend=backend) from e
    except (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError) as e:
        log.warning("dynamodb store %r: no usable AWS credentials (%s)", backend, type(e).__name__)
        raise Unavailable(f"dynamodb store {backend!r} has no usable AWS credentials (standard AWS chain: "
                          "environment, shared files, container or instance role)", backend=backend) from e
    except (BotoConnectionError, HTTPClientError, aiohttp.ClientError, OSError, asyncio.IncompleteReadError) as e:
        log.debug("dynamodb store %r unavailable: %s", backend, type(e).__name__)
        raise Unavailable(f"dynamodb store {backend!r} is not available", backend=backend) from e
    except BotoCoreError as e:
        log.error("dynamodb client error %s", type(e).__name__)
        raise Internal("the store rejected the operation", backend=backend) from e


def from_client_error(e: ClientError, backend: str) -> DataAccessError:
    c = code(e)
    message = str(e.response.get("Error", {}).get("Message", ""))
    if c == "ValidationException":
        if "size" in message.lower() and "exceed" in message.lower():
            return InvalidArgument("the document would be larger than DynamoDB's 400 KB item limit",
                                   backend=backend)
        if "overflow" in message.lower() or "underflow" in message.lower():
            return InvalidArgument("a number would leave DynamoDB's range (38 digits, 1E-130 to 9.99E+125)",
                                   backend=backend)
        return InvalidArgument("the store refused a value in this request", backend=backend)
    if c in THROTTLED:
        log.warning("dynamodb store %r throttled: %s", backend, c)
        return ResourceExhausted(f"dynamodb store {backend!r} is throttling requests; retry later", backend=backend)
    if c in UNAVAILABLE:
        log.warning("dynamodb store %r refused: %s", backend, c)
        return Unavailable(f"dynamodb store {backend!r} is not available", backend=backend)
    if c in ("RequestTimeout", "RequestTimeoutException"):
        return DeadlineExceeded(f"dynamodb store {backend!r} did not answer in time", backend=backend)
    log.error("dynamodb operation failed: %s", c or type(e).__name__)
    return Internal("the store rejected the operation", backend=backend)
