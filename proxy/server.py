"""The gRPC server: DataAccess + Admin + health + reflection, with a graceful drain on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from proxy._gen.dataaccess.admin.v1 import admin_pb2, admin_pb2_grpc
from proxy._gen.dataaccess.v1 import data_access_pb2, data_access_pb2_grpc
from proxy.config.reload import Runtime
from proxy.service.admin import AdminService
from proxy.service.data_access import DataAccessService
from proxy.service.interceptors import ErrorInterceptor
from proxy.settings import EMBEDDED, Settings

log = logging.getLogger("proxy.server")
SERVICES = (data_access_pb2.DESCRIPTOR.services_by_name["DataAccessService"].full_name,
            admin_pb2.DESCRIPTOR.services_by_name["AdminService"].full_name)


def config_source(settings: Settings) -> tuple[str, str, Path, Path | None]:
    """(text, source, base dir for relative paths, file to watch)."""
    if settings.config is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return EMBEDDED.read_text(), "embedded", settings.data_dir.resolve(), None
    path = settings.config
    return path.read_text(), str(path), path.resolve().parent, path


async def serve(settings: Settings) -> None:
    text, source, base, watch = config_source(settings)
    async with Runtime(text, source, base, watch=watch, poll=settings.poll, drain_timeout=settings.grace) as runtime:
        server = grpc.aio.server(interceptors=[ErrorInterceptor()], options=[
            ("grpc.max_receive_message_length", 64 << 20), ("grpc.so_reuseport", 0)])
        data_access_pb2_grpc.add_DataAccessServiceServicer_to_server(DataAccessService(runtime), server)
        admin_pb2_grpc.add_AdminServiceServicer_to_server(AdminService(runtime), server)
        health_servicer = health.aio.HealthServicer()  # type: ignore[attr-defined]
        health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
        reflection.enable_server_reflection((*SERVICES, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
        port = server.add_insecure_port(settings.listen)
        if settings.metrics:
            from proxy.telemetry.http import start_metrics

            start_metrics(settings.metrics)
        await server.start()
        for name in ("", *SERVICES):
            await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
        host = settings.listen.rsplit(":", 1)[0]
        print(json.dumps({"event": "listening", "address": f"{host}:{port}", "rules": runtime.snapshot.rules_version}),
              flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("draining: refusing new calls, waiting up to %.1fs for calls in flight", settings.grace)
        await health_servicer.enter_graceful_shutdown()
        await server.stop(settings.grace)
    print(json.dumps({"event": "stopped"}), flush=True)


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
