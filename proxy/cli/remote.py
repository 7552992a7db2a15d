"""`dataaccess backfill|verify … --address HOST:PORT`: the job runs inside that sidecar (Admin API
StartJob); this follows it with GetJob and shows the same progress as a local run. Ctrl-C asks the
sidecar to stop the job after its current page (StopJob); a second Ctrl-C leaves without waiting."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING

import grpc

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy._gen.dataaccess.admin.v1 import admin_pb2_grpc as apb_grpc
from proxy.migrate.progress import Progress, Sample
from proxy.models import Segment
from proxy.routing.diff import Comparison, FieldDiff, Outcome

if TYPE_CHECKING:
    from proxy.cli.migrate import Renderer

POLL = 0.5
DONE = ("succeeded", "failed", "stopped")


def progress_of(job: apb.Job) -> Progress:
    """A job as the Admin API reports it, as the `Progress` the renderers draw."""
    o = job.options
    samples = tuple(Sample(s.key, Comparison(
        s.key, Outcome(s.outcome), tuple(FieldDiff(d.path, d.old or None, d.new or None) for d in s.diffs),
        s.old_version, s.new_version)) for s in job.samples)
    return Progress(kind=job.kind, entity=job.entity, segment=Segment(o.segment, o.segments or 1),
                    state=job.state, processed=job.processed, copied=job.copied, skipped_newer=job.skipped_newer,
                    outcomes=dict(job.outcomes), total=job.total or None, elapsed=job.elapsed_seconds,
                    docs_per_second=job.docs_per_second, cursor=job.cursor or None, paused=job.paused_seconds,
                    error=job.error, note=job.note, samples=samples, reverse=o.reverse)


def options_of(args: argparse.Namespace) -> apb.JobOptions:
    o = apb.JobOptions(segments=args.segments, segment=args.segment, page=args.page)
    if args.command == "backfill":
        o.rate, o.max_latency_ms, o.reverse, o.restart = args.rate, args.max_latency, args.reverse, args.restart
    else:
        o.fix, o.queue_only, o.sample = args.fix or args.queue_only, args.queue_only, args.sample
    return o


async def follow(args: argparse.Namespace, render: Renderer) -> int:
    from proxy.cli.migrate import exit_code

    async with grpc.aio.insecure_channel(args.address) as channel:
        stub = apb_grpc.AdminServiceStub(channel)
        try:
            job = (await stub.StartJob(apb.StartJobRequest(kind=args.command, entity=args.entity,
                                                            options=options_of(args)), timeout=30)).job
        except grpc.RpcError as e:
            print(f"{args.address}: {_status(e)}", file=sys.stderr)
            return 2
        print(f"job {job.id} started in {args.address}", file=sys.stderr)
        stop, leave = asyncio.Event(), asyncio.Event()
        stop_sent = False

        def interrupted() -> None:
            if not stop.is_set():
                print(f"\nstopping job {job.id} after its current page (again to leave it)", file=sys.stderr)
                stop.set()
            else:
                leave.set()

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, interrupted)
        try:
            while job.state not in DONE and not leave.is_set():
                try:
                    await asyncio.wait_for(leave.wait(), POLL)
                except TimeoutError:
                    pass
                try:
                    if stop.is_set() and not stop_sent:
                        stop_sent = True
                        await stub.StopJob(apb.StopJobRequest(id=job.id), timeout=10)
                    job = (await stub.GetJob(apb.GetJobRequest(id=job.id), timeout=10)).job
                except grpc.RpcError as e:
                    print(f"\n{args.address}: lost the job ({_status(e)})", file=sys.stderr)
                    return 3
                render(progress_of(job))
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
        if leave.is_set():
            print(f"left job {job.id} ({job.state})", file=sys.stderr)
            return 130
        final = progress_of(job)
        render.end(final)
        return exit_code(final)


def _status(e: grpc.RpcError) -> str:
    if isinstance(e, grpc.aio.AioRpcError):
        return f"{e.code().name}: {e.details()}"
    return "error"
