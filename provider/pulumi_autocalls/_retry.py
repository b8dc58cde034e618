"""When and how long the client waits before sending a request again.

The client repeats only idempotent requests (GET, PUT, DELETE), and only after a rate limit (429),
a gateway failure (502, 503, 504) or a connection that failed, dropped or timed out. It waits as
long as the server asked (``Retry-After`` header, else a ``retry_after`` body field), or else a
capped exponential backoff with full jitter. A POST is never repeated by the client.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
"""Methods the client may send again: repeating them leaves the server as one request would."""

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
"""Statuses after which an idempotent request is sent again."""

# 2**62 * backoff_initial is far above any sane backoff_max; capping the exponent avoids overflow.
_MAX_EXPONENT = 62


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long the client retries an idempotent request.

    - ``max_retries``: retries after the first attempt (so at most ``max_retries + 1`` requests).
    - ``backoff_initial`` / ``backoff_max``: the backoff ceiling before retry ``n`` (0-based) is
      ``min(backoff_max, backoff_initial * 2**n)`` seconds.
    - ``jitter``: wait a uniformly random time between 0 and that ceiling ("full jitter"), so that
      several clients throttled together do not come back together; without it, wait the ceiling.
    - ``max_retry_after``: the longest server-requested wait (``Retry-After``) the client sits
      through. A server asking for longer gets its error raised at once instead.
    """

    max_retries: int = 4
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    jitter: bool = True
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError(f"max_retries must be an int, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        for name in ("backoff_initial", "backoff_max", "max_retry_after"):
            value = getattr(self, name)
            if not _is_non_negative_number(value):
                raise ValueError(f"{name} must be a finite number of seconds >= 0, got {value!r}")

    def backoff(self, retries_done: int, *, uniform: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``retries_done`` (0 for the first retry).

        ``uniform`` returns a number in [0, 1); it is a parameter so tests can pin the jitter.
        """
        if retries_done < 0:
            raise ValueError(f"retries_done must be 0 or more, got {retries_done}")
        exponent = min(retries_done, _MAX_EXPONENT)
        ceiling = min(self.backoff_max, self.backoff_initial * 2.0**exponent)
        return ceiling * uniform() if self.jitter else ceiling

    def allows_server_wait(self, seconds: float) -> bool:
        """True if the client will sit through a server-requested wait of ``seconds``."""
        return seconds <= self.max_retry_after


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value, or None if it has none.

    The header is either a number of seconds (``"120"``; a fraction such as ``"1.5"`` is accepted
    too) or an HTTP date (``"Wed, 21 Oct 2015 07:28:00 GMT"``), which is counted from ``now``
    (default: the current time) and gives 0 when it is already past. Anything else (negative,
    not finite, unparseable) is treated as absent.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until_http_date(text, now)
    return seconds if _is_non_negative_number(seconds) else None


def retry_after_from_body(body: object) -> float | None:
    """Seconds to wait according to a JSON body's ``retry_after`` field (Laravel's 429), if any."""
    if not isinstance(body, Mapping):
        return None
    value = body.get("retry_after")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        try:
            seconds = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return seconds if _is_non_negative_number(seconds) else None


def server_requested_wait(
    retry_after_header: str | None, body: object, *, now: datetime | None = None
) -> float | None:
    """The wait a response asks for: its ``Retry-After`` header, else its body's ``retry_after``."""
    from_header = parse_retry_after(retry_after_header, now=now)
    return from_header if from_header is not None else retry_after_from_body(body)


def _seconds_until_http_date(text: str, now: datetime | None) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are always GMT
        when = when.replace(tzinfo=timezone.utc)
    reference = now if now is not None else datetime.now(timezone.utc)
    return max(0.0, (when - reference).total_seconds())


def _is_non_negative_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
