"""Issue 3: walk an entity off → … → complete and back to off under continuous writes; nothing that
was acknowledged is lost at any step.

The walk follows the runbook: after `dualwrite` the rows that existed before are backfilled into
MongoDB (`dataaccess backfill`), and after stepping back from `complete` (when PostgreSQL received
no writes) they are backfilled the other way (`dataaccess backfill --reverse`) before PostgreSQL
takes authority again. Each step is a rewrite of the rules file the proxy watches; the step counts
once Admin.GetConfig shows the new rules version. At the end every key's last acknowledged state is
what PostgreSQL (authoritative again) holds.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from dataaccess_client import AsyncClient, NotFoundError

from proxy.config.load import rules_version
from tests.integration.kit import Admin, Direct, eventually, names, plain, rules

ROOT = Path(__file__).resolve().parents[2]
WALK = ["dualwrite", "shadow", "live", "rampdown", "complete", "rampdown", "live", "shadow", "dualwrite", "off"]
KEYS = 30


class Writers:
    """Four writers doing puts, increments and deletes; each key's last acknowledged state is kept."""

    def __init__(self, db: AsyncClient) -> None:
        self.db = db
        self.last: dict[str, tuple[int, Any]] = {}  # key → (version, body or None when deleted)
        self.stop = asyncio.Event()
        self.count = 0

    def _ack(self, key: str, version: int, body: Any) -> None:
        if version > self.last.get(key, (0, None))[0]:
            self.last[key] = (version, body)

    async def run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            key = f"r{rng.randrange(KEYS):02d}"
            roll = rng.random()
            try:
                if roll < 0.5:
                    doc = await self.db.put("product", key, {"name": key, "price": f"{rng.randrange(100)}.25"})
                    self._ack(key, doc.version, {k: v for k, v in doc.data.items() if k != "id"})
                elif roll < 0.85:
                    doc = await self.db.update("product", key, increment={"hits": 1})
                    self._ack(key, doc.version, {k: v for k, v in doc.data.items() if k != "id"})
                else:
                    self._ack(key, await self.db.delete("product", key), None)
            except NotFoundError:
                continue
            self.count += 1


def _cli(*args: str, env: dict[str, str]) -> None:
    res = subprocess.run([sys.executable, "-m", "proxy", *args], cwd=ROOT, env={**os.environ, **env},
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, f"dataaccess {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}"


async def test_walk_to_complete_and_back_loses_nothing(pg_dsn: str, mongo_url: str, proxy_factory) -> None:
    table, coll = names()
    env = {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url}
    p = proxy_factory(rules(table, coll, "off", secondary="async"), {**env, "DATAACCESS_POLL": "0.2"})
    async with AsyncClient(p.address, timeout=30) as db, Admin(p.address) as admin:
        writers = Writers(db)
        tasks = [asyncio.create_task(writers.run(i)) for i in range(4)]
        try:
            await asyncio.sleep(1.0)
            for step, phase in enumerate(WALK):
                text = rules(table, coll, phase, secondary="async")
                tmp = p.config.with_suffix(".tmp")
                tmp.write_text(text)
                tmp.replace(p.config)

                async def applied(want: str = rules_version(text)) -> bool:
                    return (await admin.config()).rules_version == want
                await eventually(applied, 30, f"the move to {phase}")
                if step == 0:  # dualwrite: copy what PostgreSQL held before
                    _cli("backfill", "product", "--config", str(p.config), env=env)
                if step == WALK.index("complete") + 1:  # back from complete: PostgreSQL missed writes
                    _cli("backfill", "product", "--config", str(p.config), "--reverse", env=env)
                await asyncio.sleep(1.0)
        finally:
            writers.stop.set()
            await asyncio.gather(*tasks)
        assert (await admin.config()).reloads_rejected == 0
        assert writers.count > 100

    async with Direct(pg_dsn, mongo_url, table, coll) as direct:
        old = await direct.old_all()
    for key, (version, body) in writers.last.items():
        assert key in old, f"{key} is gone from PostgreSQL"
        assert old[key].version == version, f"{key}: PostgreSQL v{old[key].version}, last acknowledged v{version}"
        if body is None:
            assert old[key].deleted, f"{key}: deleted (v{version}) but PostgreSQL has it live"
        else:
            assert plain(old[key].body) == plain(body), f"{key}: PostgreSQL holds another body"
