"""The asyncio client."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import grpc

from dataaccess_client import _core as core
from dataaccess_client._core import Condition, Document, Page
from dataaccess_client._gen.dataaccess.v1 import data_access_pb2 as pb
from dataaccess_client._gen.dataaccess.v1 import data_access_pb2_grpc as pb_grpc
from dataaccess_client.errors import UnavailableError, from_rpc_error


class AsyncClient:
    """``async with AsyncClient("127.0.0.1:50051") as db: await db.get("product", "p1")``.

    Every call has a deadline (``timeout`` seconds by default). Calls that are safe to repeat
    (reads, and writes with an expected version) are retried on UNAVAILABLE up to ``retries`` times.
    """

    def __init__(self, address: str = "127.0.0.1:50051", *, timeout: float = 5.0, retries: int = 2,
                 credentials: grpc.ChannelCredentials | None = None, token: str | None = None,
                 caller: str | None = None) -> None:
        self._channel = (grpc.aio.secure_channel(address, credentials) if credentials
                         else grpc.aio.insecure_channel(address))
        self._stub = pb_grpc.DataAccessServiceStub(self._channel)
        self.timeout, self.retries = timeout, retries
        md = []
        if token:
            md.append(("authorization", f"Bearer {token}"))
        if caller:
            md.append(("x-dataaccess-caller", caller))
        self._metadata = tuple(md)
        self.rules_version = ""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        await self._channel.close(None)

    async def _call(self, method: Callable[..., Any], request: Any, idempotent: bool) -> Any:
        attempt = 0
        while True:
            try:
                call = method(request, timeout=self.timeout, metadata=self._metadata)
                response = await call
                for k, v in await call.trailing_metadata() or ():
                    if k == "x-dataaccess-rules":
                        self.rules_version = str(v)
                return response
            except grpc.RpcError as e:
                err = from_rpc_error(e)
                if isinstance(err, UnavailableError) and idempotent and attempt < self.retries:
                    attempt += 1
                    await asyncio.sleep(0.05 * 2 ** attempt * (0.5 + random.random()))
                    continue
                raise err from None

    async def get(self, entity: str, key: str) -> Document:
        r = await self._call(self._stub.Get, pb.GetRequest(entity=entity, key=key), True)
        return core.doc(r.document)

    async def batch_get(self, entity: str, keys: Sequence[str]) -> tuple[list[Document], list[str]]:
        r = await self._call(self._stub.BatchGet, pb.BatchGetRequest(entity=entity, keys=list(keys)), True)
        return [core.doc(d) for d in r.documents], list(r.missing_keys)

    async def put(self, entity: str, key: str, document: Mapping[str, Any], *, expected_version: int = 0,
                  must_not_exist: bool = False, must_exist: bool = False) -> Document:
        req = pb.PutRequest(entity=entity, key=key, json=core.dumps(document),
                            precondition=core.precondition(expected_version, must_not_exist, must_exist))
        r = await self._call(self._stub.Put, req, bool(expected_version))
        return core.doc(r.document)

    async def update(self, entity: str, key: str, *, set: Mapping[str, Any] | None = None,
                     unset: Sequence[str] | None = None, increment: Mapping[str, Any] | None = None,
                     condition: Iterable[Condition] | None = None, expected_version: int = 0) -> Document:
        req = core.update_request(entity, key, set, unset, increment, condition, expected_version)
        r = await self._call(self._stub.Update, req, bool(expected_version))
        return core.doc(r.document)

    async def delete(self, entity: str, key: str, *, expected_version: int = 0, allow_missing: bool = False) -> int:
        req = pb.DeleteRequest(entity=entity, key=key, expected_version=expected_version, allow_missing=allow_missing)
        r = await self._call(self._stub.Delete, req, bool(expected_version))
        return int(r.version)

    async def query(self, entity: str, filter: Iterable[Condition] | None = None,
                    order: Sequence[tuple[str, bool] | str] | None = None, limit: int = 0,
                    page_token: str = "") -> Page:
        r = await self._call(self._stub.Query, core.query_request(entity, filter, order, limit, page_token), True)
        return Page([core.doc(d) for d in r.documents], r.next_page_token)

    async def search(self, entity: str, text: str, filter: Iterable[Condition] | None = None, limit: int = 0,
                     page_token: str = "") -> Page:
        req = pb.SearchRequest(entity=entity, text=text, filter=core.conditions(filter), limit=limit,
                               page_token=page_token)
        r = await self._call(self._stub.Search, req, True)
        return Page([core.doc(d) for d in r.documents], r.next_page_token)
