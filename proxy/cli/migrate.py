"""`dataaccess backfill` and `dataaccess verify`: directly against the stores (the rules file from
``--config`` or ``DATAACCESS_CONFIG``, as `serve` finds it), or inside a running sidecar through its
Admin API (``--address``: start the job, follow its progress; Ctrl-C stops it).

Output: on a terminal a progress bar (docs/s, done/total, ETA) on stderr; with ``--json`` one JSON
object per page on stdout (the last one has the final ``state``); otherwise a progress line every
`LOG_EVERY` seconds on stderr (for the logs of a Kubernetes Job). Then a summary on stdout.

Exit codes: backfill 0 done, 1 failed or stopped; verify 0 the stores agree, 1 divergence remains,
3 it could not finish; 2 bad usage or rules for both.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proxy.migrate.progress import Progress, bar, json_line, summary

LOG_EVERY = 10.0
DONE = ("succeeded", "failed", "stopped")


class Renderer:
    """Shows progress the way the output wants it (bar, JSON lines or periodic log lines)."""

    def __init__(self, json_lines: bool) -> None:
        self.json = json_lines
        self.tty = sys.stderr.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, p: Progress) -> None:
        if self.json:
            print(json_line(p), flush=True)
            return
        now = time.monotonic()
        every = 0.2 if self.tty else LOG_EVERY
        if now - self._last < every and p.state == "running":
            return
        self._last = now
        if self.tty:
            sys.stderr.write("\r\x1b[2K" + bar(p))
            self._drawn = True
        elif p.state == "running":
            print(bar(p), file=sys.stderr, flush=True)

    def end(self, p: Progress) -> None:
        if self.json:
            return
        if self._drawn:
            sys.stderr.write("\r\x1b[2K" + bar(p) + "\n")
        for line in summary(p):
            print(line)


def exit_code(p: Progress) -> int:
    if p.kind == "backfill":
        return 0 if p.state == "succeeded" else 1
    if p.state != "succeeded":
        return 3
    return 1 if p.remaining_divergence else 0


def _usage(message: str) -> int:
    print(f"dataaccess: {message}", file=sys.stderr)
    return 2


def _run(args: argparse.Namespace) -> int:
    from proxy.errors import ConfigError, DataAccessError
    from proxy.migrate.job import segment_of

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        segment_of(args.segments, args.segment)
    except DataAccessError as e:
        return _usage(e.message)
    if args.page < 1 or args.concurrency < 1:
        return _usage("--page and --concurrency must be at least 1")
    try:
        if args.address:
            from proxy.cli.remote import follow

            return asyncio.run(follow(args, Renderer(args.json)))
        return asyncio.run(_direct(args, Renderer(args.json)))
    except ConfigError as e:
        print("rules rejected:", file=sys.stderr)
        for issue in e.issues:
            print(f"  {issue}", file=sys.stderr)
        return 2
    except DataAccessError as e:
        return _usage(e.message)
    except OSError as e:
        return _usage(f"{e.filename or 'rules'}: {e.strerror}")
    except KeyboardInterrupt:
        return 130


def _runner(args: argparse.Namespace, provider: Any, render: Callable[[Progress], None]) -> Any:
    from proxy.migrate.backfill import Backfill, BackfillOptions
    from proxy.migrate.job import segment_of
    from proxy.migrate.verify import Verify, VerifyOptions

    segment = segment_of(args.segments, args.segment)
    if args.command == "backfill":
        return Backfill(args.entity, provider, BackfillOptions(
            segment=segment, page=args.page, rate=args.rate, max_latency=args.max_latency / 1000,
            concurrency=args.concurrency, reverse=args.reverse, restart=args.restart), render)
    return Verify(args.entity, provider, VerifyOptions(
        segment=segment, page=args.page, fix=args.fix or args.queue_only, queue_only=args.queue_only,
        sample=args.sample, seed=args.seed, samples_per_outcome=args.samples, hash_keys=args.hash_keys,
        concurrency=args.concurrency), render)


async def _direct(args: argparse.Namespace, render: Renderer) -> int:
    from proxy.config.load import Snapshot
    from proxy.migrate.stores import snapshot_provider
    from proxy.server import config_source
    from proxy.settings import Settings

    text, source, base, _ = config_source(Settings.from_env(config=args.config))
    async with Snapshot.from_text(text, source, base) as snapshot, snapshot_provider(snapshot) as provider:
        runner = _runner(args, provider, render)
        task = asyncio.current_task()
        signals = 0

        def interrupted() -> None:  # first Ctrl-C / SIGTERM: finish the page and stop; second: now
            nonlocal signals
            signals += 1
            if signals == 1:
                print("\nstopping after the current page (again to abort)", file=sys.stderr, flush=True)
                runner.stop()
            elif task is not None:
                task.cancel()

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, interrupted)
        try:
            progress: Progress = await runner.run()
        except asyncio.CancelledError:
            print("aborted", file=sys.stderr)
            return 130
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
    render.end(progress)
    return exit_code(progress)


def _completion_index() -> int:
    """A Kubernetes Indexed Job's index (JOB_COMPLETION_INDEX), the default segment; 0 without one."""
    value = os.environ.get("JOB_COMPLETION_INDEX", "")
    return int(value) if value.isdigit() else 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("entity")
    p.add_argument("--config", type=Path,
                   help="rules file (default: $DATAACCESS_CONFIG, else the embedded SQLite config, like serve)")
    p.add_argument("--address", help="host:port of a running sidecar: run the job there, through its Admin API")
    p.add_argument("--segments", type=int, default=1, help="split the key space into N segments (default 1)")
    p.add_argument("--segment", type=int, default=_completion_index(),
                   help="the segment to work on, 0 … N-1 (default: $JOB_COMPLETION_INDEX, else 0)")
    p.add_argument("--page", type=int, default=500, help="documents per page (default 500)")
    p.add_argument("--concurrency", type=int, default=16, help="store calls in flight at once (default 16)")
    p.add_argument("--json", action="store_true", help="print progress as JSON lines on stdout")


def add_parsers(sub: Any) -> None:
    """Register `backfill` and `verify` on the CLI's subparsers."""
    b = sub.add_parser("backfill", help="copy the old store's records onto the new store (newer versions win)",
                       description="Copy every record of ENTITY from the old store to the new one in key order, "
                                   "never replacing a newer version; checkpointed, resumable, throttled.")
    _common(b)
    b.add_argument("--rate", type=float, default=0.0, help="documents per second at most (default: unlimited)")
    b.add_argument("--max-latency", type=float, default=0.0, metavar="MS",
                   help="back off while the median copy cost per document exceeds MS milliseconds "
                        "(default: automatic, 3x the cost of the first pages)")
    b.add_argument("--reverse", action="store_true", help="copy new → old (to roll back from complete)")
    b.add_argument("--restart", action="store_true", help="ignore an unfinished checkpoint, start from the top")
    b.set_defaults(fn=_run)
    v = sub.add_parser("verify", help="compare both stores key by key; exit 1 if they disagree",
                       description="Merge-join both stores' scans and compare every key as shadow reads do.")
    _common(v)
    v.add_argument("--fix", action="store_true", help="repair divergent keys now (what fails is queued for the "
                                                      "repair workers)")
    v.add_argument("--queue-only", action="store_true", help="with --fix: only queue divergent keys in the repair "
                                                             "journal, for the sidecars' repair workers")
    v.add_argument("--sample", type=int, default=0, metavar="N",
                   help="compare N random keys of the old store instead of all (keys only the new store has "
                        "are not found this way)")
    v.add_argument("--seed", type=int, help="random seed for --sample (repeatable samples)")
    v.add_argument("--samples", type=int, default=3, metavar="K", help="divergent keys shown per outcome (default 3)")
    v.add_argument("--hash-keys", action="store_true", help="show key hashes instead of keys")
    v.set_defaults(fn=_run)
