"""The journal of /api requests that tests and tools read back from /_emulator/requests."""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any

MASKED = "***"
DROPPED_CONNECTION_STATUS = 0
# Bounds memory in long benchmark runs; far beyond what a test reads back.
MAX_ENTRIES = 100_000


class Journal:
    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)
        self._lock = threading.Lock()

    def record(self, method: str, path: str, status: int, raw_body: bytes) -> None:
        """Adds one answered request: status 0 stands for a connection dropped by a fault."""
        entry = {
            "method": method,
            "path": path,
            "status": status,
            "body": _masked(_parsed_json(raw_body)),
            "bytes": len(raw_body),
        }
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        """Every recorded request, oldest first (in the order their answers completed)."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _parsed_json(raw_body: bytes) -> Any:
    if not raw_body.strip():
        return None
    try:
        return json.loads(raw_body)
    except (ValueError, RecursionError):
        return None


def _masked(value: Any) -> Any:
    """`value` with the value of every `sip_password` key, at any depth, replaced by ***."""
    if isinstance(value, dict):
        return {
            key: MASKED if key == "sip_password" else _masked(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
