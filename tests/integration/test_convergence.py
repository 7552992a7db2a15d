"""Issue 3: three proxy processes on one config, 16 writers each, updating and deleting overlapping
keys in `dualwrite`. When the repair backlog has drained, PostgreSQL and MongoDB hold exactly the
same documents and versions, and no key whose last acknowledged operation was a delete came back.

FerretDB (the MongoDB stand-in) does not apply a conditional update atomically: racing copies of one
key from three processes can leave an older version in it with no error (measured; real MongoDB
is atomic per document). The write audit (`writes.audit`, proxy/repair/audit.py) is what catches
that here: settled keys are re-read on both stores and diverged ones journaled and repaired.
"""

from __future__ import annotations

import asyncio
import random
import time

from dataaccess_client import AsyncClient, DataAccessError, NotFoundError

from tests.integration.kit import Admin, Direct, eventually, names, plain, rules

PROXIES, WRITERS, KEYS, SECONDS = 3, 16, 40, 6.0


async def _writer(db: AsyncClient, rng: random.Random, until: float, last: dict[str, tuple[int, str]]) -> int:
    """Random puts, increments and deletes on shared keys; records each key's highest acked version."""
    done = 0
    while time.monotonic() < until:
        key = f"c{rng.randrange(KEYS):02d}"
        roll = rng.random()
        try:
            if roll < 0.45:
                version, kind = (await db.put("product", key, {"name": key, "price": "1.50", "w": rng.random()})
                                 ).version, "live"
            elif roll < 0.8:
                version, kind = (await db.update("product", key, increment={"hits": 1})).version, "live"
            else:
                version, kind = await db.delete("product", key), "deleted"
        except NotFoundError:  # update or delete of a key someone else just deleted
            continue
        done += 1
        if version > last.get(key, (0, ""))[0]:
            last[key] = (version, kind)
    return done


async def test_three_proxies_sixteen_writers_converge(pg_dsn: str, mongo_url: str, proxy_factory) -> None:
    table, coll = names()
    text = rules(table, coll, "dualwrite", secondary="async", audit=1.0)
    proxies = [proxy_factory(text, {"PG_DSN": pg_dsn, "MONGO_URI": mongo_url}, name=f"p{i}") for i in range(PROXIES)]
    last: dict[str, tuple[int, str]] = {}
    clients = [AsyncClient(p.address, timeout=30) for p in proxies]
    try:
        until = time.monotonic() + SECONDS
        counts = await asyncio.gather(*(
            _writer(clients[i % PROXIES], random.Random(i), until, last) for i in range(PROXIES * WRITERS)))
        assert sum(counts) > PROXIES * WRITERS, "the writers hardly wrote"
    except DataAccessError as e:
        raise AssertionError(f"a write through the proxy failed: {e}") from e
    finally:
        for c in clients:
            await c.close()

    for p in proxies:
        async with Admin(p.address) as admin:
            async def drained(admin: Admin = admin) -> bool:
                return (await admin.route()).route.repair_backlog == 0
            await eventually(drained, 60, f"an empty repair backlog on {p.address}")

    async with Direct(pg_dsn, mongo_url, table, coll) as direct:
        async def same() -> bool:
            old, new = await direct.old_all(), await direct.new_all()
            differ = sorted(k for k in old.keys() | new.keys()
                            if k not in old or k not in new or old[k].version != new[k].version)
            if differ:
                print("differ:", [(k, old.get(k), new.get(k)) for k in differ[:3]])  # shown on failure
            return not differ
        await eventually(same, 120, "equal versions in both stores after the audit")
        old, new = await direct.old_all(), await direct.new_all()
    assert set(old) == set(new) == set(last)
    for key, (version, kind) in last.items():
        o, n = old[key], new[key]
        assert o.version == n.version == version, \
            f"{key}: PostgreSQL v{o.version}, MongoDB v{n.version}, acked v{version}"
        assert plain(o.body) == plain(n.body), f"{key}: bodies differ"
        assert o.deleted == n.deleted == (kind == "deleted"), f"{key}: a deleted key came back (or vice versa)"
