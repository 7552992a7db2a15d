"""What the demo shows and how it steers: the proxy's Admin API (measured state per entity) and the
rules file it watches. Every number printed comes from `AdminService.ListRoutes`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import grpc

from examples.seed import config
from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy._gen.dataaccess.admin.v1 import admin_pb2_grpc as apb_grpc

JUDGED = ("match", "mismatch", "missing_new", "missing_old")


class Admin:
    """``async with Admin(address) as admin``: the Admin API of one proxy."""

    def __init__(self, address: str) -> None:
        self.channel = grpc.aio.insecure_channel(address)
        self.stub = apb_grpc.AdminServiceStub(self.channel)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.channel.close(None)

    async def config(self) -> apb.GetConfigResponse:
        return await self.stub.GetConfig(apb.GetConfigRequest(), timeout=10)

    async def routes(self) -> dict[str, apb.RouteStatus]:
        response = await self.stub.ListRoutes(apb.ListRoutesRequest(), timeout=10)
        return {r.entity: r for r in response.routes}

    async def route(self, entity: str) -> apb.GetRouteResponse:
        return await self.stub.GetRoute(apb.GetRouteRequest(entity=entity), timeout=10)

    async def apply(self, path: Path, text: str, phases: Mapping[str, str], timeout: float = 90) -> tuple[str, float]:
        """Rewrite the watched rules file and wait until the proxy serves it: GetConfig reports its
        rules version and ListRoutes the expected phases. Returns that version and the seconds it took."""
        start = time.monotonic()
        want = config.write(path, text)
        while True:
            current = await self.config()
            if current.rules_version == want:
                break
            if time.monotonic() - start > timeout:
                issues = "; ".join(current.last_error.issues) or "no reload error reported"
                raise RuntimeError(f"the proxy did not take rules {want} within {timeout:g}s: {issues}")
            await asyncio.sleep(0.2)
        routes = await self.routes()
        wrong = {e: routes[e].phase for e, p in phases.items() if routes[e].phase != p}
        if wrong:
            raise RuntimeError(f"rules {want} are in force but phases are {wrong}, expected {dict(phases)}")
        return want, time.monotonic() - start

    async def settled(self, entities: Sequence[str], timeout: float = 60) -> None:
        """Wait until no entity has repairs waiting (secondary copies all landed)."""
        deadline = time.monotonic() + timeout
        while True:
            routes = await self.routes()
            waiting = {e: routes[e].repair_backlog for e in entities if routes[e].repair_backlog}
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"repair backlog did not drain within {timeout:g}s: {waiting}")
            await asyncio.sleep(0.5)


def _latency(lat: apb.Latency) -> str:
    return f"{lat.p50_ms:6.1f} / {lat.p99_ms:6.1f}" if lat.count else f"{'—':>6} / {'—':>6}"


def consistency(r: apb.RouteStatus) -> str:
    judged = sum(r.comparisons.get(k, 0) for k in JUDGED)
    return f"{100 * r.consistency:.2f}%" if judged else "—"


HEADER = (f"{'entity':<16} {'phase':<10} {'compared':>8} {'consistency':>11} {'old p50 / p99 ms':>17} "
          f"{'new p50 / p99 ms':>17} {'fallbacks':>9} {'backlog':>7} {'overlap':>7}")


def table(title: str, routes: Mapping[str, apb.RouteStatus], entities: Sequence[str]) -> str:
    """One row per entity: phase, comparisons made and the share that agreed, store latency old vs
    new (p50 / p99 of recent calls), reads that fell back to the old store, repairs waiting, and the
    mean top-k overlap of compared queries and searches."""
    lines = [title, HEADER, "-" * len(HEADER)]
    for e in entities:
        r = routes[e]
        compared = sum(v for k, v in r.comparisons.items() if k != "shed")
        overlap = f"{r.search_overlap:.2f}" if r.comparisons or r.phase in ("shadow", "live") else "—"
        lines.append(f"{e:<16} {r.phase:<10} {compared:>8} {consistency(r):>11} {_latency(r.old_latency):>17} "
                     f"{_latency(r.new_latency):>17} {r.fallbacks:>9} {r.repair_backlog:>7} {overlap:>7}")
    return "\n".join(lines)
