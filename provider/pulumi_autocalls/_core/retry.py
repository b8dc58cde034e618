"""The one retry mechanism: when a request is sent again, and how long to wait before it.

``RetryPolicy.wait_before_retry`` is the single rule. A request is sent again only if repeating it
cannot do the work twice (an idempotent method, or a create that proved it made nothing), and
only after a rate limit (429), a gateway failure (502, 503, 504) or a connection that failed,
dropped or timed out. The wait is what the server asked for (``Retry-After`` header, else a
``retry_after`` body field) if it is at most ``max_retry_after`` (a longer one gives up at once),
else a capped exponential backoff with full jitter. ``retrying`` is the one loop that applies it:
the client's requests and the create's lost-answer lookup (``trunks``) both run through it.
``cancel_waits`` ends every wait of the process at once and gives up (the engine's Cancel).
"""

from __future__ import annotations

import logging
import math
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TypeVar

from .._exceptions import APIConnectionError, APIStatusError, AutocallsError
from .constants import (
    DEFAULT_BACKOFF_INITIAL_S,
    DEFAULT_BACKOFF_MAX_S,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_AFTER_S,
    NOT_PROCESSED_STATUSES,
    RETRYABLE_STATUSES,
)

logger = logging.getLogger("pulumi_autocalls")

_Result = TypeVar("_Result")

_cancelled = threading.Event()

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

    max_retries: int = DEFAULT_MAX_RETRIES
    backoff_initial: float = DEFAULT_BACKOFF_INITIAL_S
    backoff_max: float = DEFAULT_BACKOFF_MAX_S
    jitter: bool = True
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER_S

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

    def wait_before_retry(
        self, error: AutocallsError, retries_done: int, *, repeatable: bool
    ) -> float | None:
        """Seconds to wait before sending a request again after ``error``, or None to give up.

        ``repeatable``: sending the request again cannot do the work twice. A 429 was not acted
        on, so it is retried even when the request is not otherwise repeatable.
        """
        if retries_done >= self.max_retries:
            return None
        if isinstance(error, APIStatusError) and error.status_code in RETRYABLE_STATUSES:
            if not repeatable and error.status_code not in NOT_PROCESSED_STATUSES:
                return None
            if error.retry_after is None:
                return self.backoff(retries_done)
            return error.retry_after if self.allows_server_wait(error.retry_after) else None
        if isinstance(error, APIConnectionError) and (repeatable or not error.request_sent):
            return self.backoff(retries_done)
        return None


def retrying(
    policy: RetryPolicy,
    attempt: Callable[[int], _Result],
    *,
    repeatable: Callable[[AutocallsError], bool],
) -> _Result:
    """``attempt(number)`` (1, 2, ...) until it returns, retrying its ``AutocallsError`` per
    ``policy``; ``repeatable(error)`` says whether the request may be sent again after it.

    Every retry is logged at INFO on the ``pulumi_autocalls`` logger (operation, attempt, reason,
    wait); the last error is raised as it came, also when ``cancel_waits`` ends the wait.
    """
    number = 1
    while True:
        try:
            return attempt(number)
        except AutocallsError as error:
            wait = policy.wait_before_retry(error, number - 1, repeatable=repeatable(error))
            if wait is None or _cancelled.is_set():
                raise
            reason = _retry_reason(error)
            logger.info(
                "%s: attempt %d failed (%s); retrying in %.2f s",
                error.operation,
                number,
                reason,
                wait,
                extra={
                    "operation": error.operation,
                    "attempt": number,
                    "retry_reason": reason,
                    "wait_seconds": wait,
                },
            )
            if _cancelled.wait(wait):
                raise
        number += 1


def cancel_waits() -> None:
    """End every retry wait in this process now, each raising the error it waited after, and
    retry nothing from now on: the engine cancelled the operation (a native provider's Cancel)."""
    _cancelled.set()


def _retry_reason(error: AutocallsError) -> str:
    if isinstance(error, APIStatusError):
        return f"HTTP {error.status_code} {error.reason}".rstrip()
    if isinstance(error, APIConnectionError):
        return error.reason
    return type(error).__name__


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
