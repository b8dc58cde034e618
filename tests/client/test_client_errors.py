"""Every error status against the real server: the class raised and its exact message.

Documented bodies come from the emulator's own routes; 400, 403, 405 and 500 come from injected
faults, since nothing in a normal exchange produces them.
"""

from __future__ import annotations

import pickle
import re
import socket
from typing import Any

import pytest
from pulumi_autocalls._core.client import AutocallsClient, ObservedResponse
from pulumi_autocalls._core.config import ProviderSettings
from pulumi_autocalls._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    AutocallsError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    reason_phrase,
    status_error,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY, FAST_RETRIES, trunk_args

KEY_HINT = "Check the API key (autocalls:apiKey)."
TRUNK: dict[str, Any] = trunk_args(nickname=None, sip_password="s3cret-pw")


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


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (599, InternalServerError),
        (405, APIStatusError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[APIStatusError]) -> None:
    assert type(status_error(operation="list SIP trunks", status_code=status)) is cls


def test_every_error_is_an_autocalls_error() -> None:
    for cls in (ConfigurationError, APIConnectionError, APITimeoutError, UnexpectedResponseError):
        assert issubclass(cls, AutocallsError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(RateLimitError, APIStatusError)


def test_reason_phrases_are_pinned_across_python_versions() -> None:
    assert reason_phrase(422) == "Unprocessable Entity"
    assert reason_phrase(418) == "I'm a Teapot"
    assert reason_phrase(299) == ""


def test_error_body_uses_error_then_message_then_reason() -> None:
    error = status_error(
        operation="get SIP trunk 42",
        trunk_id="42",
        status_code=404,
        body={"error": "SIP trunk not found.", "message": "ignored"},
    )
    assert str(error) == "get SIP trunk 42 failed: HTTP 404 Not Found: SIP trunk not found."
    assert error.api_message == "SIP trunk not found."
    assert (error.operation, error.trunk_id, error.status_code, error.reason) == (
        "get SIP trunk 42",
        "42",
        404,
        "Not Found",
    )

    by_message = status_error(operation="list SIP trunks", status_code=403, body={"message": "No."})
    assert str(by_message) == "list SIP trunks failed: HTTP 403 Forbidden: No."


def test_without_a_body_message_the_sentence_ends_at_the_reason() -> None:
    error = status_error(operation="list SIP trunks", status_code=502, body=None)
    assert str(error) == "list SIP trunks failed: HTTP 502 Bad Gateway."
    assert error.api_message == "Bad Gateway"
    assert error.body is None
    assert error.field_errors == {}


def test_unknown_status_without_reason() -> None:
    error = status_error(operation="list SIP trunks", status_code=299 + 300, body={"x": 1})
    assert str(error) == "list SIP trunks failed: HTTP 599."
    assert error.api_message == "HTTP 599"


def test_validation_errors_are_appended_in_server_order() -> None:
    error = status_error(
        operation="create SIP trunk",
        status_code=422,
        body={
            "message": "The given data was invalid.",
            "errors": {
                "sip_address": ["SIP server address is required."],
                "sip_calling_format": [
                    "SIP calling format must be one of: +e164, e164, national.",
                    "Second message.",
                ],
            },
        },
    )
    assert isinstance(error, UnprocessableEntityError)
    assert str(error) == (
        "create SIP trunk failed: HTTP 422 Unprocessable Entity: The given data was invalid. "
        "(sip_address: SIP server address is required.; sip_calling_format: SIP calling format "
        "must be one of: +e164, e164, national.; sip_calling_format: Second message.)"
    )
    assert error.field_errors == {
        "sip_address": ["SIP server address is required."],
        "sip_calling_format": [
            "SIP calling format must be one of: +e164, e164, national.",
            "Second message.",
        ],
    }


def test_field_errors_without_a_message() -> None:
    error = status_error(
        operation="update SIP trunk 7", trunk_id="7", status_code=422, body={"errors": {"a": "b"}}
    )
    assert str(error) == "update SIP trunk 7 failed: HTTP 422 Unprocessable Entity (a: b)"


def test_hints_name_the_setting_each_value_came_from(server: EmulatorProcess) -> None:
    environment = {"AUTOCALLS_API_KEY": "wrong-key-000", "AUTOCALLS_BASE_URL": server.base_url}
    with (
        ProviderSettings.load({}.get, environment).client() as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.list_sip_trunks()
    assert str(caught.value) == (
        "list SIP trunks failed: HTTP 401 Unauthorized: Unauthenticated. "
        "Check the API key (AUTOCALLS_API_KEY)."
    )


def test_a_base_url_without_api_says_to_check_it(server: EmulatorProcess) -> None:
    root = server.base_url.removesuffix("/api")
    with AutocallsClient(EMULATOR_API_KEY, base_url=root) as client:
        with pytest.raises(NotFoundError) as listed:
            client.list_sip_trunks()
        with pytest.raises(NotFoundError) as got:
            client.get_sip_trunk(7)
    hint = f"Check the base URL (autocalls:baseUrl is {root}): it usually ends in /api."
    assert str(listed.value) == f"list SIP trunks failed: HTTP 404 Not Found. {hint}"
    assert str(got.value) == f"get SIP trunk 7 failed: HTTP 404 Not Found. {hint}"


def test_an_unreachable_host_says_how_long_it_was_tried_and_what_to_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        origin = f"http://127.0.0.1:{probe.getsockname()[1]}"
    # Nothing listens on the port any more.
    with (
        AutocallsClient(EMULATOR_API_KEY, base_url=f"{origin}/api", retry=FAST_RETRIES) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.list_sip_trunks()
    message = (
        f"list SIP trunks failed: could not reach {origin} (Connection refused). "
        "Retried 4 times over SECONDS s; check the base URL (autocalls:baseUrl) and that "
        f"{origin} is reachable."
    )
    pattern = re.escape(message).replace("SECONDS", r"\d+\.\d")
    assert re.fullmatch(pattern, str(caught.value)), str(caught.value)
    assert caught.value.attempts == 5


def test_api_messages_are_one_line_and_bounded() -> None:
    error = status_error(
        operation="list SIP trunks", status_code=500, body={"error": "a\n\n  b\tc " + "x" * 900}
    )
    assert "\n" not in str(error)
    assert error.api_message.startswith("a b c x")
    assert len(error.api_message) == 500
    assert error.api_message.endswith("…")


def test_rate_limit_error_keeps_the_requested_wait() -> None:
    error = status_error(
        operation="list SIP trunks",
        status_code=429,
        body={"message": "Too Many Attempts.", "retry_after": 60},
        retry_after=60.0,
        request_id="req-1",
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 60.0
    assert error.request_id == "req-1"
    assert str(error) == "list SIP trunks failed: HTTP 429 Too Many Requests: Too Many Attempts."


def test_connection_and_timeout_messages() -> None:
    refused = APIConnectionError(
        operation="get SIP trunk 42",
        trunk_id="42",
        origin="https://app.autocalls.ai",
        reason="Connection refused",
    )
    assert str(refused) == (
        "get SIP trunk 42 failed: could not reach https://app.autocalls.ai (Connection refused)"
    )
    timeout = APITimeoutError(
        operation="list SIP trunks", origin="http://127.0.0.1:8080", timeout=0.25
    )
    assert str(timeout) == (
        "list SIP trunks failed: no response from http://127.0.0.1:8080 within 0.25 s"
    )
    assert timeout.reason == "no response within 0.25 s"
    assert str(APITimeoutError(operation="x", origin="https://h", timeout=30.0)).endswith(
        "within 30 s"
    )


def test_unexpected_response_message() -> None:
    error = UnexpectedResponseError(
        operation="get SIP trunk 42", trunk_id="42", status_code=200, problem="not JSON"
    )
    assert str(error) == (
        "get SIP trunk 42 failed: the API answered HTTP 200 OK with an unexpected body (not JSON)"
    )


def test_configuration_error_takes_just_a_message() -> None:
    error = ConfigurationError("No key.")
    assert str(error) == "No key."
    assert error.args == ("No key.",)
    assert error.operation == "configure the autocalls client"
    assert error.trunk_id is None
    assert error.attempts == 0


@pytest.mark.parametrize(
    "error",
    [
        status_error(
            operation="update SIP trunk 42",
            trunk_id="42",
            status_code=422,
            body={"message": "Bad.", "errors": {"a": ["b"]}},
            attempts=1,
        ),
        APITimeoutError(operation="list SIP trunks", origin="https://h", timeout=1.0, attempts=5),
        ConfigurationError("No key."),
    ],
)
def test_errors_survive_pickling(error: AutocallsError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)


def test_an_observer_sees_every_attempt_as_the_api_answered_it(server: EmulatorProcess) -> None:
    server.add_fault(status=503, method="GET", times=1)
    observed: list[ObservedResponse] = []
    with AutocallsClient(
        EMULATOR_API_KEY, base_url=server.base_url, retry=FAST_RETRIES, observer=observed.append
    ) as client:
        assert client.list_sip_trunks() == []

    assert [(o.method, o.path, o.status_code) for o in observed] == [
        ("GET", "/user/phone-numbers/sip-trunks", 503),
        ("GET", "/user/phone-numbers/sip-trunks", 200),
    ]
    assert observed[1].body == {"data": []}
