"""Process settings: command-line flags with environment defaults (DATAACCESS_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

EMBEDDED = Path(__file__).parent / "config" / "embedded.yaml"


@dataclass(frozen=True)
class Settings:
    config: Path | None = None
    """Rules file; None serves the embedded default (SQLite, a sample `note` entity)."""
    listen: str = "127.0.0.1:50051"
    metrics: str = ""
    """host:port of the Prometheus endpoint; empty disables it."""
    grace: float = 10.0
    """Seconds from SIGTERM to exit: calls in flight finish within it, then the rest is cancelled."""
    drain_delay: float = 0.5
    """Seconds after SIGTERM that new calls are still served (health already NOT_SERVING), so calls
    sent before the signal are not refused; then new calls get UNAVAILABLE. Part of ``grace``."""
    poll: float = 2.0
    """Seconds between checks of the rules file's content (SIGHUP reloads at once)."""
    data_dir: Path = Path(".dataaccess")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ.get
        values: dict[str, object] = {
            "config": Path(env("DATAACCESS_CONFIG")) if env("DATAACCESS_CONFIG") else None,  # type: ignore[arg-type]
            "listen": env("DATAACCESS_LISTEN", "127.0.0.1:50051"),
            "metrics": env("DATAACCESS_METRICS", ""),
            "grace": float(env("DATAACCESS_GRACE", "10")),
            "drain_delay": float(env("DATAACCESS_DRAIN_DELAY", "0.5")),
            "poll": float(env("DATAACCESS_POLL", "2")),
            "data_dir": Path(env("DATAACCESS_DATA", ".dataaccess")),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
