"""Every error status against the real server: the class raised and its exact message.

Documented bodies come from the emulator's own routes; 400, 403, 405 and 500 come from injected
faults, since nothing in a normal exchange produces them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._exceptions import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args

KEY = "test-key-0123456789"
TRUNKS = "/api/user/phone-numbers/sip-trunks"
KEY_HINT = "Check the API key (pulumi config set --secret autocalls:apiKey <key>)."
TRUNK: dict[str, Any] = trunk_args(nickname=None, sip_password="s3cret-pw")


@pytest.fixture
def server(clean_emulator: EmulatorProcess) -> EmulatorProcess:
    return clean_emulator


@pytest.fixture
def client(server: EmulatorProcess) -> Iterator[AutocallsClient]:
    with AutocallsClient(KEY, base_url=server.base_url) as api_client:
        yield api_client


def test_wrong_api_key_is_an_authentication_error_with_the_hint(
    server: EmulatorProcess,
) -> None:
    with AutocallsClient("wrong-key-000", base_url=server.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.me()
        error = caught.value
        assert str(error) == (
            f"check API key failed: HTTP 401 Unauthorized: Unauthenticated. {KEY_HINT}"
        )
        assert (error.status_code, error.api_message, error.body) == (
            401,
            "Unauthenticated.",
            {"message": "Unauthenticated."},
        )
        assert (error.operation, error.trunk_id, error.attempts) == ("check API key", None, 1)

        with pytest.raises(AuthenticationError) as listed:
            client.list_sip_trunks()
        assert str(listed.value) == (
            f"list SIP trunks failed: HTTP 401 Unauthorized: Unauthenticated. {KEY_HINT}"
        )


def test_revoked_key_fails_the_next_call(client: AutocallsClient, server: EmulatorProcess) -> None:
    client.me()
    server.set_api_keys(["another-key-42"])
    with pytest.raises(AuthenticationError) as caught:
        client.get_sip_trunk(42)
    assert str(caught.value) == (
        f"get SIP trunk 42 failed: HTTP 401 Unauthorized: Unauthenticated. {KEY_HINT}"
    )


def test_get_of_an_unknown_trunk(client: AutocallsClient, server: EmulatorProcess) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_sip_trunk(42)
    error = caught.value
    assert str(error) == "get SIP trunk 42 failed: HTTP 404 Not Found: SIP trunk not found."
    assert (error.operation, error.trunk_id, error.api_message) == (
        "get SIP trunk 42",
        "42",
        "SIP trunk not found.",
    )
    assert error.body == {"error": "SIP trunk not found."}
    assert error.attempts == 1
    assert len(server.requests()) == 1  # a 404 is not retried


def test_update_of_an_unknown_trunk(client: AutocallsClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.update_sip_trunk("42", {"nickname": "x"})
    assert str(caught.value) == (
        "update SIP trunk 42 failed: HTTP 404 Not Found: SIP trunk not found."
    )


def test_delete_of_an_unknown_trunk(client: AutocallsClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.delete_sip_trunk(42)
    assert str(caught.value) == (
        "delete SIP trunk 42 failed: HTTP 404 Not Found: Phone number not found."
    )
    assert caught.value.body == {"error": "Phone number not found."}


def test_duplicate_create_is_a_conflict(client: AutocallsClient) -> None:
    client.create_sip_trunk(TRUNK)
    with pytest.raises(ConflictError) as caught:
        client.create_sip_trunk(TRUNK)
    assert str(caught.value) == (
        "create SIP trunk failed: HTTP 409 Conflict: A SIP trunk with the same phone number, "
        "username, and address already exists."
    )
    assert caught.value.trunk_id is None


def test_invalid_create_lists_the_field_errors_in_server_order(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    body = {k: v for k, v in TRUNK.items() if k != "sip_address"}
    body["sip_calling_format"] = "international"

    with pytest.raises(UnprocessableEntityError) as caught:
        client.create_sip_trunk(body)

    error = caught.value
    assert str(error) == (
        "create SIP trunk failed: HTTP 422 Unprocessable Entity: The given data was invalid. "
        "(sip_address: SIP server address is required.; sip_calling_format: SIP calling format "
        "must be one of: +e164, e164, national.)"
    )
    assert error.field_errors == {
        "sip_address": ["SIP server address is required."],
        "sip_calling_format": ["SIP calling format must be one of: +e164, e164, national."],
    }
    assert error.api_message == "The given data was invalid."
    assert error.body == {"message": "The given data was invalid.", "errors": error.field_errors}
    assert [entry["status"] for entry in server.requests()] == [422]


def test_invalid_update_names_the_trunk_and_the_field(client: AutocallsClient) -> None:
    created = client.create_sip_trunk(TRUNK)
    with pytest.raises(UnprocessableEntityError) as caught:
        client.update_sip_trunk(created.id, {"inbound_authorization_type": "ip"})
    assert str(caught.value) == (
        f"update SIP trunk {created.id} failed: HTTP 422 Unprocessable Entity: The given data "
        "was invalid. (allowed_inbound_ips: At least one allowed IP address is required when "
        'authorization type is "ip".)'
    )
    assert caught.value.trunk_id == str(created.id)


def test_password_validation_message_survives_redaction(client: AutocallsClient) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.create_sip_trunk({**TRUNK, "sip_password": "pw"})
    assert caught.value.field_errors == {
        "sip_password": ["The sip password must be at least 3 characters."]
    }
    assert str(caught.value).endswith(
        "(sip_password: The sip password must be at least 3 characters.)"
    )


@pytest.mark.parametrize(
    ("method", "call", "message"),
    [
        (
            "POST",
            lambda c, tid: c.create_sip_trunk(TRUNK),
            "create SIP trunk failed: HTTP 500 Internal Server Error: Failed to create SIP trunk. "
            "Please try again or contact support.",
        ),
        (
            "PUT",
            lambda c, tid: c.update_sip_trunk(tid, {"sip_username": "other"}),
            "update SIP trunk {id} failed: HTTP 500 Internal Server Error: Failed to update SIP "
            "trunk. Please try again or contact support.",
        ),
        (
            "DELETE",
            lambda c, tid: c.delete_sip_trunk(tid),
            "delete SIP trunk {id} failed: HTTP 500 Internal Server Error: Failed to release "
            "phone number. Please try again or contact support.",
        ),
    ],
)
def test_provisioning_failure_is_an_internal_server_error_and_is_not_retried(
    client: AutocallsClient,
    server: EmulatorProcess,
    method: str,
    call: Any,
    message: str,
) -> None:
    existing = client.create_sip_trunk({**TRUNK, "phone_number": "2000"})
    server.clear_requests()
    server.add_fault(status=500, method=method, times=5)

    with pytest.raises(InternalServerError) as caught:
        call(client, existing.id)

    assert str(caught.value) == message.format(id=existing.id)
    assert caught.value.status_code == 500
    assert [entry["method"] for entry in server.requests()] == [method]


def test_forbidden_via_fault(client: AutocallsClient, server: EmulatorProcess) -> None:
    server.add_fault(status=403, method="POST")
    with pytest.raises(PermissionDeniedError) as caught:
        client.create_sip_trunk(TRUNK)
    assert str(caught.value) == "create SIP trunk failed: HTTP 403 Forbidden: Forbidden"


def test_bad_request_via_fault(client: AutocallsClient, server: EmulatorProcess) -> None:
    server.add_fault(status=400, method="DELETE")
    with pytest.raises(BadRequestError) as caught:
        client.delete_sip_trunk(7)
    assert str(caught.value) == "delete SIP trunk 7 failed: HTTP 400 Bad Request: Bad Request"
    assert caught.value.trunk_id == "7"


def test_status_without_a_subclass_is_a_plain_api_status_error(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    server.add_fault(status=405, method="GET")
    with pytest.raises(APIStatusError) as caught:
        client.list_sip_trunks()
    assert type(caught.value) is APIStatusError
    assert str(caught.value) == (
        "list SIP trunks failed: HTTP 405 Method Not Allowed: Method Not Allowed"
    )
