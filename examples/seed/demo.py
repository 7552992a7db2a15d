"""`make demo`: the seed's four migrations end to end, on real stores, while the services keep working.

1. Starts PostgreSQL, FerretDB (MongoDB wire protocol), moto (DynamoDB API) and OpenSearch on free
   loopback ports in a temporary directory (dev/ launchers), creates the seven services' tables
   (schema.sql) and loads their data with plain SQL (data.py).
2. Starts the proxy on a copy of rules.yaml (``python -m proxy serve --config FILE --poll 0.5``) and the
   seven services' traffic through the Python client in the background (traffic.py).
3. Walks product and notification (→ MongoDB), inventory (→ DynamoDB) and search_document
   (→ OpenSearch) through ``dualwrite → backfill → shadow → live → rampdown → complete``: each phase is
   a rewrite of the rules file the proxy watches, confirmed through the Admin API (GetConfig's rules
   version, ListRoutes' phases); backfill is ``dataaccess backfill ENTITY --config FILE``. After each
   step it prints one row per entity from ListRoutes: phase, comparisons and consistency, store
   latency p50/p99 old vs new, fallbacks, repair backlog, top-k overlap of compared lists.
4. Stops the traffic before ``complete`` (from then on the old store receives no writes), waits for
   the repair backlog to drain, and ends with ``dataaccess verify ENTITY --config FILE`` on every
   migrated entity: 0 divergent records each, and 0 traffic errors (sold-out refusals aside), or the
   exit status is 1.

Everything it started is stopped on the way out, also on failure or Ctrl-C.

    python -m examples.seed.demo [--short] [--products N] [--dwell SECONDS] [--rate CALLS_PER_SECOND]

``DATAACCESS_CLI`` names the `dataaccess` command for backfill and verify (default: this Python's
``-m proxy``; e.g. ``DATAACCESS_CLI=dataaccess`` for the installed console script).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import signal
import sys
import tempfile
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from examples.seed import config
from examples.seed.data import Scale, generate, load
from examples.seed.report import Admin, table
from examples.seed.stack import ROOT, Proxy, environment, start_stores
from examples.seed.traffic import Traffic

STEPS = ("dualwrite", "backfill", "shadow", "live", "rampdown", "complete")


@dataclass(frozen=True)
class Options:
    products: int
    dwell: float
    """Seconds of traffic in each phase before its table is printed."""
    rate: float


def say(text: str = "") -> None:
    print(text, flush=True)


def cli() -> list[str]:
    return shlex.split(os.environ.get("DATAACCESS_CLI", "")) or [sys.executable, "-m", "proxy"]


async def dataaccess(env: dict[str, str], command: str, entity: str, rules: Path) -> tuple[int, str]:
    """Run `dataaccess COMMAND ENTITY --config RULES` to completion (killed if we are interrupted);
    returns its exit status and what to show: its summary (stdout), plus its stderr if it failed."""
    proc = await asyncio.create_subprocess_exec(*cli(), command, entity, "--config", str(rules), cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    code = int(proc.returncode or 0)
    text = out.decode(errors="replace") + (err.decode(errors="replace")[-3000:] if code else "")
    lines = "\n".join(f"    {line}" for line in text.strip().splitlines() if line.strip())
    return code, f"\n$ dataaccess {command} {entity} --config {rules.name}  (exit {code})\n{lines}"


async def backfill(env: dict[str, str], entity: str, rules: Path) -> None:
    """One entity at a time: the copies compete with the services' traffic for the new stores. A
    failed backfill is run once more — it resumes from its checkpoint, as an operator would rerun it."""
    for attempt in (1, 2):
        code, shown = await dataaccess(env, "backfill", entity, rules)
        say(shown)
        if code == 0:
            return
        if attempt == 1:
            say("    (failed: running it again; it resumes from its checkpoint)")
    raise RuntimeError(f"dataaccess backfill {entity} failed twice")


async def each(env: dict[str, str], command: str, rules: Path) -> dict[str, int]:
    """One `dataaccess COMMAND` per migrating entity, all at once (they are independent); prints
    their output in entity order and returns their exit statuses."""
    results = await asyncio.gather(*(dataaccess(env, command, e, rules) for e in config.MIGRATING))
    for _, shown in results:
        say(shown)
    return {e: code for e, (code, _) in zip(config.MIGRATING, results, strict=True)}


async def walk(env: dict[str, str], rules: Path, address: str, opts: Options) -> bool:
    """The migration, step by step, with traffic running. True if it ended consistent and error-free."""
    data = generate(Scale.of(opts.products))
    entities = config.MIGRATING
    async with Admin(address) as admin, Traffic(address, data, rate=opts.rate) as traffic:
        stop = asyncio.Event()
        runner = asyncio.create_task(traffic.run(stop))
        try:
            await asyncio.sleep(opts.dwell)
            say(table(f"\n== off: every entity on PostgreSQL ({traffic.tally.summary().splitlines()[0]})",
                      await admin.routes(), entities))
            for step in STEPS:
                if runner.done():
                    raise RuntimeError(f"the traffic stopped: {runner.exception()!r}")
                started = time.monotonic()
                if step == "backfill":
                    for entity in entities:
                        await backfill(env, entity, rules)
                    note = f"backfill took {time.monotonic() - started:.1f}s"
                else:
                    if step == "complete":  # the old store stops receiving writes: quiesce first
                        stop.set()
                        await runner
                        await admin.settled(entities)
                    phases = dict.fromkeys(entities, step)
                    version, took = await admin.apply(rules, config.render(phases), phases)
                    note = f"rules {version} in force after {took:.1f}s"
                if step != "complete":
                    await asyncio.sleep(opts.dwell)
                head = traffic.tally.summary().splitlines()[0]
                say(table(f"\n== {step}: {note}; traffic so far: {head}", await admin.routes(), entities))
            return await finish(env, rules, traffic)
        finally:
            stop.set()
            if not runner.done():
                runner.cancel()
            with suppress(BaseException):
                await runner


async def finish(env: dict[str, str], rules: Path, traffic: Traffic) -> bool:
    """verify on every migrated entity, and the traffic's outcome."""
    ok = not any((await each(env, "verify", rules)).values())
    say(f"\ntraffic: {traffic.tally.summary()}")
    ok &= traffic.tally.error_count == 0
    return ok


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def run(opts: Options) -> int:
    signal.signal(signal.SIGTERM, _interrupted)  # stop like Ctrl-C: unwind, stopping everything started
    begun = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dataaccess-demo-") as tmp, ExitStack() as stack:
        base = Path(tmp)
        say("starting PostgreSQL 15, FerretDB (MongoDB), moto (DynamoDB) and OpenSearch 2.19 on loopback …")
        stores = start_stores(base / "stores", stack)
        env = environment(stores)
        say("  " + "  ".join(f"{k}={v}" for k, v in stores.items()))
        data = generate(Scale.of(opts.products))
        asyncio.run(load(stores["PG_DSN"], data))
        say(f"loaded {data.count()} rows into PostgreSQL with SQL: "
            + ", ".join(f"{t} {len(r)}" for t, r in data.tables.items()))
        rules = base / "rules.yaml"
        config.write(rules, config.render())
        proxy = Proxy.start(rules, env, base / "proxy.log", stack)
        say(f"proxy on {proxy.address}, watching {rules} (logs: {proxy.log.name}); "
            f"traffic: seven services, {opts.rate:g} calls/s")
        try:
            ok = asyncio.run(walk(env, rules, proxy.address, opts))
        except Exception as e:
            say(f"\ndemo FAILED: {e}\n--- proxy log (tail) ---\n{proxy.log.read_text(errors='replace')[-3000:]}")
            return 1
        verdict = "OK: 4 entities migrated; verify found 0 divergent records" if ok else "FAILED"
        say(f"\ndemo {verdict} ({time.monotonic() - begun:.0f}s); stopping the proxy and the stores …")
        return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m examples.seed.demo", description="The seed's migrations, end to end.")
    p.add_argument("--short", action="store_true", help="fewer rows and shorter phases (for the test suite)")
    p.add_argument("--products", type=int, help="products to load (default 150; --short 60)")
    p.add_argument("--dwell", type=float, help="seconds of traffic per phase (default 10; --short 3)")
    p.add_argument("--rate", type=float, help="traffic, calls per second (default 30; --short 25)")
    args = p.parse_args(argv)
    short = Options(products=60, dwell=3, rate=25)
    full = Options(products=150, dwell=10, rate=30)
    base = short if args.short else full
    opts = Options(args.products or base.products, args.dwell if args.dwell is not None else base.dwell,
                   args.rate or base.rate)
    try:
        return run(opts)
    except KeyboardInterrupt:
        say("\ninterrupted: everything started has been stopped")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
