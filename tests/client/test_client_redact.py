"""Scrubbing secrets out of text and JSON taken from a server."""

from __future__ import annotations

from pulumi_autocalls._core.redact import (
    Scrubber,
    api_key_variants,
    secret_field_values,
)


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
        "message": "Key *** rejected; password *** too weak",
        "errors": {"***": ["***"]},
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
