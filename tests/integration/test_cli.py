"""The operator CLI (`dataaccess status|routes|plan|repair status|config validate`) run as a subprocess
against a real proxy on PostgreSQL + FerretDB: the tables people read and the ``--json`` scripts read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from dev.ferretdb import ferretdb, uri
from proxy.config.load import rules_version
from tests.integration.kit import Admin, Direct, eventually, names, rules
from tests.integration.probe import Raw

ROOT = Path(__file__).resolve().parents[2]
DATAACCESS = Path(sys.executable).parent / "dataaccess"  # the console script [project.scripts] installs


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DATAACCESS), *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60)


def cli_json(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Any:
    out = cli(*args, "--json", env=env)
    assert out.returncode == code, (out.stdout, out.stderr)
    return json.loads(out.stdout)


def row(table: str, first: str) -> list[str]:
    """The cells of the table line that starts with ``first`` (cells are separated by 2+ spaces)."""
    lines = [line for line in table.splitlines() if line.split("  ")[0] == first]
    assert len(lines) == 1, table
    return re.split(r"\s{2,}", lines[0].strip())


async def test_status_routes_and_repair_status(pg_dsn: str, proxy_factory, tmp_path: Path) -> None:
    mongo = ferretdb(tmp_path / "ferret").start()
    try:
        table, coll = names()
        p = proxy_factory(rules(table, coll, "shadow"), {"PG_DSN": pg_dsn, "MONGO_URI": uri(mongo)})
        async with Raw(p.address) as raw, Admin(p.address) as admin:
            for i in range(10):
                assert (await raw.put("product", f"k{i}", {"name": f"k{i}"})).code == "OK"
                assert (await raw.get("product", f"k{i}")).code == "OK"
            async with Direct(pg_dsn, uri(mongo), table, coll) as direct:  # closed before FerretDB is killed
                await direct.put_old("m", {"name": "old"}, 2)
                await direct.put_new("m", {"name": "new"}, 2)
            assert (await raw.get("product", "m")).code == "OK"

            async def compared() -> bool:
                c = (await admin.route()).route.comparisons
                return c["match"] >= 10 and c["mismatch"] >= 1
            await eventually(compared, 30, "11 comparisons")
            mongo.kill()
            for i in range(3):
                assert (await raw.put("product", f"d{i}", {"name": "d"})).code == "OK"

            async def journaled() -> bool:
                r = (await admin.route()).route
                return r.repair_backlog == 3 and r.repair_oldest_age_seconds > 0
            await eventually(journaled, 30, "3 keys in the repair journal")
            version = (await admin.config()).rules_version

        # status: the table, then the same facts as JSON (address from $DATAACCESS_ADDRESS)
        out = cli("status", env={"DATAACCESS_ADDRESS": p.address})
        assert out.returncode == 0, out.stderr
        header = row(out.stdout, "ENTITY")
        assert header == ["ENTITY", "PHASE", "CONSISTENCY", "COMPARED", "OLD p50/p99 ms", "NEW p50/p99 ms",
                          "FALLBACKS", "BACKLOG"]
        cells = dict(zip(header, row(out.stdout, "product"), strict=True))
        assert (cells["PHASE"], cells["CONSISTENCY"], cells["COMPARED"]) == ("shadow", "90.9%", "11")
        assert (cells["FALLBACKS"], cells["BACKLOG"]) == ("0", "3")
        assert all(float(x) > 0 for x in cells["OLD p50/p99 ms"].split("/") + cells["NEW p50/p99 ms"].split("/"))
        assert f"rules {version} from {p.config}" in out.stdout
        status = cli_json("status", "--address", p.address)
        assert status["rules_version"] == version and status["last_error"] is None
        [s] = status["entities"]
        assert (s["entity"], s["phase"], s["compared"], s["comparisons"]["mismatch"]) == ("product", "shadow", 11, 1)
        assert abs(s["consistency"] - 10 / 11) < 1e-9 and s["repair_backlog"] == 3 and s["secondary_failures"] == 3
        assert s["old_latency"]["count"] >= 13 and s["new_latency"]["count"] > 0

        out = cli("routes", "--address", p.address)
        assert out.returncode == 0, out.stderr
        assert row(out.stdout, "product") == ["product", "shadow", "pg (postgres)", "mongo (mongodb)",
                                              "old → new (sync)", "old, shadow 100%"]
        [r] = cli_json("routes", "--address", p.address)["routes"]
        assert r["writes"] == {"authoritative": "old", "secondary": "new", "secondary_mode": "sync",
                               "summary": "old → new (sync)"}
        assert (r["reads"]["from"], r["reads"]["compared"], r["reads"]["fallback"]) == ("old", True, False)

        out = cli("repair", "status", "--address", p.address)
        assert out.returncode == 0, out.stderr
        cells = dict(zip(row(out.stdout, "ENTITY"), row(out.stdout, "product"), strict=True))
        assert (cells["BACKLOG"], cells["HELD IN MEMORY"], cells["SECONDARY FAILURES"]) == ("3", "0", "3")
        assert cells["OLDEST"] != "-" and "journal: backend pg (postgres), table dataaccess_journal" in out.stdout
        repair = cli_json("repair", "status", "--address", p.address)
        [e] = repair["entities"]
        assert (e["backlog"], e["held_in_memory"], repair["total_backlog"]) == (3, 0, 3)
        assert e["oldest_age_seconds"] > 0
    finally:
        mongo.stop()


async def test_plan_offline_and_online(pg_dsn: str, mongo_url: str, proxy_factory, tmp_path: Path) -> None:
    table, coll = names()
    text = rules(table, coll, "dualwrite")
    file = tmp_path / "rules.yaml"
    file.write_text(text)

    # offline, one step: allowed, and the diff changes the phase line only
    out = cli("plan", "product", "--to", "shadow", "--config", str(file))
    assert out.returncode == 0, out.stderr
    assert "product: dualwrite → shadow (one step: allowed)" in out.stdout
    assert "-    phase: dualwrite\n+    phase: shadow\n" in out.stdout
    assert "a reload would accept this change" in out.stdout
    assert file.read_text() == text, "plan wrote to the rules file"

    # offline, a jump: needs force, which the planned change sets
    plan = cli_json("plan", "product", "--to", "live", "--config", str(file))
    assert (plan["from"], plan["to"], plan["steps"], plan["one_step"], plan["needs_force"]) == (
        "dualwrite", "live", 2, False, True)
    assert plan["accepted"] and "+    phase: live\n+    force: true\n" in plan["diff"]
    assert plan["yaml"] == text.replace("phase: dualwrite", "phase: live").replace("force: false", "force: true")
    assert plan["after"]["writes"]["authoritative"] == "new" and plan["after"]["reads"]["fallback"]
    assert any("authority moves from old to new" in n for n in plan["notes"])

    # refused: a phase with a new store for an entity that has none
    no_new = rules(table, coll, "off").replace("    new: {backend: mongo, collection: " + coll + "}\n", "")
    file.write_text(no_new)
    plan = cli_json("plan", "product", "--to", "dualwrite", "--config", str(file), code=1)
    assert not plan["accepted"] and plan["issues"] == ["entities.product.phase: phase 'dualwrite' needs a `new` store"]
    assert cli("plan", "nothing", "--to", "live", "--config", str(file)).returncode == 2

    # online: planned from the rules the sidecar serves; applying the planned YAML is a reload it accepts
    p = proxy_factory(text, {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url}, extra_args=("--poll", "0.2"))
    plan = cli_json("plan", "product", "--to", "shadow", "--address", p.address)
    assert plan["source"] == str(p.config) and plan["accepted"] and plan["from"] == "dualwrite"
    assert any(n.startswith(f"now at {p.address}: phase dualwrite") for n in plan["notes"])
    p.config.write_text(plan["yaml"])
    async with Admin(p.address) as admin:
        async def applied() -> bool:
            return (await admin.config()).rules_version == rules_version(plan["yaml"])
        await eventually(applied, 30, "the planned rules in force")
        assert (await admin.route()).route.phase == "shadow"
    again = cli_json("plan", "product", "--to", "shadow", "--address", p.address)
    assert again["steps"] == 0 and again["diff"] == "" and again["accepted"]


def test_unreachable_sidecar_and_config_validate(tmp_path: Path) -> None:
    out = cli("status", "--address", "127.0.0.1:1")
    assert out.returncode == 3 and "127.0.0.1:1: cannot reach the sidecar" in out.stderr
    assert cli_json("repair", "status", "--address", "127.0.0.1:1", code=3)["error"].startswith("127.0.0.1:1:")

    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(rules("t", "c", "shadow"))
    bad.write_text(rules("t", "c", "shadow").replace("phase: shadow", "phase: sideways"))
    assert cli_json("config", "validate", str(good)) == {"file": str(good), "ok": True, "issues": []}
    result = cli_json("config", "validate", str(bad), code=1)
    assert not result["ok"] and result["issues"][0].startswith("entities.product.phase:")
