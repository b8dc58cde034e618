"""Settings that the control endpoints change at run time: accepted API keys and latency."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

# The most latency (or fault delay) the emulator adds to a request: a minute outlasts every
# client timeout worth testing, while 1e308 ms would hang every later request for good.
MAX_LATENCY_MS = 60_000


class RuntimeSettings:
    def __init__(self, api_keys: Iterable[str], latency_ms: float) -> None:
        self._initial_api_keys = tuple(api_keys)
        self._initial_latency_ms = latency_ms
        self._api_keys = self._initial_api_keys
        self._latency_ms = latency_ms
        self._lock = threading.Lock()

    @property
    def latency_ms(self) -> float:
        return self._latency_ms

    def set_latency_ms(self, latency_ms: float) -> None:
        self._latency_ms = latency_ms

    def set_api_keys(self, api_keys: Iterable[str]) -> None:
        with self._lock:
            self._api_keys = tuple(api_keys)

    def accepts(self, api_key: str) -> bool:
        with self._lock:
            keys = self._api_keys
        # Compare every key in constant time: cheap, and the habit costs nothing.
        matches = [secrets.compare_digest(api_key.encode(), key.encode()) for key in keys]
        return any(matches)

    def restore_initial(self) -> None:
        """Back to the keys and latency the emulator was started with."""
        with self._lock:
            self._api_keys = self._initial_api_keys
            self._latency_ms = self._initial_latency_ms
