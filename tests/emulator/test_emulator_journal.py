"""The request journal at /_emulator/requests."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess

TRUNKS = "/user/phone-numbers/sip-trunks"


def test_journal_records_api_requests_oldest_first_with_the_password_masked(
    api: httpx.Client, clean_emulator: EmulatorProcess, extension_request: dict[str, Any]
) -> None:
    json_headers = {"Content-Type": "application/json"}
    raw_create = json.dumps(extension_request).encode()
    raw_update = json.dumps({"sip_password": "rotated-secret"}).encode()
    created = api.post(TRUNKS, content=raw_create, headers=json_headers)
    trunk_id = created.json()["data"]["id"]
    api.put(f"{TRUNKS}/{trunk_id}", content=raw_update, headers=json_headers)
    api.get(f"{TRUNKS}/{trunk_id}")
    api.delete(f"/user/phone-numbers/{trunk_id}")

    journal = clean_emulator.requests()

    assert journal == [
        {
            "method": "POST",
            "path": f"/api{TRUNKS}",
            "status": 201,
            "body": {**extension_request, "sip_password": "***"},
            "bytes": len(raw_create),
        },
        {
            "method": "PUT",
            "path": f"/api{TRUNKS}/{trunk_id}",
            "status": 200,
            "body": {"sip_password": "***"},
            "bytes": len(raw_update),
        },
        {
            "method": "GET",
            "path": f"/api{TRUNKS}/{trunk_id}",
            "status": 200,
            "body": None,
            "bytes": 0,
        },
        {
            "method": "DELETE",
            "path": f"/api/user/phone-numbers/{trunk_id}",
            "status": 200,
            "body": None,
            "bytes": 0,
        },
    ]
    assert "secret" not in json.dumps(journal).replace("s3cret", "")


def test_journal_keeps_failed_and_unauthenticated_requests(
    api: httpx.Client, anonymous: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    malformed = b'{"sip_password": "oops"'
    api.post(TRUNKS, content=malformed, headers={"Content-Type": "application/json"})
    anonymous.get("/api/user/me")
    api.get(f"{TRUNKS}/424242")

    journal = clean_emulator.requests()

    assert [(entry["status"], entry["body"], entry["bytes"]) for entry in journal] == [
        (422, None, len(malformed)),
        (401, None, 0),
        (404, None, 0),
    ]


def test_control_requests_are_not_journaled(clean_emulator: EmulatorProcess) -> None:
    clean_emulator.set_latency(0)
    clean_emulator.faults()
    clean_emulator.health()

    assert clean_emulator.requests() == []


def test_clearing_the_journal(api: httpx.Client, clean_emulator: EmulatorProcess) -> None:
    api.get("/user/me")

    clean_emulator.clear_requests()
    api.get(TRUNKS)

    assert [entry["path"] for entry in clean_emulator.requests()] == [f"/api{TRUNKS}"]


def test_faulted_requests_are_journaled_with_the_status_they_got(
    api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(429, times=1)
    clean_emulator.add_fault(drop=True, times=1)
    api.get("/user/me")
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/user/me")
    api.get("/user/me")

    assert [entry["status"] for entry in clean_emulator.requests()] == [429, 0, 200]
