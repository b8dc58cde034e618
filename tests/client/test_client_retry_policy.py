"""RetryPolicy backoff and the parsing of server-requested waits: pure functions, no network."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pulumi_autocalls._core.retry import (
    RetryPolicy,
    parse_retry_after,
    retry_after_from_body,
    server_requested_wait,
)

NOW = datetime(2026, 3, 31, 10, 0, 0, tzinfo=timezone.utc)


def test_defaults() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.backoff_initial, policy.backoff_max) == (4, 0.5, 8.0)
    assert (policy.jitter, policy.max_retry_after) == (True, 60.0)


def test_backoff_without_jitter_doubles_from_initial_up_to_the_cap() -> None:
    policy = RetryPolicy(jitter=False)
    assert [policy.backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_stays_capped_for_huge_retry_numbers() -> None:
    assert RetryPolicy(jitter=False).backoff(10_000) == 8.0


def test_full_jitter_scales_the_ceiling_by_a_uniform_draw() -> None:
    policy = RetryPolicy()
    assert policy.backoff(2, uniform=lambda: 0.25) == 0.5
    assert policy.backoff(2, uniform=lambda: 0.0) == 0.0
    assert policy.backoff(9, uniform=lambda: 0.5) == 4.0


def test_jittered_backoff_never_exceeds_the_ceiling() -> None:
    policy = RetryPolicy()
    assert all(0.0 <= policy.backoff(3) <= 4.0 for _ in range(500))


def test_negative_retry_number_is_refused() -> None:
    with pytest.raises(ValueError, match="retries_done must be 0 or more, got -1"):
        RetryPolicy().backoff(-1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries must be 0 or more, got -1"),
        ({"backoff_initial": -0.1}, "backoff_initial must be a finite number of seconds >= 0"),
        ({"backoff_max": float("inf")}, "backoff_max must be a finite number of seconds >= 0"),
        ({"max_retry_after": float("nan")}, "max_retry_after must be a finite number"),
    ],
)
def test_invalid_policies_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_max_retries_must_be_an_int() -> None:
    with pytest.raises(TypeError, match=r"max_retries must be an int, got 2\.0"):
        RetryPolicy(max_retries=2.0)  # type: ignore[arg-type]


def test_server_wait_is_allowed_up_to_max_retry_after() -> None:
    policy = RetryPolicy(max_retry_after=5.0)
    assert policy.allows_server_wait(5.0)
    assert not policy.allows_server_wait(5.5)


def test_policy_is_frozen() -> None:
    with pytest.raises(AttributeError):
        RetryPolicy().max_retries = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("Tue, 31 Mar 2026 10:00:30 GMT", 30.0),
        ("Tuesday, 31-Mar-26 10:01:00 GMT", 60.0),
        ("Tue, 31 Mar 2026 09:59:00 GMT", 0.0),  # already past: retry now
    ],
)
def test_retry_after_header_seconds_or_http_date(header: str, seconds: float) -> None:
    assert parse_retry_after(header, now=NOW) == seconds


@pytest.mark.parametrize("header", [None, "", "  ", "-5", "soon", "inf", "nan", "Tue, 99 Foo"])
def test_unusable_retry_after_header_counts_as_absent(header: str | None) -> None:
    assert parse_retry_after(header, now=NOW) is None


@pytest.mark.parametrize(
    ("body", "seconds"),
    [
        ({"message": "Too Many Attempts.", "retry_after": 60}, 60.0),
        ({"retry_after": 2.5}, 2.5),
        ({"retry_after": "7"}, 7.0),
        ({"retry_after": True}, None),
        ({"retry_after": -1}, None),
        ({"retry_after": "later"}, None),
        ({"retry_after": None}, None),
        ({"message": "Too Many Attempts."}, None),
        (["retry_after", 60], None),
        (None, None),
    ],
)
def test_retry_after_body_field(body: object, seconds: float | None) -> None:
    assert retry_after_from_body(body) == seconds


def test_header_wins_over_body_and_body_fills_in_for_a_missing_header() -> None:
    assert server_requested_wait("3", {"retry_after": 60}, now=NOW) == 3.0
    assert server_requested_wait(None, {"retry_after": 60}, now=NOW) == 60.0
    assert server_requested_wait("garbage", {"retry_after": 4}, now=NOW) == 4.0
    assert server_requested_wait(None, None, now=NOW) is None
