"""A Route: one entity's stores and rules in one config snapshot (immutable)."""

from __future__ import annotations

from dataclasses import dataclass

from proxy.backends.base import Capabilities, Collection
from proxy.config.model import EntityConfig
from proxy.routing.diff import CompareRules
from proxy.routing.phases import Phase, PhaseRules, Side
from proxy.schema import Schema


@dataclass(frozen=True)
class Store:
    side: Side
    backend: str
    collection: Collection
    capabilities: Capabilities


@dataclass(frozen=True)
class Route:
    entity: str
    config: EntityConfig
    schema: Schema
    old: Store
    new: Store | None
    rules_version: str

    @property
    def phase(self) -> Phase:
        return self.config.phase

    @property
    def rules(self) -> PhaseRules:
        return self.config.phase.rules

    @property
    def compare_rules(self) -> CompareRules:
        c = self.config.compare
        return CompareRules(tuple(c.ignore), tuple(c.redact), c.null_equals_absent)

    def store(self, side: Side) -> Store:
        if side is Side.OLD:
            return self.old
        assert self.new is not None, f"{self.entity} has no new store"
        return self.new
