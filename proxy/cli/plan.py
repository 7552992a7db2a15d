"""`dataaccess plan ENTITY --to PHASE`: a dry run of a phase move.

It reads the rules from ``--config FILE`` (offline), or from the running sidecar (``GetConfig``), and
prints what writes and reads do now and after the move (from the phase table, `PHASES`), whether the
move is one step or a jump that needs ``force: true``, what to watch out for, and the change to make
to the rules file as a diff. The changed file is checked the way a reload checks it (`parse` with the
rules in force as the previous ones), so "accepted" here means the sidecar's validation accepts it;
what a reload also checks at run time (stores reachable, repairs worked off before authority moves,
a reverse backfill after `complete`) is listed among the notes. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path
from typing import Any

import yaml

from proxy.cli.ops import EXIT_NO, EXIT_OK, EXIT_USAGE, Failed, State, address, emit, fetch, judged
from proxy.config.model import Config, EntityConfig
from proxy.errors import ConfigError
from proxy.routing.phases import ORDER, PHASES, Phase, Side, step_allowed


def parsed(text: str) -> Config | None:
    """The rules as the sidecar reads them, or None if this CLI cannot read them (another version)."""
    from proxy.config.validate import parse

    try:
        return parse(text)
    except ConfigError:
        return None


def describe(phase: Phase | str, e: EntityConfig | None) -> dict[str, Any]:
    """What writes and reads of an entity do in ``phase`` (its settings from ``e``, defaults if None)."""
    phase = Phase(phase)
    rules = PHASES[phase]
    e = e or EntityConfig.model_validate({"old": {"backend": "old"}})
    auth, second = rules.authoritative.value, rules.secondary
    mode = e.writes.secondary
    writes = {"authoritative": auth, "secondary": second.value if second else None,
              "secondary_mode": mode if second else None,
              "summary": f"{auth} → {second.value} ({mode})" if second else f"{auth} only"}
    ramp = phase is Phase.LIVE and e.reads.new_percent < 100
    served = f"new for {e.reads.new_percent}% of keys, old for the rest" if ramp else rules.reads.value
    compared = rules.compare and e.reads.shadow_sample > 0
    fallback = rules.fallback and e.reads.fallback
    summary = f"new {e.reads.new_percent}% / old" if ramp else rules.reads.value
    if compared:
        summary += f", shadow {e.reads.shadow_sample:.0%}"
    if fallback:
        summary += ", fallback old"
    reads = {"from": served, "compared": compared, "shadow_sample": e.reads.shadow_sample if rules.compare else 0.0,
             "fallback": fallback, "summary": summary}
    return {"phase": phase.value, "writes": writes, "reads": reads}


def _sentence(d: dict[str, Any]) -> tuple[str, str]:
    w, r = d["writes"], d["reads"]
    writes = f"{w['authoritative']} only"
    if w["secondary"]:
        writes = (f"{w['authoritative']} first (authoritative: its failure is the caller's), then copied to "
                  f"{w['secondary']} ({w['secondary_mode']}; the newer version wins, failures are journaled)")
    reads = f"from {r['from']}"
    if r["compared"]:
        reads += f"; {r['shadow_sample']:.0%} of keys compared with the other store in the background"
    if r["fallback"]:
        reads += "; fallback to old on error, timeout or miss (and read-repair)"
    return writes, reads


def notes(entity: str, e: EntityConfig, before: Phase, after: Phase, force_left: bool,
          state: State | None) -> list[str]:
    b, a = PHASES[before], PHASES[after]
    compared_before, compared_after = describe(before, e)["reads"]["compared"], describe(after, e)["reads"]["compared"]
    out = []
    if b.authoritative is not a.authoritative:
        out.append(f"authority moves from {b.authoritative.value} to {a.authoritative.value}: the reload holds new "
                   "calls at a barrier, lets calls in flight finish and works off this entity's repair backlog "
                   "first; it is refused (and retried at the next poll) while repairs cannot be applied")
    if Side.NEW in a.writes and Side.NEW not in b.writes:
        out.append(f"the new store starts receiving writes; records written before reach it only through "
                   f"`dataaccess backfill {entity}` (run it after this move, then `dataaccess verify {entity}`)")
    if Side.OLD not in a.writes and Side.OLD in b.writes:
        out.append(f"the old store stops receiving writes: moving back from complete needs "
                   f"`dataaccess backfill {entity} --reverse` before the old store takes authority again")
    if before is Phase.COMPLETE:
        out.append(f"the old store missed the writes made in complete: run `dataaccess backfill {entity} --reverse` "
                   "before moving on to shadow (the sidecar refuses that move until then)")
    if compared_after and not compared_before:
        out.append("reads start being compared; watch `dataaccess status` (consistency) before the next step")
    if a.compare and e.reads.shadow_sample == 0:
        out.append(f"reads.shadow_sample is 0: nothing will be compared in {after.value}; set a share (0.01–1) to "
                   "learn whether the stores agree")
    if compared_before and not compared_after:
        out.append("comparisons stop")
    if force_left:
        out.append("force: true stays in the file: set it back to false after the move, so later edits are "
                   "checked one step at a time again")
    if state is not None:
        route = next((r for r in state.routes if r.entity == entity), None)
        if route is not None:
            consistency = f"{route.consistency:.1%} over {judged(route)} comparisons" if judged(route) else \
                "nothing compared yet"
            out.append(f"now at {state.address}: phase {route.phase}, consistency {consistency}, "
                       f"repair backlog {route.repair_backlog}, fallbacks {route.fallbacks}")
            if route.phase != before.value:
                out.append(f"the sidecar at {state.address} is in {route.phase}, not {before.value} as these rules "
                           "say: it runs other rules than this file")
    return out


# -- editing the rules text without disturbing its layout or comments -------------------------------
def _child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def edit(text: str, entity: str, phase: Phase, force: bool) -> str:
    """``text`` with the entity's ``phase`` (and ``force: true`` if asked) set; everything else kept."""
    entities = _child(yaml.compose(text), "entities")
    found = _child(entities[1], entity) if entities else None
    if found is None or not isinstance(found[1], yaml.MappingNode) or not found[1].value:
        raise Failed(f"entities.{entity}: not a mapping this command can edit", EXIT_USAGE)
    node = found[1]
    value = '"off"' if phase is Phase.OFF else phase.value
    edits: list[tuple[int, int, str]] = []
    for key, new in (("phase", value), ("force", "true" if force else None)):
        if new is None:
            continue
        existing = _child(node, key)
        if existing is not None:
            edits.append((existing[1].start_mark.index, existing[1].end_mark.index, new))
        else:
            first = node.value[0][0].start_mark
            sep = ", " if node.flow_style else "\n" + " " * first.column
            edits.append((first.index, first.index, f"{key}: {new}{sep}"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def plan(args: argparse.Namespace) -> int:
    from proxy.config.validate import parse

    target = Phase(args.to)
    state = None
    if args.config:
        path = Path(args.config)
        try:
            text, source = path.read_text(), str(path)
        except OSError as err:
            raise Failed(f"{path}: {err.strerror}", EXIT_USAGE) from None
        if args.address:
            state = fetch(args.address, args.timeout)
    else:
        state = fetch(address(args), args.timeout)
        text, source = state.config.yaml, state.config.source
    try:
        current = parse(text)
    except ConfigError as err:
        raise Failed(f"{source}: the rules in it are invalid:\n  " + "\n  ".join(err.issues), EXIT_USAGE) from None
    e = current.entities.get(args.entity)
    if e is None:
        raise Failed(f"unknown entity {args.entity!r} (known: {', '.join(sorted(current.entities))})", EXIT_USAGE)
    before = e.phase
    steps = abs(ORDER.index(target) - ORDER.index(before))
    one_step = step_allowed(before, target)
    needs_force = not one_step and not e.force
    new_text = edit(text, args.entity, target, needs_force) if target is not before else text
    issues: list[str] = []
    try:
        parse(new_text, previous=current)
    except ConfigError as err:
        issues = err.issues
    diff = "".join(difflib.unified_diff(text.splitlines(True), new_text.splitlines(True), f"{source}",
                                        f"{source} (planned)", n=1))
    now, after = describe(before, e), describe(target, e)
    data = {"entity": args.entity, "from": before.value, "to": target.value, "source": source, "steps": steps,
            "one_step": one_step, "needs_force": needs_force, "accepted": not issues, "issues": issues,
            "now": now, "after": after,
            "notes": notes(args.entity, e, before, target, needs_force or (e.force and not one_step), state)
            if target is not before else [], "diff": diff, "yaml": new_text}

    def render() -> str:
        if target is before:
            return f"{args.entity} is already in {before.value}: nothing to change"
        verdict = "one step: allowed" if one_step else (
            f"a jump of {steps} steps: needs force: true" + (" (set)" if e.force else ""))
        lines = [f"{args.entity}: {before.value} → {target.value} ({verdict})", ""]
        for label, d in (("now", now), ("after", after)):
            w, r = _sentence(d)
            lines += [f"  {label:<6}{d['phase']}", f"    writes  {w}", f"    reads   {r}"]
        if data["notes"]:
            lines += ["", "notes:"] + [f"  - {n}" for n in data["notes"]]
        served = f" (the rules {state.address} serves)" if state is not None and not args.config else ""
        lines += ["", f"change to make in {source}{served}:", diff.rstrip("\n"), ""]
        lines.append("a reload would accept this change" if not issues else
                     "a reload would refuse this change:\n" + "\n".join(f"  {i}" for i in issues))
        return "\n".join(lines)

    emit(args, data, render)
    return EXIT_OK if not issues else EXIT_NO
