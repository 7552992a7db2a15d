"""`dataaccess verify` on real PostgreSQL and FerretDB: divergence injected straight into either store
is found and classified (with field paths, secrets redacted); `verify --fix` repairs it so the next
`verify` reports none; `--sample` checks a random subset. And `backfill --reverse` (rolling back
from `complete`) catches the old store up and lifts the marker that keeps authority from it."""

from __future__ import annotations

import json
from pathlib import Path

from dataaccess_client import AsyncClient

from tests.integration.backfill_kit import cli, cli_env, fresh_names, key, legacy_table, new_one, old_one, rules
from tests.integration.kit import Direct

ROWS = 300
SECRET = "4111111111111111"


async def test_verify_classifies_divergence_and_fix_repairs_it(pg_dsn: str, mongo_url: str, tmp_path: Path) -> None:
    n = fresh_names()
    await legacy_table(pg_dsn, n.table, ROWS)
    config = tmp_path / "rules.yaml"
    config.write_text(rules(n))
    env = cli_env(pg_dsn, mongo_url)
    verify = ("verify", "product", "--config", str(config), "--json")
    assert (await cli("backfill", "product", "--config", str(config), "--json", env=env)).code == 0
    clean = await cli(*verify, env=env)
    assert clean.code == 0 and clean.final["outcomes"] == {"match": ROWS}, clean.stderr

    async with Direct(pg_dsn, mongo_url, n.table, n.collection) as direct:
        body = (await old_one(direct, key(10)))
        assert body is not None and body.body is not None
        # mismatch at equal versions: a nested field changed in MongoDB behind the proxy's back
        await direct.put_new(key(10), {**body.body, "dims": {"w": 99, "h": 2}}, 1)
        # mismatch in a redacted field: both stores hold a card, with different numbers
        await direct.pg.execute(f'UPDATE "{n.table}" SET doc = doc || $2::jsonb WHERE id = $1', key(11),
                                json.dumps({"card": {"number": SECRET}}))
        eleven = await old_one(direct, key(11))
        assert eleven is not None and eleven.body is not None
        await direct.put_new(key(11), {**eleven.body, "card": {"number": "4242424242424242"}}, 1)
        await direct.coll.delete_one({"_id": key(20)})  # missing in the new store
        await direct.pg.execute(f'DELETE FROM "{n.table}" WHERE id = $1', key(30))  # missing in the old store
        await direct.pg.execute(  # stale: PostgreSQL moved on, MongoDB never heard of it
            f'UPDATE "{n.table}" SET doc = doc || \'{{"name": "newer"}}\', dataaccess_version = 2 WHERE id = $1',
            key(40))

    found = await cli(*verify, env=env)
    assert found.code == 1, found.stderr
    assert found.final["outcomes"] == {"match": ROWS - 5, "mismatch": 2, "missing_new": 1, "missing_old": 1,
                                       "stale": 1}
    samples = {s["key"]: s for s in found.final["samples"]}
    assert samples[key(10)]["diffs"] == [{"path": "dims.w", "old": "0", "new": "99"}]
    assert samples[key(11)]["diffs"] == [{"path": "card.number", "old": "<redacted>", "new": "<redacted>"}]
    assert (samples[key(20)]["outcome"], samples[key(30)]["outcome"]) == ("missing_new", "missing_old")
    assert (samples[key(40)]["outcome"], samples[key(40)]["old_version"], samples[key(40)]["new_version"]) == (
        "stale", 2, 1)
    assert SECRET not in json.dumps(found.lines) + found.stderr
    text = await cli("verify", "product", "--config", str(config), env=env)  # the human-readable report
    assert text.code == 1 and "dims.w: 0 → 99" in text.stdout and SECRET not in text.stdout
    assert "mismatched 2" in text.stdout and "missing in new 1" in text.stdout

    fixed = await cli(*verify, "--fix", env=env)
    assert fixed.code == 0, fixed.stderr
    assert fixed.final["outcomes"]["fixed"] == 5 and "queued" not in fixed.final["outcomes"]
    again = await cli(*verify, env=env)
    assert again.code == 0 and again.final["outcomes"] == {"match": ROWS}, again.final

    async with Direct(pg_dsn, mongo_url, n.table, n.collection) as direct:
        for k, version in ((key(10), 2), (key(11), 2), (key(20), 1), (key(30), 1), (key(40), 2)):
            old, new = await old_one(direct, k), await new_one(direct, k)
            assert old is not None and new is not None and old.version == new.version == version, (k, old, new)
        ten = await new_one(direct, key(10))  # dualwrite: PostgreSQL is authoritative, its content won
        assert ten is not None and ten.body is not None and ten.body["dims"] == {"w": 0, "h": 2}
        forty = await new_one(direct, key(40))
        assert forty is not None and forty.body is not None and forty.body["name"] == "newer"

    sample = await cli(*verify, "--sample", "40", "--seed", "7", env=env)
    assert sample.code == 0 and sample.final["processed"] == 40 and sample.final["outcomes"] == {"match": 40}


async def test_reverse_backfill_catches_the_old_store_up_after_complete(pg_dsn: str, mongo_url: str, proxy_factory,
                                                                        tmp_path: Path) -> None:
    n = fresh_names()
    await legacy_table(pg_dsn, n.table, 50)
    env = cli_env(pg_dsn, mongo_url)
    config = tmp_path / "rules.yaml"
    config.write_text(rules(n, "dualwrite"))
    assert (await cli("backfill", "product", "--config", str(config), env=env)).code == 0
    p = proxy_factory(rules(n, "complete"), {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url})
    async with AsyncClient(p.address, timeout=30) as db:  # in `complete` only MongoDB gets these
        for i in range(10):
            await db.put("product", f"c{i}", {"name": f"created while complete {i}"})
        updated = await db.update("product", key(1), set={"name": "renamed while complete"})
        deleted = await db.delete("product", key(2))
    p.stop()

    async def behind() -> bool:
        async with Direct(pg_dsn, mongo_url, n.table, n.collection) as direct:
            return bool(await direct.pg.fetchval(f'SELECT count(*) FROM "{n.journal}" WHERE id = $1',
                                                 "old-behind:product"))
    assert await behind(), "the sidecar did not mark the old store as behind"

    config.write_text(rules(n, "complete"))  # too early: the old store still receives no writes
    early = await cli("backfill", "product", "--config", str(config), "--reverse", "--json", env=env)
    assert early.code == 0 and early.final["copied"] == 12, early.stderr  # 10 created, 1 updated, 1 deleted
    assert "stays marked as behind" in early.final["note"] and await behind()
    config.write_text(rules(n, "rampdown"))  # the config path from the environment, as in the Kubernetes Job
    back = await cli("backfill", "product", "--reverse", "--json", env={**env, "DATAACCESS_CONFIG": str(config)})
    assert back.code == 0 and "caught up" in back.final["note"], back.stderr
    assert back.final["copied"] == 0 and back.final["processed"] == 60
    assert not await behind()

    async with Direct(pg_dsn, mongo_url, n.table, n.collection) as direct:
        one, two, c3 = await old_one(direct, key(1)), await old_one(direct, key(2)), await old_one(direct, "c3")
    assert one is not None and one.version == updated.version
    assert one.body is not None and one.body["name"] == "renamed while complete"
    assert two is not None and two.deleted and two.version == deleted
    assert c3 is not None and c3.version == 1
    assert (await cli("verify", "product", "--config", str(config), env=env)).code == 0
