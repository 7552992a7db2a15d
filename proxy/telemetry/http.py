"""The Prometheus scrape endpoint (plain HTTP on the admin port, in a daemon thread)."""

from __future__ import annotations

from prometheus_client import start_http_server

from proxy.telemetry.metrics import REGISTRY


def start_metrics(address: str) -> int:
    host, _, port = address.rpartition(":")
    server, _thread = start_http_server(int(port), addr=host or "127.0.0.1", registry=REGISTRY)
    return int(server.server_port)
