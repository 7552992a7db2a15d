"""Proxied Get/Put vs the direct asyncpg call on the same table, same run, open-loop fixed rate.

    .venv/bin/python -m bench.get_put [--rate 300] [--seconds 10]

Requests are *scheduled* at a fixed rate (open loop: a slow response does not delay the next send),
so latency includes queueing the way production traffic sees it. Reports added p50/p99 latency
(proxy minus direct) and proxy CPU seconds per 1,000 requests (from /proc). The load generator runs
in this process; at a few hundred rps it is far from saturated (its own CPU is reported too).
Results: bench/results/get_put.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import grpc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dev.postgres import dsn, postgres  # noqa: E402
from proxy._gen.dataaccess.v1 import data_access_pb2 as pb  # noqa: E402
from proxy._gen.dataaccess.v1 import data_access_pb2_grpc as pb_grpc  # noqa: E402
from tests.conftest import start_proxy  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def open_loop(fn: Callable[[int], Awaitable[object]], rate: float, seconds: float) -> list[float]:
    latencies: list[float] = []
    n = int(rate * seconds)
    start = time.perf_counter()

    async def one(i: int) -> None:
        t0 = time.perf_counter()
        await fn(i)
        latencies.append(time.perf_counter() - t0)

    async with asyncio.TaskGroup() as tg:
        for i in range(n):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tg.create_task(one(i))
    return latencies


def summary(lat: list[float]) -> dict[str, float]:
    q = statistics.quantiles(lat, n=1000, method="inclusive")
    return {"p50_ms": q[499] * 1000, "p99_ms": q[989] * 1000, "p999_ms": q[998] * 1000, "n": len(lat)}


async def main(rate: float, seconds: float) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    server = postgres(work / "pg").start()
    url = dsn(server)
    proxy = start_proxy("""
version: 1
backends: {pg: {kind: postgres, dsn_env: PG_DSN, pool_max: 20}}
journal: {backend: pg}
entities:
  item: {fields: {price: decimal}, old: {backend: pg, table: bench_items, document: doc}}
""", work / "proxy", {"PG_DSN": url, "DATAACCESS_LOG_LEVEL": "WARNING"})
    pool = await asyncpg.create_pool(url, min_size=10, max_size=20)
    body = json.dumps({"title": "benchmark item", "price": "19.99", "tags": ["a", "b"], "n": 1})
    results: dict[str, object] = {"rate_rps": rate, "seconds": seconds}
    try:
        async with grpc.aio.insecure_channel(proxy.address) as ch:
            stub = pb_grpc.DataAccessServiceStub(ch)
            keys = 1000
            for i in range(keys):  # warm both paths and fill the table
                await stub.Put(pb.PutRequest(entity="item", key=f"k{i}", json=body.encode()))

            async def direct_get(i: int) -> object:
                return await pool.fetchrow('SELECT id, dataaccess_version, doc::text FROM "bench_items" WHERE id = $1',
                                           f"k{i % keys}")

            async def direct_put(i: int) -> object:
                return await pool.fetchval(
                    'INSERT INTO "bench_items" (id, doc, dataaccess_version) VALUES ($1, $2::jsonb, 1) '
                    'ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, '
                    'dataaccess_version = "bench_items".dataaccess_version + 1 '
                    'RETURNING dataaccess_version', f"d{i % keys}", body)

            async def proxy_get(i: int) -> object:
                return await stub.Get(pb.GetRequest(entity="item", key=f"k{i % keys}"))

            async def proxy_put(i: int) -> object:
                return await stub.Put(pb.PutRequest(entity="item", key=f"p{i % keys}", json=body.encode()))

            me = os.getpid()
            for op, direct, proxied in (("get", direct_get, proxy_get), ("put", direct_put, proxy_put)):
                d = summary(await open_loop(direct, rate, seconds))
                cpu0, gen0 = cpu_seconds(proxy.proc.pid), cpu_seconds(me)
                p = summary(await open_loop(proxied, rate, seconds))
                cpu = cpu_seconds(proxy.proc.pid) - cpu0
                results[op] = {
                    "direct": d, "proxy": p,
                    "added_p50_ms": p["p50_ms"] - d["p50_ms"], "added_p99_ms": p["p99_ms"] - d["p99_ms"],
                    "p50_ratio": p["p50_ms"] / d["p50_ms"],
                    "proxy_cpu_s_per_1000": cpu / p["n"] * 1000,
                    "generator_cpu_s_per_1000": (cpu_seconds(me) - gen0) / p["n"] * 1000,
                }
    finally:
        await pool.close()
        proxy.stop()
        server.stop()
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    res = asyncio.run(main(a.rate, a.seconds))
    out = ROOT / "bench" / "results" / "get_put.json"
    out.write_text(json.dumps(res, indent=2) + "\n")
    print("| op | direct p50/p99 ms | proxy p50/p99 ms | added p50/p99 ms | proxy CPU s / 1k req |")
    print("|---|---|---|---|---|")
    for op in ("get", "put"):
        r = res[op]
        assert isinstance(r, dict)
        d, p = r["direct"], r["proxy"]
        print(f"| {op} | {d['p50_ms']:.2f} / {d['p99_ms']:.2f} | {p['p50_ms']:.2f} / {p['p99_ms']:.2f} | "
              f"{r['added_p50_ms']:.2f} / {r['added_p99_ms']:.2f} | {r['proxy_cpu_s_per_1000']:.3f} |")
