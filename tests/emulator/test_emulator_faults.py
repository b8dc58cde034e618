"""Injected faults: statuses, bodies, Retry-After, dropped connections, lost responses, delays."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from api_examples import DOCUMENTED_VALIDATION_ERROR
from pulumi_autocalls.emulator import EmulatorControlError, EmulatorProcess

CreateTrunk = Callable[..., dict[str, Any]]
MakeClient = Callable[..., httpx.Client]
TRUNKS = "/user/phone-numbers/sip-trunks"
THROTTLED = "Too Many Attempts."


def wait_for_journal_entries(emulator: EmulatorProcess, count: int) -> list[dict[str, Any]]:
    """The journal once it holds `count` entries: lets a request the client gave up on finish
    before the test ends (so it cannot leak into the next test)."""
    deadline = time.monotonic() + 30
    entries = emulator.requests()
    while len(entries) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"journal still has {len(entries)} of {count} entries")
        time.sleep(0.05)
        entries = emulator.requests()
    return entries


def test_throttle_with_retry_after_in_header_and_body_by_default(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, retry_after=7)

    response = api.get(TRUNKS)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json() == {"message": THROTTLED, "retry_after": 7}


def test_throttle_with_retry_after_in_header_only(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, retry_after=1, retry_after_in="header")

    response = api.get(TRUNKS)

    assert response.headers["Retry-After"] == "1"
    assert response.json() == {"message": THROTTLED}


def test_throttle_with_retry_after_in_body_only(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, retry_after=2, retry_after_in="body")

    response = api.get(TRUNKS)

    assert "Retry-After" not in response.headers
    assert response.json() == {"message": THROTTLED, "retry_after": 2}


def test_throttle_without_retry_after(api: httpx.Client, clean_emulator: EmulatorProcess) -> None:
    clean_emulator.add_fault(429)

    response = api.get(TRUNKS)

    assert "Retry-After" not in response.headers
    assert response.json() == {"message": THROTTLED}


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (502, {"message": "Bad Gateway"}),
        (503, {"message": "Service Unavailable"}),
        (403, {"message": "Forbidden"}),
    ],
)
def test_other_statuses_answer_their_reason_phrase(
    api: httpx.Client, clean_emulator: EmulatorProcess, status: int, body: dict[str, str]
) -> None:
    clean_emulator.add_fault(status)

    response = api.get(TRUNKS)

    assert response.status_code == status
    assert response.json() == body


def test_a_validation_fault_answers_the_documented_422(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(422, method="POST")

    response = api.post(TRUNKS, json={})

    assert response.status_code == 422
    assert response.json() == DOCUMENTED_VALIDATION_ERROR


def test_a_fault_replaces_the_request_which_is_not_carried_out(
    api: httpx.Client, clean_emulator: EmulatorProcess, extension_request: dict[str, Any]
) -> None:
    clean_emulator.add_fault(500, method="POST")

    response = api.post(TRUNKS, json=extension_request)

    assert response.json() == {
        "error": "Failed to create SIP trunk. Please try again or contact support."
    }
    assert api.get(TRUNKS).json() == {"data": []}


def test_after_commit_carries_out_the_request_then_answers_the_fault(
    api: httpx.Client, clean_emulator: EmulatorProcess, extension_request: dict[str, Any]
) -> None:
    clean_emulator.add_fault(500, method="POST", after_commit=True)

    response = api.post(TRUNKS, json=extension_request)

    assert response.status_code == 500
    listed = api.get(TRUNKS).json()["data"]
    assert [trunk["phone_number"] for trunk in listed] == ["1000"]


def test_drop_closes_the_connection_mid_response(
    api: httpx.Client, clean_emulator: EmulatorProcess, extension_request: dict[str, Any]
) -> None:
    clean_emulator.add_fault(drop=True, method="POST")

    with pytest.raises(httpx.RemoteProtocolError):
        api.post(TRUNKS, json=extension_request)

    assert api.get(TRUNKS).json() == {"data": []}


def test_drop_after_commit_loses_the_response_of_a_done_delete(
    api: httpx.Client, clean_emulator: EmulatorProcess, create_trunk: CreateTrunk
) -> None:
    trunk = create_trunk()
    clean_emulator.add_fault(drop=True, after_commit=True, method="DELETE")

    with pytest.raises(httpx.RemoteProtocolError):
        api.delete(f"/user/phone-numbers/{trunk['id']}")

    assert api.get(f"{TRUNKS}/{trunk['id']}").status_code == 404


def test_a_delay_without_error_status_lets_the_client_time_out(
    clean_emulator: EmulatorProcess,
    make_client: MakeClient,
    extension_request: dict[str, Any],
) -> None:
    impatient = make_client(clean_emulator, timeout=0.2)
    clean_emulator.add_fault(200, method="POST", delay_s=1.0)

    with pytest.raises(httpx.ReadTimeout):
        impatient.post(TRUNKS, json=extension_request)

    [entry] = wait_for_journal_entries(clean_emulator, 1)
    assert entry["status"] == 201


def test_a_delayed_fault_still_answers_its_status(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(503, delay_s=0.1)

    response = api.get(TRUNKS)

    assert response.status_code == 503


def test_a_fault_hits_the_next_times_matching_requests_then_stops(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, times=2)

    first = api.get(TRUNKS).status_code
    remaining_after_first = [fault["times"] for fault in clean_emulator.faults()]
    second = api.get(TRUNKS).status_code
    remaining_after_second = clean_emulator.faults()
    third = api.get(TRUNKS).status_code

    assert (first, second, third) == (429, 429, 200)
    assert remaining_after_first == [1]
    assert remaining_after_second == []


def test_a_fault_matches_by_method_and_path_prefix(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, method="put", path_prefix=f"/api{TRUNKS}/")

    assert api.get(f"{TRUNKS}/1").status_code == 404
    assert api.put("/user/me", json={}).status_code == 405
    assert api.put(f"{TRUNKS}/1", json={}).status_code == 429


def test_faults_are_listed_and_cleared(clean_emulator: EmulatorProcess) -> None:
    added = clean_emulator.add_fault(429, method="GET", times=3, retry_after=5)

    listed = clean_emulator.faults()
    clean_emulator.clear_faults()

    assert added == {
        "status": 429,
        "method": "GET",
        "path_prefix": "/api",
        "times": 3,
        "retry_after": 5,
        "retry_after_in": "both",
        "delay_s": 0.0,
        "after_commit": False,
        "drop": False,
    }
    assert listed == [added]
    assert clean_emulator.faults() == []


def test_faults_never_touch_the_control_routes(clean_emulator: EmulatorProcess) -> None:
    clean_emulator.add_fault(500, path_prefix="/")

    assert clean_emulator.health() == {"status": "ok"}
    assert len(clean_emulator.faults()) == 1


@pytest.mark.parametrize(
    "fault",
    [{}, {"status": 99}, {"status": 429, "times": 0}, {"status": 429, "colour": "red"}],
)
def test_malformed_fault_requests_are_refused(
    clean_emulator: EmulatorProcess, anonymous: httpx.Client, fault: dict[str, Any]
) -> None:
    response = anonymous.post("/_emulator/faults", json=fault)

    assert response.status_code == 422
    assert clean_emulator.faults() == []


def test_the_process_helper_reports_a_refused_fault(clean_emulator: EmulatorProcess) -> None:
    with pytest.raises(EmulatorControlError, match="422"):
        clean_emulator.add_fault(times=1)
