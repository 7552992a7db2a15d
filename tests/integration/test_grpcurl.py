"""grpcurl (installed by the harness with `go install`) sees the API through reflection alone."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def grpcurl() -> str:
    out = subprocess.run([str(ROOT / "dev" / "gotool.sh"), "grpcurl", "github.com/fullstorydev/grpcurl/cmd/grpcurl",
                          "v1.9.3"], capture_output=True, text=True, check=True, timeout=900)
    return out.stdout.strip()


def test_reflection_list_and_put_get_round_trip(pg_dsn: str, proxy_factory) -> None:
    tool = grpcurl()
    p = proxy_factory(f"""
version: 1
backends: {{pg: {{kind: postgres, dsn_env: PG_DSN}}}}
journal: {{backend: pg}}
entities:
  note: {{old: {{backend: pg, table: notes_{uuid.uuid4().hex[:6]}, document: doc}}}}
""", {"PG_DSN": pg_dsn})
    listed = subprocess.run([tool, "-plaintext", p.address, "list"], capture_output=True, text=True, timeout=30)
    assert listed.returncode == 0, listed.stderr
    services = listed.stdout.split()
    assert "dataaccess.v1.DataAccessService" in services and "grpc.health.v1.Health" in services
    body = json.dumps({"title": "hello from grpcurl"}).encode()
    import base64

    put = subprocess.run([tool, "-plaintext", "-d", json.dumps({"entity": "note", "key": "n1",
                                                                 "json": base64.b64encode(body).decode()}),
                          p.address, "dataaccess.v1.DataAccessService/Put"], capture_output=True, text=True, timeout=30)
    assert put.returncode == 0, put.stderr
    got = subprocess.run([tool, "-plaintext", "-d", '{"entity": "note", "key": "n1"}', p.address,
                          "dataaccess.v1.DataAccessService/Get"], capture_output=True, text=True, timeout=30)
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)["document"]
    assert json.loads(base64.b64decode(doc["json"])) == {"id": "n1", "title": "hello from grpcurl"}
    assert doc["version"] == "1"
