"""Secrets never leave the client: not in an error's text, args, repr, attributes, traceback or
pickle, not in any log record, not in the client's repr.

Against the real emulator, except where the server must echo a secret back: the emulator never
does, so those two tests stand a scripted server (httpx.MockTransport) in for a hostile one.
"""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from typing import Any

import httpx
import pytest
from pulumi_autocalls._core.client import AutocallsClient, ObservedResponse
from pulumi_autocalls._core.redact import (
    WITHHELD,
    Scrubber,
    api_key_variants,
    secret_field_values,
)
from pulumi_autocalls._core.retry import RetryPolicy
from pulumi_autocalls._exceptions import (
    AuthenticationError,
    AutocallsError,
    UnprocessableEntityError,
)
from pulumi_autocalls.emulator import EmulatorProcess

GOOD_KEY = "test-key-0123456789"
WRONG_KEY = "1|WRONGKEY-recognizable-4f1c9a"
PASSWORD = "Pw-recognizable-7d2e1b"
TRUNK: dict[str, Any] = {
    "sip_trunk_type": "extension",
    "phone_number": "1000",
    "sip_username": "myuser",
    "sip_password": PASSWORD,
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}
SECRETS = (GOOD_KEY, WRONG_KEY, "WRONGKEY-recognizable-4f1c9a", PASSWORD)


def _everything_an_error_shows(error: AutocallsError) -> str:
    return "\n".join(
        [
            str(error),
            repr(error),
            repr(error.args),
            repr(vars(error)),
            "".join(traceback.format_exception(error)),
            repr(pickle.dumps(error)),
        ]
    )


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)


def _assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def _assert_plain_data(value: object) -> None:
    """Only JSON-like data: no httpx request or response (they hold the Authorization header)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _assert_plain_data(key)
            _assert_plain_data(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _assert_plain_data(item)
    else:
        assert value is None or isinstance(value, str | int | float | bool), type(value)


def _assert_keeps_no_secret(error: AutocallsError, caplog: pytest.LogCaptureFixture) -> None:
    _assert_no_secret(_everything_an_error_shows(error))
    _assert_no_secret(_everything_logged(caplog))
    _assert_plain_data(vars(error))
    assert error.__cause__ is None
    assert error.__context__ is None


def test_rejected_key_and_password_appear_nowhere(
    server: EmulatorProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        AutocallsClient(WRONG_KEY, base_url=server.base_url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.create_sip_trunk(TRUNK)
        _assert_no_secret(repr(client))

    _assert_keeps_no_secret(caught.value, caplog)
    assert any(r.name == "pulumi_autocalls" for r in caplog.records)  # DEBUG was captured


def test_invalid_create_with_a_password_keeps_no_secret(
    server: EmulatorProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        AutocallsClient(GOOD_KEY, base_url=server.base_url) as client,
        pytest.raises(UnprocessableEntityError) as caught,
    ):
        client.create_sip_trunk({**TRUNK, "sip_calling_format": "bogus"})

    _assert_keeps_no_secret(caught.value, caplog)
    assert server.requests()[0]["body"]["sip_password"] == "***"


def test_retried_failures_log_no_secret(
    server: EmulatorProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.add_fault(drop=True, method="PUT", times=3)
    policy = RetryPolicy(max_retries=2, backoff_initial=0.01)
    with AutocallsClient(GOOD_KEY, base_url=server.base_url, retry=policy) as client:
        created = client.create_sip_trunk(TRUNK)
        with pytest.raises(AutocallsError) as caught:
            client.update_sip_trunk(created.id, {"sip_password": PASSWORD + "-new"})

    assert caught.value.attempts == 3
    _assert_keeps_no_secret(caught.value, caplog)


def _echoing_server(request: httpx.Request) -> httpx.Response:
    """A server that repeats everything it was sent, secrets included."""
    sent = json.loads(request.content)
    echo = f"{request.headers['Authorization']} sent {sent['sip_password']}"
    return httpx.Response(
        422,
        json={
            "message": echo,
            "errors": {"sip_password": [f"{sent['sip_password']} is weak"], echo: [echo]},
            "sip_password": sent["sip_password"],
            "request": sent,
        },
        headers={"X-Request-Id": f"req-{sent['sip_password']}"},
    )


def test_secrets_echoed_by_the_server_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    transport = httpx.MockTransport(_echoing_server)
    with (
        AutocallsClient(WRONG_KEY, transport=transport) as client,
        pytest.raises(UnprocessableEntityError) as caught,
    ):
        client.create_sip_trunk(TRUNK)

    error = caught.value
    _assert_keeps_no_secret(error, caplog)
    assert str(error) == (
        "create SIP trunk failed: HTTP 422 Unprocessable Entity: [withheld: it held a secret] "
        "(sip_password: [withheld: it held a secret]; Bearer *** sent ***: [withheld: it held a "
        "secret])"
    )
    assert error.body == {
        "message": WITHHELD,
        "errors": {"sip_password": [WITHHELD], "Bearer *** sent ***": [WITHHELD]},
        "sip_password": "***",
        "request": {**TRUNK, "sip_password": "***"},
    }
    assert error.request_id == "req-***"


def test_sanctum_token_secret_echoed_alone_is_scrubbed() -> None:
    token_secret = WRONG_KEY.split("|", 1)[1]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"message": f"Token {token_secret} is revoked."})

    with (
        AutocallsClient(WRONG_KEY, transport=httpx.MockTransport(answer)) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.list_sip_trunks()

    assert caught.value.api_message == "[withheld: it held a secret]"


def test_secret_fields_are_redacted_at_any_depth() -> None:
    body = {"sip_password": "pw-1", "nested": [{"sip_password": "pw-2", "keep": "x"}], "n": 1}
    assert Scrubber(()).json(body) == {
        "sip_password": "***",
        "nested": [{"sip_password": "***", "keep": "x"}],
        "n": 1,
    }
    assert body["sip_password"] == "pw-1"  # the input is not modified


def test_request_passwords_are_collected_from_any_depth() -> None:
    assert secret_field_values({"sip_password": "a1", "x": [{"sip_password": "b2"}]}) == [
        "a1",
        "b2",
    ]
    assert secret_field_values({"sip_password": None, "other": "x"}) == []


def test_sanctum_token_secret_half_is_a_secret_too() -> None:
    assert api_key_variants("12|abcdefghijkl") == ["12|abcdefghijkl", "abcdefghijkl"]
    assert api_key_variants("12|short") == ["12|short"]
    assert api_key_variants("plain-key-123") == ["plain-key-123"]


def test_scrubber_replaces_echoed_secrets_in_strings_and_keys() -> None:
    scrubber = Scrubber.for_request("1|supersecretkey", {"sip_password": "Hunter2-pw"})
    echoed = {
        "message": "Key supersecretkey rejected; password Hunter2-pw too weak",
        "errors": {"Hunter2-pw": ["1|supersecretkey"]},
        "sip_password": "anything",
    }
    assert scrubber.json(echoed) == {
        "message": WITHHELD,
        "errors": {"***": [WITHHELD]},
        "sip_password": "***",
    }
    assert scrubber.text("Bearer 1|supersecretkey") == "Bearer ***"


def test_longer_secret_is_replaced_whole_before_a_shorter_one_inside_it() -> None:
    scrubber = Scrubber(["abc", "xxabcxx"])
    assert scrubber.text("xxabcxx and abc") == "*** and ***"


def test_empty_secrets_are_ignored_and_repr_shows_none() -> None:
    scrubber = Scrubber(["", "s3cret"])
    assert scrubber.text("plain") == "plain"
    assert repr(scrubber) == "Scrubber(<1 secrets>)"


def test_validation_messages_under_a_secret_key_are_kept() -> None:
    scrubber = Scrubber.for_request("key-123456", {"sip_password": "pw1"})
    body = {"errors": {"sip_password": ["The sip password must be at least 3 characters."]}}
    assert scrubber.json(body) == body


def test_non_string_passwords_are_secrets_too() -> None:
    assert secret_field_values({"sip_password": 123456}) == ["123456"]
    assert Scrubber(()).json({"sip_password": 123456, "x": {"sip_password": None}}) == {
        "sip_password": "***",
        "x": {"sip_password": None},
    }


def test_an_observer_sees_each_answer_with_the_secrets_scrubbed() -> None:
    observed: list[ObservedResponse] = []
    transport = httpx.MockTransport(_echoing_server)
    with (
        AutocallsClient(WRONG_KEY, transport=transport, observer=observed.append) as client,
        pytest.raises(UnprocessableEntityError) as caught,
    ):
        client.create_sip_trunk(TRUNK)

    assert observed == [
        ObservedResponse("POST", "/user/phone-numbers/sip-trunks", 422, caught.value.body, None)
    ]
    assert "***" in repr(observed) and WRONG_KEY not in repr(observed)


def test_a_withheld_message_does_not_show_where_the_secret_was() -> None:
    """With the password "SIP", scrubbing in place turned a known message into "Failed to
    create *** trunk.", which tells the reader the password."""
    scrubber = Scrubber.for_request("k" * 20, {"sip_password": "SIP"})

    assert scrubber.json({"message": "Failed to create SIP trunk.", "code": 7}) == {
        "message": WITHHELD,
        "code": 7,
    }


def test_a_digits_only_secret_echoed_as_a_json_number_is_withheld() -> None:
    scrubber = Scrubber.for_request("k" * 20, {"sip_password": "48151623"})

    assert scrubber.json({"echo": 48151623, "other": 42, "flag": True}) == {
        "echo": WITHHELD,
        "other": 42,
        "flag": True,
    }
