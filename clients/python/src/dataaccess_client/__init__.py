"""Python client for the DataAccess proxy.

    from dataaccess_client import Client
    with Client("127.0.0.1:50051") as db:
        doc = db.put("note", "n1", {"title": "hello", "price": Decimal("19.99")})
        print(db.get("note", "n1").data, doc.version)
"""

from dataaccess_client._core import Condition, Document, Page
from dataaccess_client.aio import AsyncClient
from dataaccess_client.errors import (
    AlreadyExistsError,
    ConflictError,
    DataAccessError,
    DeadlineExceededError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    ResourceExhaustedError,
    UnavailableError,
    UnimplementedError,
)
from dataaccess_client.sync import Client

__all__ = [
    "AlreadyExistsError", "AsyncClient", "Client", "Condition", "ConflictError", "DataAccessError",
    "DeadlineExceededError", "Document", "InternalError", "InvalidArgumentError", "NotFoundError", "Page",
    "PermissionDeniedError", "PreconditionFailedError", "ResourceExhaustedError", "UnavailableError",
    "UnimplementedError",
]
