"""The DataAccess gRPC service: validate (convert), route (router), answer (convert)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc

from proxy._gen.dataaccess.v1 import data_access_pb2 as pb
from proxy._gen.dataaccess.v1 import data_access_pb2_grpc as pb_grpc
from proxy.config.load import Snapshot
from proxy.config.reload import Runtime
from proxy.errors import InvalidArgument, PermissionDenied
from proxy.models import Precondition, Query, Search
from proxy.routing.route import Route
from proxy.service import convert
from proxy.service.interceptors import rules_version

Context = grpc.aio.ServicerContext[Any, Any]


def caller_of(snapshot: Snapshot, context: Context) -> str | None:
    """The caller's name: the mTLS peer's common name if any, else the configured header."""
    auth = context.auth_context()
    cn = auth.get("x509_common_name") if auth else None
    if cn:
        return bytes(next(iter(cn))).decode()
    header = snapshot.config.security.caller_header.lower()
    for k, v in context.invocation_metadata() or ():
        if k == header:
            return v if isinstance(v, str) else bytes(v).decode()
    return None


class DataAccessService(pb_grpc.DataAccessServiceServicer):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @asynccontextmanager
    async def _route(self, entity: str, context: Context) -> AsyncIterator[tuple[Snapshot, Route]]:
        async with self.runtime.use() as snap:
            rules_version.set(snap.rules_version)
            route = snap.routes.get(entity)
            if route is None:
                raise InvalidArgument(f"unknown entity {entity!r}" if entity else "entity must be set",
                                      field="entity")
            allowed = route.config.callers
            if allowed is not None:
                caller = caller_of(snap, context)
                if caller not in allowed:
                    raise PermissionDenied(f"caller {caller or '(anonymous)'!r} may not use entity {entity!r}",
                                           entity=entity)
            yield snap, route

    async def Get(self, request: pb.GetRequest, context: Context) -> pb.GetResponse:
        async with self._route(request.entity, context) as (_, route):
            doc = await self.runtime.router.get(route, convert.key(request.key, route.schema))
            return pb.GetResponse(document=convert.out(doc, route.schema))

    async def BatchGet(self, request: pb.BatchGetRequest, context: Context) -> pb.BatchGetResponse:
        async with self._route(request.entity, context) as (snap, route):
            keys = convert.keys(list(request.keys), route.schema, snap.config.limits)
            found = await self.runtime.router.batch_get(route, keys)
            ordered = list(dict.fromkeys(keys))
            return pb.BatchGetResponse(
                documents=[convert.out(found[k], route.schema) for k in ordered if k in found],
                missing_keys=[k for k in ordered if k not in found])

    async def Put(self, request: pb.PutRequest, context: Context) -> pb.PutResponse:
        async with self._route(request.entity, context) as (snap, route):
            key = convert.key(request.key, route.schema)
            body = convert.document(request.json, key, route.schema, snap.config.limits)
            pre = convert.precondition(request.precondition if request.HasField("precondition") else None)
            doc = await self.runtime.router.put(route, key, body, pre)
            return pb.PutResponse(document=convert.out(doc, route.schema))

    async def Update(self, request: pb.UpdateRequest, context: Context) -> pb.UpdateResponse:
        async with self._route(request.entity, context) as (_, route):
            key = convert.key(request.key, route.schema)
            doc = await self.runtime.router.update(route, key, convert.update(request, route.schema))
            return pb.UpdateResponse(document=convert.out(doc, route.schema))

    async def Delete(self, request: pb.DeleteRequest, context: Context) -> pb.DeleteResponse:
        async with self._route(request.entity, context) as (_, route):
            key = convert.key(request.key, route.schema)
            if request.expected_version < 0:
                raise InvalidArgument("expected_version must not be negative", field="expected_version")
            pre = Precondition(expected_version=request.expected_version)
            version = await self.runtime.router.delete(route, key, pre, request.allow_missing)
            return pb.DeleteResponse(version=version)

    async def Query(self, request: pb.QueryRequest, context: Context) -> pb.QueryResponse:
        async with self._route(request.entity, context) as (snap, route):
            fp = convert.fingerprint(request.entity, request)
            query = Query(filter=convert.conditions(request.filter, route.schema, "filter"),
                          order=convert.orders(request.order), limit=convert.limit(request.limit, snap.config.limits),
                          cursor=convert.decode_token(request.page_token, fp))
            page = await self.runtime.router.query(route, query)
            return pb.QueryResponse(documents=[convert.out(d, route.schema) for d in page.documents],
                                    next_page_token=convert.encode_token(fp, page.cursor))

    async def Search(self, request: pb.SearchRequest, context: Context) -> pb.SearchResponse:
        async with self._route(request.entity, context) as (snap, route):
            fp = convert.fingerprint(request.entity, request)
            search = Search(text=convert.search_text(request.text),
                            filter=convert.conditions(request.filter, route.schema, "filter"),
                            limit=convert.limit(request.limit, snap.config.limits),
                            cursor=convert.decode_token(request.page_token, fp))
            page = await self.runtime.router.search(route, search)
            return pb.SearchResponse(documents=[convert.out(d, route.schema) for d in page.documents],
                                     next_page_token=convert.encode_token(fp, page.cursor))
