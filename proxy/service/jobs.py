"""The Admin API's job calls (StartJob, GetJob, ListJobs, StopJob): backfill and verify run inside
the sidecar (`proxy.migrate.job`). Mixed into `AdminService`."""

from __future__ import annotations

from typing import Any

import grpc

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as apb
from proxy.errors import InvalidArgument, Unimplemented
from proxy.migrate.backfill import BackfillOptions
from proxy.migrate.job import Job, Jobs, segment_of
from proxy.migrate.verify import VerifyOptions

Context = grpc.aio.ServicerContext[Any, Any]
MAX_PAGE = 10_000


def backfill_options(o: apb.JobOptions) -> BackfillOptions:
    if o.rate < 0 or o.max_latency_ms < 0:
        raise InvalidArgument("rate and max_latency_ms must not be negative", field="options")
    return BackfillOptions(segment=segment_of(o.segments, o.segment), page=_page(o.page), rate=o.rate,
                           max_latency=o.max_latency_ms / 1000, reverse=o.reverse, restart=o.restart)


def verify_options(o: apb.JobOptions) -> VerifyOptions:
    if o.sample < 0:
        raise InvalidArgument("sample must not be negative", field="options.sample")
    return VerifyOptions(segment=segment_of(o.segments, o.segment), page=_page(o.page), fix=o.fix,
                         queue_only=o.queue_only, sample=o.sample)


def _page(page: int) -> int:
    if not 0 <= page <= MAX_PAGE:
        raise InvalidArgument(f"page must be between 1 and {MAX_PAGE}", field="options.page")
    return page or 500


def job_message(job: Job) -> apb.Job:
    p, o = job.progress, job.runner.options
    options = apb.JobOptions(segments=o.segment.count, segment=o.segment.index, page=o.page)
    if isinstance(o, BackfillOptions):
        options.rate, options.max_latency_ms = o.rate, o.max_latency * 1000
        options.reverse, options.restart = o.reverse, o.restart
    else:
        options.fix, options.queue_only, options.sample = o.fix, o.queue_only, o.sample
    return apb.Job(
        id=job.id, kind=job.kind, entity=p.entity, options=options, state=job.state, processed=p.processed,
        copied=p.copied, skipped_newer=p.skipped_newer, outcomes=dict(p.outcomes), divergent=p.divergent,
        total=p.total or 0, docs_per_second=p.docs_per_second, eta_seconds=p.eta or 0.0, cursor=p.cursor or "",
        paused_seconds=p.paused, error=p.error, note=p.note, started_at=job.started_at,
        finished_at=job.finished_at, elapsed_seconds=p.elapsed,
        samples=[apb.JobSample(key=s.key, outcome=s.comparison.outcome.value, old_version=s.comparison.old_version,
                               new_version=s.comparison.new_version,
                               diffs=[apb.FieldDiff(path=d.path, old=d.old or "", new=d.new or "")
                                      for d in s.comparison.diffs]) for s in p.samples])


class JobAdmin:
    """StartJob / GetJob / ListJobs / StopJob over a `Jobs` (None: this server runs no jobs)."""

    jobs: Jobs | None = None

    def _jobs(self) -> Jobs:
        if self.jobs is None:
            raise Unimplemented("this server runs no backfill or verify jobs")
        return self.jobs

    async def StartJob(self, request: apb.StartJobRequest, context: Context) -> apb.StartJobResponse:
        jobs = self._jobs()
        if request.kind == "backfill":
            job = jobs.start_backfill(request.entity, backfill_options(request.options))
        elif request.kind == "verify":
            job = jobs.start_verify(request.entity, verify_options(request.options))
        else:
            raise InvalidArgument(f"kind must be backfill or verify, not {request.kind!r}", field="kind")
        return apb.StartJobResponse(job=job_message(job))

    async def GetJob(self, request: apb.GetJobRequest, context: Context) -> apb.GetJobResponse:
        return apb.GetJobResponse(job=job_message(self._jobs().get(request.id)))

    async def ListJobs(self, request: apb.ListJobsRequest, context: Context) -> apb.ListJobsResponse:
        return apb.ListJobsResponse(jobs=[job_message(j) for j in self._jobs().list()])

    async def StopJob(self, request: apb.StopJobRequest, context: Context) -> apb.StopJobResponse:
        return apb.StopJobResponse(job=job_message(self._jobs().stop(request.id)))
