"""Every default and fixed number of the client and its retries, in one place."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://app.autocalls.ai/api"
DEFAULT_TIMEOUT_S = 30.0
"""Seconds allowed for each phase of a request (connect, send, wait, read)."""

DEFAULT_MAX_RETRIES = 4
"""Retries after the first attempt, so at most five requests per operation."""
DEFAULT_BACKOFF_INITIAL_S = 0.5
DEFAULT_BACKOFF_MAX_S = 8.0
DEFAULT_MAX_RETRY_AFTER_S = 60.0
"""The longest wait a server may ask for (``Retry-After``) that is sat through."""

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
"""Methods that may be sent again: repeating them leaves the server as one request would."""

NOT_PROCESSED_STATUSES = frozenset({429})
"""The server refused the request without acting on it: sending it again is always safe."""
AMBIGUOUS_STATUSES = frozenset({502, 503, 504})
"""A gateway failed: the API may or may not have acted on the request."""
RETRYABLE_STATUSES = NOT_PROCESSED_STATUSES | AMBIGUOUS_STATUSES
"""Statuses after which a request that may be repeated is sent again."""
