"""Graceful drain: SIGTERM under load through a real proxy process.

Calls that are provably in flight when the signal arrives are made by holding PostgreSQL row locks
from the test's own connection: Puts on those keys wait inside PostgreSQL, and `pg_stat_activity`
shows them waiting — no sleep in product code, no timing guess. Meanwhile 16 clients loop on other
keys. After SIGTERM: every call started before the signal succeeds, calls started after it are
answered OK or UNAVAILABLE (nothing else), the held calls finish once the locks go, and the process
exits 0 before its grace period is over.
"""

from __future__ import annotations

import asyncio
import signal
import time

import asyncpg
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.integration.kit import eventually, names, rules
from tests.integration.probe import Outcome, Raw, load

CLIENTS, HELD, GRACE = 16, 6, 60.0


async def test_sigterm_lets_calls_in_flight_finish(pg_dsn: str, mongo_url: str, proxy_factory) -> None:
    table, coll = names()
    p = proxy_factory(rules(table, coll, "dualwrite", pg_timeout="120s"),
                      {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url}, extra_args=("--grace", str(GRACE)))
    held = [f"held{i}" for i in range(HELD)]
    conn, watch = await asyncpg.connect(pg_dsn), await asyncpg.connect(pg_dsn)
    lock = conn.transaction()
    async with Raw(p.address, timeout=GRACE * 2) as raw, Raw(p.address) as loader:
        for key in held:
            assert (await raw.put("product", key, {"name": key})).code == "OK"
        await lock.start()
        await conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ANY($1::text[]) FOR UPDATE', held)
        blocked = [asyncio.create_task(raw.put("product", key, {"name": key, "second": True})) for key in held]

        async def waiting_in_postgres() -> bool:
            # asked on another connection: inside the locking transaction the view would stay as first read
            n = await watch.fetchval("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND query LIKE '%' || $1 || '%'", table)
            return int(n) == HELD
        await eventually(waiting_in_postgres, 30, f"{HELD} Puts waiting on the row locks")

        results: list[list[Outcome]] = [[] for _ in range(CLIENTS)]
        stop = asyncio.Event()
        loops = [asyncio.create_task(load(loader, "product", i, stop, results[i], stop_on_unavailable=True))
                 for i in range(CLIENTS)]

        async def running() -> bool:
            return all(sum(o.code == "OK" for o in r) >= 5 for r in results)
        await eventually(running, 60, "every client running")

        signalled = time.monotonic()
        p.proc.send_signal(signal.SIGTERM)
        # each client keeps calling until it is refused, then stops (as a client of a leaving sidecar does)
        async with asyncio.timeout(GRACE / 2):
            await asyncio.gather(*loops)
        assert p.proc.poll() is None, "the proxy exited with calls in flight"
        assert not any(t.done() for t in blocked), "a held call finished while its row was locked"
        async with grpc.aio.insecure_channel(p.address) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
            assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING

        await lock.rollback()  # the held calls may go on now
        finished = await asyncio.gather(*blocked)
    await conn.close()
    await watch.close()

    assert [o.code for o in finished] == ["OK"] * HELD, finished
    assert all(o.started < signalled for o in finished)
    exit_code = await asyncio.to_thread(p.proc.wait, max(1.0, signalled + GRACE - time.monotonic()))
    assert exit_code == 0, p.logs()[-3000:]
    assert p.proc.stdout is not None and '"stopped"' in p.proc.stdout.read()

    calls = [o for r in results for o in r]
    assert {o.code for o in calls} <= {"OK", "UNAVAILABLE"}, {o.code for o in calls}
    early = [o for o in calls if o.started < signalled]
    assert all(o.code == "OK" for o in early), [o for o in early if o.code != "OK"][:3]
    refused = [o for o in calls if o.code == "UNAVAILABLE"]
    assert len(refused) == CLIENTS and all(o.started > signalled for o in refused)
    assert all("shutting down" in o.details for o in refused), {o.details for o in refused}
