"""opensearch-py exceptions → the proxy's error tree: the backend's one boundary. OpenSearch's error
texts quote document values and keys; they go nowhere but the exception chain, the log gets the
error type only."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import (
    ConnectionTimeout,
    ImproperlyConfigured,
    OpenSearchException,
    SerializationError,
    TransportError,
)

from proxy.errors import (
    DataAccessError,
    DeadlineExceeded,
    Internal,
    InvalidArgument,
    ResourceExhausted,
    Unavailable,
)

log = logging.getLogger("proxy.backends.opensearch")

BAD_VALUE = frozenset({
    "mapper_parsing_exception", "document_parsing_exception", "illegal_argument_exception",
    "strict_dynamic_mapping_exception", "number_format_exception", "json_parse_exception",
    "x_content_parse_exception", "parsing_exception", "action_request_validation_exception",
})
MISSING_INDEX = "index_not_found_exception"
_FIELD = re.compile(r"field \[([A-Za-z0-9_.\-]+)\]")


def error_types(info: Any) -> list[str]:
    """Every error ``type`` in an OpenSearch error body (outer, causes, root causes)."""
    out: list[str] = []

    def walk(e: Any) -> None:
        if isinstance(e, Mapping):
            if isinstance(e.get("type"), str):
                out.append(e["type"])
            for k in ("caused_by", "error"):
                walk(e.get(k))
            for k in ("root_cause", "failed_shards"):
                for x in e.get(k) or ():
                    walk(x.get("reason") if isinstance(x, Mapping) and "shard" in x else x)

    walk(info)
    return out


def offending_field(info: Any) -> str | None:
    """The body field a mapping refusal concerns, if it is one of ours that mirrors a body field
    (``t.price`` → ``price``); the reason text is parsed here and then dropped."""
    reasons: list[str] = []

    def walk(e: Any) -> None:
        if isinstance(e, Mapping):
            if isinstance(e.get("reason"), str):
                reasons.append(e["reason"])
            walk(e.get("caused_by"))
            walk(e.get("error"))

    walk(info)
    for reason in reasons:
        m = _FIELD.search(reason)
        if m and m.group(1).startswith(("t.", "s.")):
            return m.group(1)[2:].replace("-", ".")
    return None


def from_status(status: Any, info: Any, backend: str) -> DataAccessError:
    """The proxy error for an OpenSearch refusal (an HTTP status and its error body)."""
    types = error_types(info)
    where = f"opensearch store {backend!r}"
    if status == 429 or "es_rejected_execution_exception" in types or "circuit_breaking_exception" in types:
        return ResourceExhausted(f"{where} is overloaded; retry later", backend=backend)
    if status in (401, 403):
        log.warning("%s refused the proxy's credentials (status %s)", where, status)
        return Unavailable(f"{where} refused the proxy's credentials", backend=backend)
    if status == 404 and MISSING_INDEX in types:
        return Unavailable(f"{where} has no index for this entity (it was deleted?)", backend=backend)
    if status == 413:
        return ResourceExhausted("the document is larger than the store allows", backend=backend)
    if status == 400 and BAD_VALUE & set(types):
        field = offending_field(info)
        return InvalidArgument("the store refused a value in this request" + (f" (at {field})" if field else ""),
                               field=field, backend=backend)
    if status in (502, 503, 504) or status == "N/A":
        return Unavailable(f"{where} is not available", backend=backend)
    log.error("%s failed: status %s, %s", where, status, ",".join(dict.fromkeys(types)) or "no error type")
    return Internal("the store rejected the operation", backend=backend)


@asynccontextmanager
async def translated(backend: str) -> AsyncIterator[None]:
    try:
        yield
    except DataAccessError:
        raise
    except ConnectionTimeout as e:  # before ConnectionError: it is a subclass
        raise DeadlineExceeded(f"opensearch store {backend!r} did not answer in time", backend=backend) from e
    except OpenSearchConnectionError as e:
        log.debug("opensearch store %r unavailable: %s", backend, type(e.info).__name__)
        raise Unavailable(f"opensearch store {backend!r} is not available", backend=backend) from e
    except TransportError as e:
        raise from_status(e.status_code, e.info, backend) from e
    except SerializationError as e:
        raise InvalidArgument("the document holds a value the store cannot represent", backend=backend) from e
    except (ImproperlyConfigured, OpenSearchException) as e:
        log.error("opensearch error %s", type(e).__name__)
        raise Internal("the store rejected the operation", backend=backend) from e


def check(response: Any, backend: str, *, allowed: tuple[int, ...] = ()) -> Any:
    """A response fetched with ``ignore=...``: an error body not in ``allowed`` is raised as above."""
    if isinstance(response, Mapping) and "error" in response and "status" in response:
        if response["status"] not in allowed:
            raise from_status(response["status"], response, backend)
    return response
