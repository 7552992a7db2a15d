"""The gRPC server: DataAccess + Admin + health + reflection, with a graceful drain on SIGTERM.

The drain, all within ``grace`` seconds of SIGTERM: health turns NOT_SERVING; for ``drain_delay``
seconds calls are still served (so a call sent just before the signal is not refused); then new
DataAccess calls are answered UNAVAILABLE (reason DRAINING) while the calls in flight finish; then the
server stops (what is still running when ``grace`` runs out is cancelled) and background work
(asynchronous secondary writes) gets what is left of ``grace``. Refusing in the application before
stopping the gRPC server matters: grpcio cancels calls it has received but not yet handed to the
application when the server stops (grpc/grpc#41785), so the server is stopped only once clients have
been told to go away and nothing is in flight.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from proxy._gen.dataaccess.admin.v1 import admin_pb2, admin_pb2_grpc
from proxy._gen.dataaccess.v1 import data_access_pb2, data_access_pb2_grpc
from proxy.config.reload import Runtime
from proxy.migrate.job import sidecar_jobs
from proxy.service.admin import AdminService
from proxy.service.data_access import DataAccessService
from proxy.service.interceptors import ErrorInterceptor
from proxy.settings import EMBEDDED, Settings
from proxy.telemetry.tracing import tracing

log = logging.getLogger("proxy.server")
SERVICES = (data_access_pb2.DESCRIPTOR.services_by_name["DataAccessService"].full_name,
            admin_pb2.DESCRIPTOR.services_by_name["AdminService"].full_name)


def config_source(settings: Settings) -> tuple[str, str, Path, Path | None]:
    """(text, source, base dir for relative paths, file to watch)."""
    if settings.config is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return EMBEDDED.read_text(), "embedded", settings.data_dir.resolve(), None
    path = settings.config
    # Relative paths in the rules resolve against the directory named on the command line, not the one
    # its symlinks lead to: in a ConfigMap volume that is a timestamped directory kubelet deletes at the
    # next update.
    return path.read_text(), str(path), path.absolute().parent, path


async def serve(settings: Settings) -> None:
    text, source, base, watch = config_source(settings)
    with tracing():
        async with Runtime(text, source, base, watch=watch, poll=settings.poll,
                           drain_timeout=settings.grace) as runtime, sidecar_jobs(runtime) as jobs:
            interceptor = ErrorInterceptor()
            server = grpc.aio.server(interceptors=[interceptor], options=[
                ("grpc.max_receive_message_length", 64 << 20), ("grpc.so_reuseport", 0)])
            data_access_pb2_grpc.add_DataAccessServiceServicer_to_server(DataAccessService(runtime), server)
            admin_pb2_grpc.add_AdminServiceServicer_to_server(AdminService(runtime, jobs), server)
            health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
            health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
            reflection.enable_server_reflection((*SERVICES, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
            port = server.add_insecure_port(settings.listen)
            metrics_address = ""
            if settings.metrics:
                from proxy.telemetry.http import start_metrics

                metrics_host = settings.metrics.rpartition(":")[0] or "127.0.0.1"
                metrics_address = f"{metrics_host}:{start_metrics(settings.metrics)}"
            await server.start()
            for name in ("", *SERVICES):
                await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
            host = settings.listen.rsplit(":", 1)[0]
            print(json.dumps({"event": "listening", "address": f"{host}:{port}", "metrics": metrics_address,
                              "rules": runtime.snapshot.rules_version}), flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            await _drain(settings, server, interceptor, health_servicer, runtime)
    print(json.dumps({"event": "stopped"}), flush=True)


async def _drain(settings: Settings, server: grpc.aio.Server, interceptor: ErrorInterceptor, health_servicer: Any,
                 runtime: Runtime) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.grace
    log.info("draining: NOT_SERVING now, refusing new calls in %.2fs, exiting within %.1fs",
             settings.drain_delay, settings.grace)
    await health_servicer.enter_graceful_shutdown()
    await asyncio.sleep(max(0.0, min(settings.drain_delay, settings.grace)))
    interceptor.refuse()
    if not await interceptor.drained(deadline - loop.time()):
        log.warning("grace period over with calls still in flight: cancelling them")
    await server.stop(max(0.0, deadline - loop.time()))
    runtime.exit_timeout = max(0.0, deadline - loop.time())


def run(settings: Settings) -> int:
    from proxy.errors import ConfigError
    from proxy.telemetry.logging import setup_logging

    setup_logging()
    try:
        asyncio.run(serve(settings))
    except ConfigError as e:
        print(f"config {settings.config or 'embedded'} rejected:", file=sys.stderr)
        for issue in e.issues:
            print(f"  {issue}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"cannot start: {e}", file=sys.stderr)
        return 1
    return 0
