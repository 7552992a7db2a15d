"""Hot reload through real proxy processes, with the rules in a kubelet-style ConfigMap volume.

The proxy is started with ``--config DIR/rules.yaml`` where ``rules.yaml -> ..data/rules.yaml`` and
``..data`` points at a timestamped directory; every update is kubelet's swap (`configmap.py`). When a
swap has been *applied* is read from ``Admin.GetConfig`` (its rules version); every call started after
that must carry the new version in its ``x-dataaccess-rules`` trailer.
"""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from proxy._gen.dataaccess.admin.v1 import admin_pb2 as admin_pb
from proxy.config.load import rules_version
from proxy.routing.phases import Phase
from tests.integration.configmap import ConfigMapVolume
from tests.integration.kit import Admin, eventually, names, rules
from tests.integration.probe import Outcome, Raw, load, scrape, total

CLIENTS = 16


def _env(pg_dsn: str, mongo_url: str) -> dict[str, str]:
    return {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url}


async def _applied(admin: Admin, version: str, timeout: float = 60) -> float:
    """Wait until the proxy reports ``version`` in force; returns the monotonic time it was seen."""
    async def check() -> bool:
        return (await admin.config()).rules_version == version
    await eventually(check, timeout, f"rules {version} in force")
    return time.monotonic()


async def _phase(admin: Admin) -> str:
    routes = (await admin.stub.ListRoutes(admin_pb.ListRoutesRequest())).routes
    return {r.entity: r.phase for r in routes}["product"]


async def test_kubelet_swap_under_load_fails_no_call(pg_dsn: str, mongo_url: str, proxy_factory,
                                                     tmp_path: Path) -> None:
    table, coll = names()
    volume = ConfigMapVolume(tmp_path / "configmap")
    before, after = rules(table, coll, "dualwrite"), rules(table, coll, "shadow")
    volume.update({"rules.yaml": before})
    first_dir = volume.timestamped_dirs()
    p = proxy_factory("", _env(pg_dsn, mongo_url), extra_args=("--poll", "0.2"),
                      config_path=volume.path("rules.yaml"))
    v1, v2 = rules_version(before), rules_version(after)
    results: list[list[Outcome]] = [[] for _ in range(CLIENTS)]
    stop = asyncio.Event()
    async with Raw(p.address) as raw, Admin(p.address) as admin:
        loops = [asyncio.create_task(load(raw, "product", i, stop, results[i])) for i in range(CLIENTS)]

        async def warmed() -> bool:
            return all(len(r) >= 10 for r in results)
        await eventually(warmed, 60, "every client running")
        volume.update({"rules.yaml": after})
        applied = await _applied(admin, v2)

        async def enough_after() -> bool:
            return all(sum(o.started > applied for o in r) >= 20 for r in results)
        await eventually(enough_after, 60, "every client making calls on the new rules")
        stop.set()
        await asyncio.gather(*loops)

        config = await admin.config()
        assert (config.reloads_accepted, config.reloads_rejected) == (1, 0)
        assert await _phase(admin) == "shadow"
    calls = [o for r in results for o in r]
    failed = [o for o in calls if o.code != "OK"]
    assert not failed, f"{len(failed)} of {len(calls)} calls failed during the swap, e.g. {failed[:3]}"
    late = [o for o in calls if o.started > applied]
    assert late and all(o.rules == v2 for o in late), {o.rules for o in late}
    assert any(o.rules == v1 for o in calls), "no call was served by the first rules"
    assert {o.rules for o in calls} == {v1, v2}
    # kubelet's swap happened for real: the directory the proxy first read from is gone, and the proxy
    # did not write into it (relative paths in the rules, like the SQLite file here, resolve against
    # the directory named by --config, not the timestamped one its symlinks lead to)
    assert volume.timestamped_dirs() != first_dir and len(volume.timestamped_dirs()) == 1, volume.timestamped_dirs()
    assert (volume.root / "journal.db").exists()


async def test_malformed_update_is_rejected_and_the_old_rules_keep_serving(
        pg_dsn: str, mongo_url: str, proxy_factory, tmp_path: Path) -> None:
    table, coll = names()
    volume = ConfigMapVolume(tmp_path / "configmap")
    good = rules(table, coll, "dualwrite")
    volume.update({"rules.yaml": good})
    p = proxy_factory("", _env(pg_dsn, mongo_url), extra_args=("--poll", "0.2", "--metrics", "127.0.0.1:0"),
                      config_path=volume.path("rules.yaml"))
    # two problems in one file: both are reported
    bad = good.replace("phase: dualwrite", "phase: dualwrite\n    fallback_reads: true").replace(
        "shadow_sample: 1.0", "shadow_sample: 2")
    async with Raw(p.address) as raw, Admin(p.address) as admin:
        assert (await raw.put("product", "a", {"name": "a"})).code == "OK"
        volume.update({"rules.yaml": bad})

        async def rejected() -> bool:
            return (await admin.config()).reloads_rejected >= 1
        await eventually(rejected, 30, "the bad rules rejected")
        config = await admin.config()
        issues = list(config.last_error.issues)
        assert config.rules_version == rules_version(good), "the bad rules were swapped in"
        assert any("entities.product.fallback_reads" in i and "unknown key" in i for i in issues), issues
        assert any("entities.product.reads.shadow_sample" in i for i in issues), issues
        assert config.last_error.at >= config.loaded_at
        put = await raw.put("product", "b", {"name": "b"})
        assert (put.code, put.rules) == ("OK", rules_version(good))
        assert total(scrape(p.metrics), "dataaccess_config_reloads_total", result="rejected") == 1

        # the poll does not keep re-rejecting the same text; SIGHUP retries it on purpose
        await asyncio.sleep(1.5)  # ~7 poll intervals
        assert (await admin.config()).reloads_rejected == 1
        p.proc.send_signal(signal.SIGHUP)

        async def retried() -> bool:
            return (await admin.config()).reloads_rejected == 2
        await eventually(retried, 30, "SIGHUP retrying the bad rules")
        assert total(scrape(p.metrics), "dataaccess_config_reloads_total", result="rejected") == 2
        assert '"config rejected' in p.logs() or "config rejected" in p.logs()

        fixed = rules(table, coll, "shadow")
        volume.update({"rules.yaml": fixed})
        await _applied(admin, rules_version(fixed))
        config = await admin.config()
        assert not config.HasField("last_error"), "an error older than the rules in force is still shown"
        assert total(scrape(p.metrics), "dataaccess_config_reloads_total", result="accepted") == 1
        assert total(scrape(p.metrics), "dataaccess_rules_info", version=rules_version(fixed)) == 1


async def test_sighup_reloads_when_the_poll_would_not(pg_dsn: str, mongo_url: str, proxy_factory,
                                                      tmp_path: Path) -> None:
    table, coll = names()
    volume = ConfigMapVolume(tmp_path / "configmap")
    before, after = rules(table, coll, "off"), rules(table, coll, "dualwrite")
    volume.update({"rules.yaml": before})
    # an hour between polls: within this test only SIGHUP can explain a reload
    p = proxy_factory("", _env(pg_dsn, mongo_url), extra_args=("--poll", "3600"),
                      config_path=volume.path("rules.yaml"))
    async with Raw(p.address) as raw, Admin(p.address) as admin:
        volume.update({"rules.yaml": after})
        assert (await raw.put("product", "k", {"name": "k"})).rules == rules_version(before)
        p.proc.send_signal(signal.SIGHUP)
        applied = await _applied(admin, rules_version(after))
        put = await raw.put("product", "k", {"name": "k2"})
        assert put.started > applied and (put.code, put.rules) == ("OK", rules_version(after))
        assert await _phase(admin) == "dualwrite"
        assert (await admin.config()).reloads_accepted == 1


async def test_phase_moves_one_step_at_a_time(pg_dsn: str, mongo_url: str, proxy_factory, tmp_path: Path) -> None:
    """Every one-step move is accepted (one reload each), a jump is refused without ``force``.

    The journal is a SQLite file in the volume's directory, so the marker `complete` leaves ("the old
    store missed writes") belongs to this test alone.
    """
    table, coll = names()
    volume = ConfigMapVolume(tmp_path / "configmap")

    def text(phase: Phase | str, force: bool = False) -> str:
        return rules(table, coll, Phase(phase).value, journal="local", force=force)

    volume.update({"rules.yaml": text("off")})
    p = proxy_factory("", _env(pg_dsn, mongo_url), extra_args=("--poll", "0.2"),
                      config_path=volume.path("rules.yaml"))
    async with Raw(p.address) as raw, Admin(p.address) as admin:
        # a jump is refused, naming the entity and the jump
        volume.update({"rules.yaml": text("live")})

        async def refused() -> bool:
            return (await admin.config()).reloads_rejected == 1
        await eventually(refused, 30, "off → live refused")
        issues = list((await admin.config()).last_error.issues)
        assert issues == ["entities.product.phase: off → live skips steps; move one step at a time or set "
                          "force: true"], issues
        assert await _phase(admin) == "off"

        o, d, s, li, r, c = list(Phase)
        steps = 0
        for phase in (d, s, li, s, d, o):  # there and back before anything reaches `complete`
            steps += await _step(raw, admin, volume, text(phase), phase)
        for phase in (li, o):  # with force: true a jump is taken, either way
            steps += await _step(raw, admin, volume, text(phase, force=True), phase)
        for phase in (d, s, li, r, c, r, li):  # to `complete`, and back as far as the new store leads
            steps += await _step(raw, admin, volume, text(phase), phase)
        config = await admin.config()
        assert (config.reloads_accepted, config.reloads_rejected) == (steps, 1)

        # live → shadow after `complete`: one step, but PostgreSQL missed the writes made in `complete`
        volume.update({"rules.yaml": text(s)})

        async def refused_back() -> bool:
            last = (await admin.config()).last_error
            return any("backfill product --reverse" in i for i in last.issues)
        await eventually(refused_back, 30, "live → shadow refused until a reverse backfill")
        assert await _phase(admin) == "live"


async def _step(raw: Raw, admin: Admin, volume: ConfigMapVolume, text: str, phase: Phase) -> int:
    """One reload to ``phase``; then a Put and a Get served by it."""
    volume.update({"rules.yaml": text})
    await _applied(admin, rules_version(text))
    assert await _phase(admin) == phase.value
    put = await raw.put("product", "walker", {"name": "walker", "phase": phase.value})
    get = await raw.get("product", "walker")
    assert (put.code, get.code) == ("OK", "OK"), (phase, put, get)
    assert put.rules == get.rules == rules_version(text)
    return 1
