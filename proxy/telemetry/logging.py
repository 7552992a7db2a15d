"""JSON log lines (one object per line) with the trace id; document values are never logged."""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from proxy.telemetry.tracing import current_trace_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        out: dict[str, object] = {"ts": round(time.time(), 3), "level": record.levelname.lower(),
                                  "logger": record.name}
        if msg.startswith("{"):
            try:
                out.update(json.loads(msg))
            except json.JSONDecodeError:
                out["msg"] = msg
        else:
            out["msg"] = msg
        trace_id = current_trace_id()
        if trace_id:
            out["trace_id"] = trace_id
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def setup_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("DATAACCESS_LOG_LEVEL", "INFO").upper())
