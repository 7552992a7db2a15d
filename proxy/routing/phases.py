"""THE phase table (DESIGN §5). Everything the router does per phase is read from `PHASES`."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Phase(enum.Enum):
    OFF = "off"
    DUALWRITE = "dualwrite"
    SHADOW = "shadow"
    LIVE = "live"
    RAMPDOWN = "rampdown"
    COMPLETE = "complete"

    @property
    def rules(self) -> PhaseRules:
        return PHASES[self]


class Side(enum.Enum):
    OLD = "old"
    NEW = "new"

    @property
    def other(self) -> Side:
        return Side.NEW if self is Side.OLD else Side.OLD


@dataclass(frozen=True)
class PhaseRules:
    """What one phase does.

    ``writes``: stores written, authoritative first (its failure is the caller's).
    ``reads``: the store reads come from (``live`` ramps by ``new_percent``).
    ``compare``: reads are shadowed against the other store, sampled.
    ``fallback``: a failed or missing read on the new store is answered by the old one.
    """

    writes: tuple[Side, ...]
    reads: Side
    compare: bool
    fallback: bool

    @property
    def authoritative(self) -> Side:
        return self.writes[0]

    @property
    def secondary(self) -> Side | None:
        return self.writes[1] if len(self.writes) > 1 else None


O, N = Side.OLD, Side.NEW
PHASES: dict[Phase, PhaseRules] = {
    Phase.OFF:       PhaseRules(writes=(O,),   reads=O, compare=False, fallback=False),
    Phase.DUALWRITE: PhaseRules(writes=(O, N), reads=O, compare=False, fallback=False),
    Phase.SHADOW:    PhaseRules(writes=(O, N), reads=O, compare=True,  fallback=False),
    Phase.LIVE:      PhaseRules(writes=(N, O), reads=N, compare=True,  fallback=True),
    Phase.RAMPDOWN:  PhaseRules(writes=(N, O), reads=N, compare=False, fallback=True),
    Phase.COMPLETE:  PhaseRules(writes=(N,),   reads=N, compare=False, fallback=False),
}
ORDER = list(Phase)


def step_allowed(before: Phase, after: Phase) -> bool:
    """Moving one step either way (or staying) is always allowed; skipping needs ``force``."""
    return abs(ORDER.index(before) - ORDER.index(after)) <= 1
