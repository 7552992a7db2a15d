"""`dataaccess health`: ask a running proxy's `grpc.health.v1` service; exit 0 only if it is SERVING.

This is what the container image's HEALTHCHECK runs (and what an exec probe or an operator can run);
Kubernetes itself uses its built-in `grpc:` probe against the same service. The address defaults to
the one the proxy was told to listen on (`DATAACCESS_LISTEN`), with a wildcard host (0.0.0.0, ::)
turned into loopback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

_WILDCARDS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "": "127.0.0.1"}


def target(listen: str) -> str:
    """The address to dial for a proxy listening on ``listen`` (wildcard hosts become loopback)."""
    host, _, port = listen.rpartition(":")
    return f"{_WILDCARDS.get(host, host)}:{port}"


def check(address: str, service: str = "", timeout: float = 3.0) -> str:
    """The serving status name (SERVING, NOT_SERVING, SERVICE_UNKNOWN, …) of ``service`` at ``address``."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(address) as channel:
        reply: Any = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=timeout, wait_for_ready=False)
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))


def _health(args: argparse.Namespace) -> int:
    import grpc

    address = args.address or target(os.environ.get("DATAACCESS_LISTEN", "127.0.0.1:50051"))
    try:
        status = check(address, args.service, args.timeout)
    except grpc.RpcError as e:
        code = e.code() if isinstance(e, grpc.Call) else None
        print(f"{address}: {code.name if code else 'ERROR'}", file=sys.stderr)
        return 1
    print(f"{address}: {status}")
    return 0 if status == "SERVING" else 1


def add_parser(sub: Any) -> None:
    """Register the `health` subcommand on the CLI's subparsers."""
    h = sub.add_parser("health", help="check a running proxy over grpc.health.v1; exit 0 if SERVING")
    h.add_argument("--address", help="host:port to check (default: $DATAACCESS_LISTEN, else 127.0.0.1:50051)")
    h.add_argument("--service", default="", help="service name to check (default: the whole server)")
    h.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the answer (default 3)")
    h.set_defaults(fn=_health)
