"""The error tree: status -> class, and the exact message of each kind of failure."""

from __future__ import annotations

import pickle

import pytest
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


def test_401_carries_the_api_key_hint() -> None:
    error = status_error(
        operation="check API key", status_code=401, body={"message": "Unauthenticated."}
    )
    assert isinstance(error, AuthenticationError)
    assert str(error) == (
        "check API key failed: HTTP 401 Unauthorized: Unauthenticated. "
        "Check the API key (pulumi config set --secret autocalls:apiKey <key>)."
    )
    bare = status_error(operation="list SIP trunks", status_code=401, body={"error": "Nope"})
    assert str(bare) == (
        "list SIP trunks failed: HTTP 401 Unauthorized: Nope. "
        "Check the API key (pulumi config set --secret autocalls:apiKey <key>)."
    )


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
