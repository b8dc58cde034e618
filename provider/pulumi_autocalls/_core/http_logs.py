"""Secrets out of the HTTP stack's own log records.

httpx and httpcore log at DEBUG what they send and receive, response headers verbatim: a server
that echoes the API key or a password in a header (``X-Request-Id``, ``WWW-Authenticate``) would
put it in the provider's log, and from there in the engine's diagnostics. ``scrubbing`` installs
one filter on each of their loggers (a logger's filter does not see its children's records, so
each one is named) and, while a request is under way, has it scrub that request's secrets from
every record those loggers write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from .redact import Scrubber

HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


class _ScrubbingFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._active: list[Scrubber] = []

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            active = tuple(self._active)
        if active:
            message = record.getMessage()
            scrubbed = message
            for scrubber in active:
                scrubbed = scrubber.text(scrubbed)
            if scrubbed != message:
                record.msg, record.args = scrubbed, ()
        return True

    @contextmanager
    def active(self, scrubber: Scrubber) -> Iterator[None]:
        with self._lock:
            self._active.append(scrubber)
        try:
            yield
        finally:
            with self._lock:
                self._active.remove(scrubber)


_FILTER = _ScrubbingFilter()
for logger_name in HTTP_LOGGERS:
    logging.getLogger(logger_name).addFilter(_FILTER)


def scrubbing(scrubber: Scrubber) -> AbstractContextManager[None]:
    """While the block runs, the HTTP stack's log records are scrubbed with ``scrubber``."""
    return _FILTER.active(scrubber)
