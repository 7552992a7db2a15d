"""Every client runs the shared scenario against one real proxy on PostgreSQL; transcripts must agree."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests" / "clients" / "scenario.json"
LANGUAGES = ["python", "go", "typescript", "java"]


@pytest.fixture(scope="module")
def proxy_address(pg_dsn: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.conftest import start_proxy

    p = start_proxy((ROOT / "tests" / "clients" / "config.yaml").read_text(), tmp_path_factory.mktemp("proxy"),
                    {"PG_DSN": pg_dsn})
    yield p.address
    p.stop()
    if p.proc.stdout:
        p.proc.stdout.close()


def run(lang: str, address: str, scenario: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROOT / "clients" / lang / "run-scenario"), address, str(scenario),
                           f"{lang}-{uuid.uuid4().hex[:8]}"], capture_output=True, text=True, timeout=1200)


def test_every_client_passes_the_scenario_with_identical_transcripts(proxy_address: str) -> None:
    transcripts = {}
    for lang in LANGUAGES:
        out = run(lang, proxy_address, SCENARIO)
        assert out.returncode == 0, f"{lang}:\n{out.stdout}\n{out.stderr[-3000:]}"
        lines = [json.loads(x) for x in out.stdout.splitlines() if x.startswith("{")]
        assert all(x["ok"] for x in lines) and len(lines) == len(json.loads(SCENARIO.read_text())["steps"])
        transcripts[lang] = out.stdout.strip().splitlines()
    first = transcripts[LANGUAGES[0]]
    for lang, lines in transcripts.items():
        assert lines == first, f"{lang} transcript differs from {LANGUAGES[0]}"


def test_a_changed_expectation_fails_every_client(proxy_address: str, tmp_path: Path) -> None:
    scenario = json.loads(SCENARIO.read_text())
    step = next(s for s in scenario["steps"] if s["name"] == "delete")
    step["expect"] = {"version": 99}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(scenario, ensure_ascii=False))
    for lang in LANGUAGES:
        out = run(lang, proxy_address, broken)
        assert out.returncode == 1, f"{lang} did not fail on a wrong expectation:\n{out.stderr[-2000:]}"
        failed = [json.loads(x)["step"] for x in out.stdout.splitlines() if '"ok":false' in x]
        assert failed == ["delete"], (lang, failed)
