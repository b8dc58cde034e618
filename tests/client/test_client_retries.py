"""Retries, timeouts and connection failures against the real emulator (injected faults).

Waits are real and short: a server-requested wait is 1 s (the emulator sends whole seconds), a
backoff is 0.01 s. The INFO log of each retry shows the wait that was chosen; no test measures
time.
"""

from __future__ import annotations

import logging
import socket
import time
from datetime import datetime, timezone
from typing import Any

import pytest
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.retry import (
    RetryPolicy,
    parse_retry_after,
    retry_after_from_body,
    server_requested_wait,
)
from pulumi_autocalls._exceptions import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY as KEY
from trunk_samples import FAST_RETRIES as FAST
from trunk_samples import TRUNKS_PATH as TRUNKS
from trunk_samples import trunk_args

TRUNK: dict[str, Any] = trunk_args(nickname=None, sip_password="s3cret-pw")


@pytest.fixture
def retry_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="pulumi_autocalls")
    return caplog


def _retries(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "pulumi_autocalls" and r.levelno == logging.INFO
    ]


def _statuses(server: EmulatorProcess) -> list[tuple[str, str, int]]:
    return [(r["method"], r["path"], r["status"]) for r in server.requests()]


def _origin(server: EmulatorProcess) -> str:
    return server.base_url.removesuffix("/api")


def _wait_until_journaled(server: EmulatorProcess, count: int) -> None:
    """Lets a delayed request the client gave up on finish, so it cannot leak into a later test."""
    deadline = time.monotonic() + 30
    while len(server.requests()) < count:
        assert time.monotonic() < deadline, "the emulator never finished the delayed request"
        time.sleep(0.05)


def test_429_with_retry_after_header_waits_as_told_then_succeeds(
    fast_client: AutocallsClient, server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    server.add_fault(status=429, method="GET", retry_after=1, retry_after_in="header")

    assert fast_client.list_sip_trunks() == []

    assert _statuses(server) == [("GET", TRUNKS, 429), ("GET", TRUNKS, 200)]
    assert _retries(retry_log) == [
        "list SIP trunks: attempt 1 failed (HTTP 429 Too Many Requests); retrying in 1.00 s"
    ]
    record = next(r for r in retry_log.records if r.levelno == logging.INFO)
    assert record.__dict__["operation"] == "list SIP trunks"
    assert record.__dict__["attempt"] == 1
    assert record.__dict__["retry_reason"] == "HTTP 429 Too Many Requests"
    assert record.__dict__["wait_seconds"] == 1.0


def test_429_with_retry_after_in_the_body_waits_as_told(
    fast_client: AutocallsClient, server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    created = fast_client.create_sip_trunk(TRUNK)
    server.clear_requests()
    server.add_fault(status=429, method="GET", retry_after=1, retry_after_in="body")

    assert fast_client.get_sip_trunk(created.id) == created

    path = f"{TRUNKS}/{created.id}"
    assert _statuses(server) == [("GET", path, 429), ("GET", path, 200)]
    assert _retries(retry_log) == [
        f"get SIP trunk {created.id}: attempt 1 failed (HTTP 429 Too Many Requests); "
        "retrying in 1.00 s"
    ]


def test_429_without_a_requested_wait_backs_off(
    fast_client: AutocallsClient, server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    server.add_fault(status=429, method="GET", times=2)

    fast_client.me()

    assert [s for _, _, s in _statuses(server)] == [429, 429, 200]
    assert _retries(retry_log) == [
        "check API key: attempt 1 failed (HTTP 429 Too Many Requests); retrying in 0.01 s",
        "check API key: attempt 2 failed (HTTP 429 Too Many Requests); retrying in 0.01 s",
    ]


def test_503_then_success(
    fast_client: AutocallsClient, server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    server.add_fault(status=503, method="GET")

    assert fast_client.list_sip_trunks() == []

    assert _statuses(server) == [("GET", TRUNKS, 503), ("GET", TRUNKS, 200)]
    assert _retries(retry_log) == [
        "list SIP trunks: attempt 1 failed (HTTP 503 Service Unavailable); retrying in 0.01 s"
    ]


@pytest.mark.parametrize("status", [502, 504])
def test_other_gateway_failures_are_retried(
    fast_client: AutocallsClient, server: EmulatorProcess, status: int
) -> None:
    server.add_fault(status=status, method="GET")
    fast_client.list_sip_trunks()
    assert [s for _, _, s in _statuses(server)] == [status, 200]


def test_dropped_connection_on_get_is_retried(
    fast_client: AutocallsClient, server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    server.add_fault(drop=True, method="GET")

    assert fast_client.list_sip_trunks() == []

    assert _statuses(server) == [("GET", TRUNKS, 0), ("GET", TRUNKS, 200)]
    assert _retries(retry_log) == [
        "list SIP trunks: attempt 1 failed (connection closed before a complete response); "
        "retrying in 0.01 s"
    ]


def test_dropped_connection_on_put_is_retried_with_the_same_body(
    fast_client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = fast_client.create_sip_trunk(TRUNK)
    server.clear_requests()
    server.add_fault(drop=True, method="PUT")

    updated = fast_client.update_sip_trunk(created.id, {"nickname": "Renamed"})

    assert updated.nickname == "Renamed"
    path = f"{TRUNKS}/{created.id}"
    assert [(r["method"], r["path"], r["status"], r["body"]) for r in server.requests()] == [
        ("PUT", path, 0, {"nickname": "Renamed"}),
        ("PUT", path, 200, {"nickname": "Renamed"}),
    ]


def test_dropped_connection_on_delete_is_retried(
    fast_client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = fast_client.create_sip_trunk(TRUNK)
    server.clear_requests()
    server.add_fault(drop=True, method="DELETE")

    fast_client.delete_sip_trunk(created.id)

    path = f"/api/user/phone-numbers/{created.id}"
    assert _statuses(server) == [("DELETE", path, 0), ("DELETE", path, 200)]
    assert fast_client.list_sip_trunks() == []


def test_delete_whose_first_answer_was_lost_ends_in_not_found(
    fast_client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = fast_client.create_sip_trunk(TRUNK)
    server.clear_requests()
    server.add_fault(drop=True, method="DELETE", after_commit=True)

    with pytest.raises(NotFoundError) as caught:
        fast_client.delete_sip_trunk(created.id)

    assert str(caught.value) == (
        f"delete SIP trunk {created.id} failed: HTTP 404 Not Found: Phone number not found."
    )
    assert caught.value.attempts == 2
    path = f"/api/user/phone-numbers/{created.id}"
    assert _statuses(server) == [("DELETE", path, 0), ("DELETE", path, 404)]


def test_exhausted_retry_budget_raises_the_last_error(
    server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    policy = RetryPolicy(max_retries=2, backoff_initial=0.01, jitter=False)
    server.add_fault(status=503, method="GET", times=10)

    with (
        AutocallsClient(KEY, base_url=server.base_url, retry=policy) as fast_client,
        pytest.raises(InternalServerError) as caught,
    ):
        fast_client.list_sip_trunks()

    assert str(caught.value) == (
        "list SIP trunks failed: HTTP 503 Service Unavailable: Service Unavailable"
    )
    assert caught.value.attempts == 3
    assert [s for _, _, s in _statuses(server)] == [503, 503, 503]
    assert _retries(retry_log) == [
        "list SIP trunks: attempt 1 failed (HTTP 503 Service Unavailable); retrying in 0.01 s",
        "list SIP trunks: attempt 2 failed (HTTP 503 Service Unavailable); retrying in 0.02 s",
    ]


def test_exhausted_retries_after_dropped_connections_raise_a_connection_error(
    server: EmulatorProcess,
) -> None:
    server.add_fault(drop=True, method="GET", times=10)
    policy = RetryPolicy(max_retries=1, backoff_initial=0.01)

    with (
        AutocallsClient(KEY, base_url=server.base_url, retry=policy) as fast_client,
        pytest.raises(APIConnectionError) as caught,
    ):
        fast_client.get_sip_trunk(42)

    assert type(caught.value) is APIConnectionError
    assert str(caught.value) == (
        f"get SIP trunk 42 failed: could not reach {_origin(server)} "
        "(connection closed before a complete response)"
    )
    assert (caught.value.attempts, caught.value.trunk_id) == (2, "42")
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 503}, InternalServerError),
        ({"status": 502}, InternalServerError),
        ({"status": 429, "retry_after": 0}, RateLimitError),
        ({"drop": True}, APIConnectionError),
    ],
)
def test_post_is_never_repeated(
    fast_client: AutocallsClient,
    server: EmulatorProcess,
    retry_log: pytest.LogCaptureFixture,
    fault: dict[str, Any],
    expected: type[Exception],
) -> None:
    server.add_fault(method="POST", times=5, **fault)

    with pytest.raises(expected) as caught:
        fast_client.create_sip_trunk(TRUNK)

    assert _statuses(server) == [("POST", TRUNKS, fault.get("status", 0))]
    assert _retries(retry_log) == []
    assert getattr(caught.value, "attempts", None) == 1


def test_post_rate_limit_error_carries_the_requested_wait(
    fast_client: AutocallsClient, server: EmulatorProcess
) -> None:
    server.add_fault(status=429, method="POST", retry_after=7)

    with pytest.raises(RateLimitError) as caught:
        fast_client.create_sip_trunk(TRUNK)

    assert str(caught.value) == (
        "create SIP trunk failed: HTTP 429 Too Many Requests: Too Many Attempts."
    )
    assert caught.value.retry_after == 7.0
    assert caught.value.body == {"message": "Too Many Attempts.", "retry_after": 7}


def test_retry_after_above_the_cap_raises_at_once(
    server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    policy = RetryPolicy(max_retry_after=2.0)
    server.add_fault(status=429, method="GET", retry_after=3, retry_after_in="header", times=5)

    with (
        AutocallsClient(KEY, base_url=server.base_url, retry=policy) as fast_client,
        pytest.raises(RateLimitError) as caught,
    ):
        fast_client.list_sip_trunks()

    assert caught.value.retry_after == 3.0
    assert caught.value.attempts == 1
    assert [s for _, _, s in _statuses(server)] == [429]
    assert _retries(retry_log) == []


def test_slow_answer_is_a_timeout(server: EmulatorProcess) -> None:
    server.add_fault(status=200, method="GET", delay_s=1.0)
    no_retries = RetryPolicy(max_retries=0)

    with (
        AutocallsClient(
            KEY, base_url=server.base_url, timeout=0.2, retry=no_retries
        ) as fast_client,
        pytest.raises(APITimeoutError) as caught,
    ):
        fast_client.list_sip_trunks()

    assert str(caught.value) == (
        f"list SIP trunks failed: no response from {_origin(server)} within 0.2 s"
    )
    assert caught.value.timeout == 0.2
    assert isinstance(caught.value, APIConnectionError)
    _wait_until_journaled(server, 1)


def test_timeout_of_an_idempotent_request_is_retried(
    server: EmulatorProcess, retry_log: pytest.LogCaptureFixture
) -> None:
    server.add_fault(status=200, method="GET", delay_s=1.0)

    with AutocallsClient(KEY, base_url=server.base_url, timeout=0.2, retry=FAST) as fast_client:
        assert fast_client.list_sip_trunks() == []

    assert _retries(retry_log) == [
        "list SIP trunks: attempt 1 failed (no response within 0.2 s); retrying in 0.01 s"
    ]
    _wait_until_journaled(server, 2)


def test_post_timeout_is_not_retried(server: EmulatorProcess) -> None:
    server.add_fault(status=200, method="POST", delay_s=1.0)

    with (
        AutocallsClient(KEY, base_url=server.base_url, timeout=0.2, retry=FAST) as fast_client,
        pytest.raises(APITimeoutError) as caught,
    ):
        fast_client.create_sip_trunk(TRUNK)

    assert str(caught.value) == (
        f"create SIP trunk failed: no response from {_origin(server)} within 0.2 s"
    )
    assert caught.value.attempts == 1
    _wait_until_journaled(server, 1)
    assert _statuses(server) == [("POST", TRUNKS, 201)]  # carried out, its answer came too late


def test_refused_connection_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more.
    no_retries = RetryPolicy(max_retries=0)
    base_url = f"http://127.0.0.1:{port}/api"

    with (
        AutocallsClient(KEY, base_url=base_url, retry=no_retries) as fast_client,
        pytest.raises(APIConnectionError) as caught,
    ):
        fast_client.me()

    assert str(caught.value) == (
        f"check API key failed: could not reach http://127.0.0.1:{port} (Connection refused). "
        f"Not retried; check the base URL (autocalls:baseUrl) and that http://127.0.0.1:{port} "
        "is reachable."
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
