"""Test-side probes of a running proxy: raw calls that report their status code and the rules version
in the trailing metadata (per call, unlike the client library's last-seen value), load loops, and a
Prometheus scrape."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import grpc
from prometheus_client.parser import text_string_to_metric_families

from proxy._gen.dataaccess.v1 import data_access_pb2 as pb
from proxy._gen.dataaccess.v1 import data_access_pb2_grpc as pb_grpc


@dataclass(frozen=True)
class Outcome:
    started: float  # time.monotonic() just before the call was made
    ended: float
    code: str  # grpc.StatusCode name
    rules: str  # x-dataaccess-rules trailer ("" if none)
    details: str = ""


class Raw:
    """The DataAccess stub with no retries, so every failure is seen as the server sent it."""

    def __init__(self, address: str, timeout: float = 30) -> None:
        self.channel = grpc.aio.insecure_channel(address)
        self.stub = pb_grpc.DataAccessServiceStub(self.channel)
        self.timeout = timeout

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.channel.close()

    async def _run(self, method: Any, request: Any, metadata: tuple[tuple[str, str], ...] = ()) -> Outcome:
        started = time.monotonic()
        call = method(request, timeout=self.timeout, metadata=metadata)
        try:
            await call
        except grpc.aio.AioRpcError as e:
            return Outcome(started, time.monotonic(), e.code().name, _rules(e.trailing_metadata()), e.details() or "")
        return Outcome(started, time.monotonic(), "OK", _rules(await call.trailing_metadata()))

    async def put(self, entity: str, key: str, body: dict[str, Any], traceparent: str = "") -> Outcome:
        return await self._run(self.stub.Put, pb.PutRequest(entity=entity, key=key, json=json.dumps(body).encode()),
                               _trace(traceparent))

    async def get(self, entity: str, key: str, traceparent: str = "") -> Outcome:
        return await self._run(self.stub.Get, pb.GetRequest(entity=entity, key=key), _trace(traceparent))


def _trace(traceparent: str) -> tuple[tuple[str, str], ...]:
    return (("traceparent", traceparent),) if traceparent else ()


def traceparent() -> tuple[str, str, str]:
    """A W3C traceparent for a new sampled trace, with its trace id and parent span id (hex)."""
    trace_id, span_id = os.urandom(16).hex(), os.urandom(8).hex()
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def _rules(metadata: Any) -> str:
    for k, v in metadata or ():
        if k == "x-dataaccess-rules":
            return str(v)
    return ""


async def load(raw: Raw, entity: str, client: int, stop: asyncio.Event, out: list[Outcome],
               stop_on_unavailable: bool = False, max_calls: int = 20_000) -> None:
    """One client's loop: Put then Get on its own keys until ``stop`` (bounded by ``max_calls``)."""
    for n in range(max_calls):
        if stop.is_set():
            return
        key = f"c{client}-{n // 2 % 50}"
        result = await (raw.put(entity, key, {"name": key, "n": n}) if n % 2 == 0 else raw.get(entity, key))
        out.append(result)
        if result.code == "UNAVAILABLE" and stop_on_unavailable:
            return


def scrape(address: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Prometheus text from ``http://ADDRESS/metrics`` as {sample name: {sorted labels: value}}."""
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as r:
        text = r.read().decode()
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(dict)
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[s.name][tuple(sorted(s.labels.items()))] = s.value
    return samples


def total(samples: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str, **labels: str) -> float:
    """Sum of ``name`` over the series whose labels include ``labels``."""
    return sum(v for k, v in samples.get(name, {}).items() if set(labels.items()) <= set(k))
