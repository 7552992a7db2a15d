"""Prometheus metrics (DESIGN §10), on a registry of our own so tests can run several servers."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()
_B = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

REQUESTS = Counter("dataaccess_requests_total", "Calls served, by entity, operation and outcome (gRPC code)",
                   ["entity", "op", "code"], registry=REGISTRY)
STORE_LATENCY = Histogram("dataaccess_store_seconds", "Store call latency by entity, store side and role",
                          ["entity", "side", "role"], buckets=_B, registry=REGISTRY)
COMPARISONS = Counter("dataaccess_comparisons_total", "Background comparisons by outcome",
                      ["entity", "outcome"], registry=REGISTRY)
SECONDARY_FAILURES = Counter("dataaccess_secondary_write_failures_total", "Secondary writes journaled for repair",
                             ["entity"], registry=REGISTRY)
FALLBACKS = Counter("dataaccess_fallback_reads_total", "Reads answered by the old store after the new one failed",
                    ["entity", "cause"], registry=REGISTRY)
REPAIRS = Counter("dataaccess_repairs_total", "Repairs attempted, by result", ["entity", "result"], registry=REGISTRY)
AUDITS = Counter("dataaccess_audits_total", "Settled secondary copies re-read on both stores, by result",
                 ["entity", "result"], registry=REGISTRY)
BACKLOG = Gauge("dataaccess_repair_backlog", "Keys waiting in the repair journal", ["entity"], registry=REGISTRY)
BACKLOG_AGE = Gauge("dataaccess_repair_oldest_age_seconds", "Age of the oldest waiting repair", ["entity"],
                    registry=REGISTRY)
RELOADS = Counter("dataaccess_config_reloads_total", "Config reload attempts by result", ["result"], registry=REGISTRY)
RULES = Gauge("dataaccess_rules_info", "The routing rules version in force (value 1)", ["version"], registry=REGISTRY)
PHASE = Gauge("dataaccess_entity_phase", "Migration phase of each entity (value 1 on the current phase)",
              ["entity", "phase"], registry=REGISTRY)
