"""Backfill and verify as jobs inside a running sidecar (Admin API StartJob / GetJob / ListJobs /
StopJob), and the CLI driving them with ``--address``; real PostgreSQL and FerretDB."""

from __future__ import annotations

import asyncio

import grpc
import pytest

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from tests.integration.backfill_kit import cli, cli_env, ferretdb_on_postgres, fresh_names, legacy_table, rules
from tests.integration.kit import Admin

ROWS = 20_000


async def _until(admin: Admin, job_id: str, done: bool, timeout: float = 120) -> list[apb.Job]:
    """Poll GetJob until the job has finished (``done``) or has processed something; every view seen."""
    seen: list[apb.Job] = []
    async with asyncio.timeout(timeout):
        while True:
            job = (await admin.stub.GetJob(apb.GetJobRequest(id=job_id))).job
            seen.append(job)
            if (job.state not in ("running", "stopping")) if done else job.processed > 0:
                return seen
            await asyncio.sleep(0.1)


async def test_backfill_job_runs_to_completion_and_a_slow_one_stops(pg_dsn: str, proxy_factory, tmp_path) -> None:
    # A FerretDB of its own on PostgreSQL (see backfill_kit.ferretdb_on_postgres): the shared one's SQLite
    # handler reads a whole collection for lookups by many ids, too slow for 20,000 documents.
    async with ferretdb_on_postgres(pg_dsn, tmp_path) as mongo_url:
        await _jobs(pg_dsn, mongo_url, proxy_factory)


async def _jobs(pg_dsn: str, mongo_url: str, proxy_factory) -> None:
    n = fresh_names()
    await legacy_table(pg_dsn, n.table, ROWS)
    p = proxy_factory(rules(n), {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url})
    async with Admin(p.address) as admin:
        started = (await admin.stub.StartJob(apb.StartJobRequest(
            kind="backfill", entity="product", options=apb.JobOptions(page=1000)))).job
        assert started.state == "running" and started.kind == "backfill" and started.entity == "product"
        seen = await _until(admin, started.id, done=True)
        job = seen[-1]
        assert job.state == "succeeded", job.error
        assert (job.processed, job.copied, job.skipped_newer) == (ROWS, ROWS, 0)
        assert job.finished_at >= job.started_at > 0 and job.total >= ROWS * 0.9
        assert any(0 < j.processed < ROWS and j.docs_per_second > 0 for j in seen), "no progress was visible"
        assert started.id in [j.id for j in (await admin.stub.ListJobs(apb.ListJobsRequest())).jobs]

        slow = (await admin.stub.StartJob(apb.StartJobRequest(kind="backfill", entity="product", options=apb.JobOptions(
            page=100, rate=500, restart=True)))).job  # 40 s at this rate: stopped long before
        with pytest.raises(grpc.aio.AioRpcError) as twice:
            await admin.stub.StartJob(apb.StartJobRequest(kind="backfill", entity="product"))
        assert twice.value.code() is grpc.StatusCode.ALREADY_EXISTS
        await _until(admin, slow.id, done=False)
        stopping = (await admin.stub.StopJob(apb.StopJobRequest(id=slow.id))).job
        assert stopping.state in ("stopping", "stopped")
        stopped = (await _until(admin, slow.id, done=True, timeout=30))[-1]
        assert stopped.state == "stopped" and 0 < stopped.processed < ROWS and stopped.cursor
        assert stopped.skipped_newer == stopped.processed  # everything was there already

        for bad in (apb.StartJobRequest(kind="backfill", entity="nope"), apb.StartJobRequest(kind="nope"),
                    apb.StartJobRequest(kind="verify", entity="product", options=apb.JobOptions(segments=2,
                                                                                              segment=2))):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await admin.stub.StartJob(bad)
            assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await admin.stub.GetJob(apb.GetJobRequest(id="backfill-nope-99"))
        assert missing.value.code() is grpc.StatusCode.NOT_FOUND

    # The CLI runs a job through the sidecar and follows it to the end.
    env = cli_env(pg_dsn, mongo_url)
    verify = await cli("verify", "product", "--address", p.address, "--json", env=env)
    assert verify.code == 0, verify.stderr
    assert verify.final["state"] == "succeeded" and verify.final["outcomes"] == {"match": ROWS}
    half = await cli("backfill", "product", "--address", p.address, "--segments", "2", "--segment", "1", "--json",
                     env=env)
    assert half.code == 0 and half.final["skipped_newer"] == half.final["processed"] > ROWS * 0.4, half.stderr
