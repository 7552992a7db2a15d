"""The Admin gRPC service: the rules in force, per-entity migration state, recent mismatches."""

from __future__ import annotations

from typing import Any

import grpc

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy._gen.dataaccess.admin.v1 import admin_pb2_grpc as apb_grpc
from proxy.config.reload import Runtime
from proxy.errors import InvalidArgument
from proxy.migrate.job import Jobs
from proxy.service.interceptors import rules_version
from proxy.service.jobs import JobAdmin
from proxy.service.status import mismatch, route_status

Context = grpc.aio.ServicerContext[Any, Any]


class AdminService(JobAdmin, apb_grpc.AdminServiceServicer):
    def __init__(self, runtime: Runtime, jobs: Jobs | None = None) -> None:
        self.runtime = runtime
        self.jobs = jobs

    async def GetConfig(self, request: apb.GetConfigRequest, context: Context) -> apb.GetConfigResponse:
        snap, r = self.runtime.snapshot, self.runtime.reloads
        rules_version.set(snap.rules_version)
        last = None
        if r.last_error and r.last_error_at > snap.loaded_at:
            last = apb.ReloadError(at=r.last_error_at, issues=r.last_error)
        return apb.GetConfigResponse(rules_version=snap.rules_version, source=snap.source, yaml=snap.text,
                                     loaded_at=snap.loaded_at, last_error=last, reloads_accepted=r.accepted,
                                     reloads_rejected=r.rejected)

    async def ListRoutes(self, request: apb.ListRoutesRequest, context: Context) -> apb.ListRoutesResponse:
        snap = self.runtime.snapshot
        rules_version.set(snap.rules_version)
        return apb.ListRoutesResponse(routes=[
            route_status(route, self.runtime.stats.of(name), self.runtime.journal.held_for(name))
            for name, route in sorted(snap.routes.items())])

    async def GetRoute(self, request: apb.GetRouteRequest, context: Context) -> apb.GetRouteResponse:
        snap = self.runtime.snapshot
        rules_version.set(snap.rules_version)
        route = snap.routes.get(request.entity)
        if route is None:
            raise InvalidArgument(f"unknown entity {request.entity!r}", field="entity")
        s = self.runtime.stats.of(request.entity)
        return apb.GetRouteResponse(route=route_status(route, s, self.runtime.journal.held_for(request.entity)),
                                    mismatches=[mismatch(m) for m in s.mismatches])
