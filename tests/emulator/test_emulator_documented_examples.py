"""The example bodies of the API documentation (docs/api-contract.md), answered to the letter."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from api_examples import DOCUMENTED_VALIDATION_ERROR
from pulumi_autocalls.emulator import EmulatorProcess

TRUNKS = "/user/phone-numbers/sip-trunks"
VOICE_TRUNK_ID = re.compile(r"ST_[A-Za-z0-9]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
GENERATED = ("id", "inbound_trunk_id", "outbound_trunk_id", "created_at", "updated_at")

# The 201 examples of the create page, without the values the server generates.
EXTENSION_TRUNK = {
    "phone_number": "1000",
    "nickname": "Provider X — Main",
    "sip_username": "myuser",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "allowed_inbound_ips": None,
    "outbound_proxy": False,
    "country_code": "US",
}
DID_TRUNK = {
    "phone_number": "+14155551234",
    "nickname": None,
    "sip_username": "trunk_user",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "e164",
    "inbound_authorization_type": "ip",
    "allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"],
    "outbound_proxy": True,
    "country_code": "US",
}
DETAIL_KEYS = [
    "id",
    "phone_number",
    "nickname",
    "sip_username",
    "sip_address",
    "sip_calling_format",
    "inbound_authorization_type",
    "allowed_inbound_ips",
    "outbound_proxy",
    "country_code",
    "inbound_trunk_id",
    "outbound_trunk_id",
    "created_at",
    "updated_at",
]
SUMMARY_KEYS = [key for key in DETAIL_KEYS if not key.endswith("_trunk_id")]


def without_generated(trunk: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in trunk.items() if key not in GENERATED}


def assert_generated_values(trunk: dict[str, Any]) -> None:
    assert isinstance(trunk["id"], int) and trunk["id"] >= 1
    assert VOICE_TRUNK_ID.fullmatch(trunk["inbound_trunk_id"])
    assert VOICE_TRUNK_ID.fullmatch(trunk["outbound_trunk_id"])
    assert trunk["inbound_trunk_id"] != trunk["outbound_trunk_id"]
    assert TIMESTAMP.fullmatch(trunk["created_at"])
    assert TIMESTAMP.fullmatch(trunk["updated_at"])


def test_create_extension_trunk_with_password_auth(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    response = api.post(TRUNKS, json=extension_request)

    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["message", "data"]
    assert body["message"] == "SIP trunk created successfully."
    assert list(body["data"]) == DETAIL_KEYS
    assert without_generated(body["data"]) == EXTENSION_TRUNK
    assert_generated_values(body["data"])
    assert body["data"]["created_at"] == body["data"]["updated_at"]


def test_create_did_trunk_with_ip_auth(api: httpx.Client, did_request: dict[str, Any]) -> None:
    response = api.post(TRUNKS, json=did_request)

    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "SIP trunk created successfully."
    assert without_generated(body["data"]) == DID_TRUNK
    assert_generated_values(body["data"])


def test_get_returns_the_created_trunk(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.get(f"{TRUNKS}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == {"data": created}
    assert list(response.json()["data"]) == DETAIL_KEYS


def test_list_shows_trunks_by_ascending_id_without_voice_trunk_ids(
    api: httpx.Client, extension_request: dict[str, Any], did_request: dict[str, Any]
) -> None:
    first = api.post(TRUNKS, json=extension_request).json()["data"]
    second = api.post(TRUNKS, json=did_request).json()["data"]

    response = api.get(TRUNKS)

    assert response.status_code == 200
    expected = [
        {key: trunk[key] for key in SUMMARY_KEYS} for trunk in sorted([first, second], key=id_of)
    ]
    assert response.json() == {"data": expected}
    assert [list(item) for item in response.json()["data"]] == [SUMMARY_KEYS, SUMMARY_KEYS]


def id_of(trunk: dict[str, Any]) -> int:
    return int(trunk["id"])


def test_list_without_trunks_is_an_empty_array(api: httpx.Client) -> None:
    response = api.get(TRUNKS)

    assert response.status_code == 200
    assert response.json() == {"data": []}


def test_update_credentials_recreates_both_voice_trunks(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.put(f"{TRUNKS}/{created['id']}", json={"sip_username": "new_username"})

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "SIP trunk updated successfully."
    data = body["data"]
    assert without_generated(data) == {**EXTENSION_TRUNK, "sip_username": "new_username"}
    assert data["id"] == created["id"]
    assert data["created_at"] == created["created_at"]
    assert data["updated_at"] > created["updated_at"]
    assert VOICE_TRUNK_ID.fullmatch(data["inbound_trunk_id"])
    assert data["inbound_trunk_id"] != created["inbound_trunk_id"]
    assert data["outbound_trunk_id"] != created["outbound_trunk_id"]


def test_switch_to_ip_auth_recreates_only_the_inbound_trunk(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.put(
        f"{TRUNKS}/{created['id']}",
        json={"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]},
    )

    assert response.status_code == 200
    data = response.json()["data"]
    assert without_generated(data) == {
        **EXTENSION_TRUNK,
        "inbound_authorization_type": "ip",
        "allowed_inbound_ips": ["203.0.113.10"],
    }
    assert data["inbound_trunk_id"] != created["inbound_trunk_id"]
    assert data["outbound_trunk_id"] == created["outbound_trunk_id"]


def test_delete_releases_the_trunk_at_once(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.delete(f"/user/phone-numbers/{created['id']}")

    assert response.status_code == 200
    assert response.json() == {"message": "Phone number deleted successfully."}
    assert api.get(f"{TRUNKS}/{created['id']}").status_code == 404
    assert api.get(TRUNKS).json() == {"data": []}


def test_user_me_answers_a_valid_key(api: httpx.Client) -> None:
    response = api.get("/user/me")

    assert response.status_code == 200
    assert response.json() == {
        "name": "Emulator User",
        "email": "emulator@example.com",
        "total_balance": 125.5,
    }


def test_password_and_trunk_type_are_never_returned(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()
    updated = api.put(f"{TRUNKS}/{created['data']['id']}", json={"sip_password": "changed!"})
    fetched = api.get(f"{TRUNKS}/{created['data']['id']}")
    listed = api.get(TRUNKS)

    for response_text in (str(created), updated.text, fetched.text, listed.text):
        assert "sip_password" not in response_text
        assert "sip_trunk_type" not in response_text
        assert "s3cret" not in response_text


def test_ids_count_up_and_are_never_reused(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    first = api.post(TRUNKS, json=extension_request).json()["data"]["id"]
    api.delete(f"/user/phone-numbers/{first}")
    second = api.post(TRUNKS, json=extension_request).json()["data"]["id"]
    third = api.post(TRUNKS, json={**extension_request, "phone_number": "1001"}).json()["data"]

    assert second > first
    assert third["id"] == second + 1


# Errors (docs/api-contract.md).

ROUTES = [
    ("GET", "/user/me"),
    ("GET", TRUNKS),
    ("POST", TRUNKS),
    ("GET", f"{TRUNKS}/1"),
    ("PUT", f"{TRUNKS}/1"),
    ("DELETE", "/user/phone-numbers/1"),
]
BAD_AUTHORIZATION_HEADERS = [
    None,
    "Bearer not-a-valid-key",
    "Bearer",
    "Basic dGVzdC1rZXktMDEyMzQ1Njc4OQ==",
    "test-key-0123456789",
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("authorization", BAD_AUTHORIZATION_HEADERS)
def test_every_route_needs_a_valid_bearer_key(
    anonymous: httpx.Client, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Accept": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization

    response = anonymous.request(method, "/api" + path, headers=headers, json={})

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


@pytest.mark.parametrize("trunk_id", ["999999", "0", "abc", "-1", "1.5", "9" * 30])
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_unknown_trunk_is_not_found(api: httpx.Client, method: str, trunk_id: str) -> None:
    response = api.request(method, f"{TRUNKS}/{trunk_id}", json={"nickname": "x"})

    assert response.status_code == 404
    assert response.json() == {"error": "SIP trunk not found."}


@pytest.mark.parametrize("phone_number_id", ["999999", "abc", "9" * 30])
def test_unknown_phone_number_is_not_found_on_delete(
    api: httpx.Client, phone_number_id: str
) -> None:
    response = api.delete(f"/user/phone-numbers/{phone_number_id}")

    assert response.status_code == 404
    assert response.json() == {"error": "Phone number not found."}


def test_second_delete_is_not_found(api: httpx.Client, extension_request: dict[str, Any]) -> None:
    trunk_id = api.post(TRUNKS, json=extension_request).json()["data"]["id"]
    api.delete(f"/user/phone-numbers/{trunk_id}")

    response = api.delete(f"/user/phone-numbers/{trunk_id}")

    assert response.status_code == 404
    assert response.json() == {"error": "Phone number not found."}


DUPLICATE = {
    "error": "A SIP trunk with the same phone number, username, and address already exists."
}


def test_create_duplicate_is_a_conflict(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    api.post(TRUNKS, json=extension_request)
    same_identity = {**extension_request, "nickname": "other", "sip_password": "different"}

    response = api.post(TRUNKS, json=same_identity)

    assert response.status_code == 409
    assert response.json() == DUPLICATE
    assert len(api.get(TRUNKS).json()["data"]) == 1


@pytest.mark.parametrize(
    "field, other_value",
    [("phone_number", "1001"), ("sip_username", "otheruser"), ("sip_address", "sip.other.com")],
)
def test_trunks_differing_in_one_identity_field_coexist(
    api: httpx.Client, extension_request: dict[str, Any], field: str, other_value: str
) -> None:
    api.post(TRUNKS, json=extension_request)

    response = api.post(TRUNKS, json={**extension_request, field: other_value})

    assert response.status_code == 201


def test_update_into_a_duplicate_of_another_trunk_is_a_conflict(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    api.post(TRUNKS, json=extension_request)
    other = api.post(TRUNKS, json={**extension_request, "phone_number": "1001"}).json()["data"]

    response = api.put(f"{TRUNKS}/{other['id']}", json={"phone_number": "1000"})

    assert response.status_code == 409
    assert response.json() == DUPLICATE
    assert api.get(f"{TRUNKS}/{other['id']}").json() == {"data": other}


def test_update_keeping_its_own_identity_is_no_conflict(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.put(
        f"{TRUNKS}/{created['id']}",
        json={"phone_number": "1000", "sip_username": "myuser", "sip_address": "sip.provider.com"},
    )

    assert response.status_code == 200


def test_documented_create_validation_example(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    del extension_request["sip_address"]
    extension_request["sip_calling_format"] = "international"

    response = api.post(TRUNKS, json=extension_request)

    assert response.status_code == 422
    assert response.json() == DOCUMENTED_VALIDATION_ERROR


def test_documented_update_validation_example(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    created = api.post(TRUNKS, json=extension_request).json()["data"]

    response = api.put(f"{TRUNKS}/{created['id']}", json={"inbound_authorization_type": "ip"})

    assert response.status_code == 422
    assert response.json() == {
        "message": "The given data was invalid.",
        "errors": {
            "allowed_inbound_ips": [
                'At least one allowed IP address is required when authorization type is "ip".'
            ]
        },
    }
    assert api.get(f"{TRUNKS}/{created['id']}").json() == {"data": created}


def provisioning_failed(action: str) -> dict[str, str]:
    return {"error": f"Failed to {action}. Please try again or contact support."}


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", TRUNKS, provisioning_failed("create SIP trunk")),
        ("PUT", f"{TRUNKS}/1", provisioning_failed("update SIP trunk")),
        ("DELETE", "/user/phone-numbers/1", provisioning_failed("release phone number")),
        ("GET", f"{TRUNKS}/1", {"message": "Server Error"}),
        ("GET", TRUNKS, {"message": "Server Error"}),
        ("GET", "/user/me", {"message": "Server Error"}),
    ],
)
def test_documented_server_error_bodies_via_fault(
    api: httpx.Client,
    clean_emulator: EmulatorProcess,
    method: str,
    path: str,
    expected: dict[str, str],
) -> None:
    clean_emulator.add_fault(500)

    response = api.request(method, path, json={})

    assert response.status_code == 500
    assert response.json() == expected
