"""The journal of /api requests that tests and tools read back from /_emulator/requests.

Each entry is kept as the JSON text it is served as, written when the request is recorded: the
journal can always be served (nothing in it can fail to encode), and what it holds in memory is
what it serves, bounded by MAX_ENTRIES and MAX_JOURNAL_BYTES (the oldest entries go first).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any

from ._json_body import UnreadableJson, read_json

MASKED = "***"
DROPPED_CONNECTION_STATUS = 0
# Bound memory in long benchmark runs, far beyond what a test reads back, and against requests
# (authenticated or not) sent to fill it.
MAX_ENTRIES = 100_000
MAX_JOURNAL_BYTES = 64 * 1024 * 1024


class Journal:
    def __init__(self) -> None:
        self._entries: deque[str] = deque()
        self._size = 0
        self._lock = threading.Lock()

    def record(self, method: str, path: str, status: int, raw_body: bytes) -> None:
        """Adds one answered request: status 0 stands for a connection dropped by a fault. The
        body is recorded as null unless it is JSON the emulator reads (see _json_body)."""
        entry = {
            "method": method,
            "path": path,
            "status": status,
            "body": _recorded_body(raw_body),
            "bytes": len(raw_body),
        }
        # ensure_ascii: the text is plain ASCII, whatever characters the request held.
        text = json.dumps(entry, ensure_ascii=True, separators=(",", ":"))
        with self._lock:
            self._entries.append(text)
            self._size += len(text)
            while len(self._entries) > MAX_ENTRIES or self._size > MAX_JOURNAL_BYTES:
                self._size -= len(self._entries.popleft())

    def as_json(self) -> str:
        """`{"requests": [...]}`: every recorded request, oldest first (in the order their
        answers completed)."""
        with self._lock:
            return '{"requests":[' + ",".join(self._entries) + "]}"

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


def _recorded_body(raw_body: bytes) -> Any:
    if not raw_body.strip():
        return None
    try:
        return _masked(read_json(raw_body))
    except UnreadableJson:
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
