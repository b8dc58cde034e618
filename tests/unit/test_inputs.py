"""check_inputs: every documented rule, with its exact failure message."""

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_autocalls._core.validation import Failure, check_inputs
from trunk_samples import trunk_args

VALID: dict[str, Any] = trunk_args(nickname=None)


def failures(**changes: Any) -> list[Failure]:
    news = {**VALID, **changes}
    return list(check_inputs({k: v for k, v in news.items() if v is not None}).failures)


def test_valid_inputs_pass_and_get_their_defaults() -> None:
    checked = check_inputs({**VALID, "__provider": "p"})
    assert checked.failures == ()
    assert checked.inputs == {**VALID, "outbound_proxy": False, "__provider": "p"}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        (
            {"sip_trunk_type": "trunk"},
            "sip_trunk_type",
            'sip_trunk_type must be one of "extension", "number" (got \'trunk\')',
        ),
        (
            {"phone_number": "1234567890123456"},
            "phone_number",
            'phone_number must be 1 to 15 characters for an "extension" trunk '
            "(got '1234567890123456')",
        ),
        (
            {"phone_number": ""},
            "phone_number",
            "phone_number must be 1 to 15 characters, or an E.164 number (got '')",
        ),
        (
            {"sip_trunk_type": "number", "phone_number": "1000"},
            "phone_number",
            'phone_number must be an E.164 number like +14155551234 for a "number" trunk '
            "(got '1000')",
        ),
        (
            {"nickname": "n" * 51},
            "nickname",
            "nickname must be at most 50 characters (got 51 characters)",
        ),
        (
            {"sip_username": "ab"},
            "sip_username",
            "sip_username must be 3 to 128 characters (got 'ab')",
        ),
        (
            {"sip_username": "u" * 129},
            "sip_username",
            "sip_username must be 3 to 128 characters (got 129 characters)",
        ),
        (
            {"sip_password": "pw"},
            "sip_password",
            "sip_password must be at least 3 characters (got 2 characters)",
        ),
        (
            {"sip_address": "sip.provider.com:5060"},
            "sip_address",
            "sip_address must be a host name or IP address, with no port, scheme or path "
            "(got 'sip.provider.com:5060')",
        ),
        (
            {"sip_address": "sip:pbx.example.com"},
            "sip_address",
            "sip_address must be a host name or IP address, with no port, scheme or path "
            "(got 'sip:pbx.example.com')",
        ),
        (
            {"sip_calling_format": "E164"},
            "sip_calling_format",
            'sip_calling_format must be one of "+e164", "e164", "national" (got \'E164\')',
        ),
        (
            {"inbound_authorization_type": "password"},
            "inbound_authorization_type",
            'inbound_authorization_type must be one of "auth", "ip" (got \'password\')',
        ),
        (
            {"inbound_authorization_type": "ip"},
            "allowed_inbound_ips",
            "allowed_inbound_ips must list at least one IP address when "
            'inbound_authorization_type is "ip"',
        ),
        (
            {"inbound_authorization_type": "ip", "allowed_inbound_ips": []},
            "allowed_inbound_ips",
            "allowed_inbound_ips must list at least one IP address when "
            'inbound_authorization_type is "ip"',
        ),
        (
            {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["10.0.0.300"]},
            "allowed_inbound_ips",
            "allowed_inbound_ips[0] must be an IPv4 or IPv6 address (got '10.0.0.300')",
        ),
        (
            {"allowed_inbound_ips": ["203.0.113.10"]},
            "allowed_inbound_ips",
            'allowed_inbound_ips is only allowed when inbound_authorization_type is "ip" '
            '(with "auth" the API clears the list)',
        ),
        (
            {"country_code": "XX"},
            "country_code",
            "country_code must be an ISO 3166-1 alpha-2 country code (got 'XX')",
        ),
        (
            {"outbound_proxy": "true"},
            "outbound_proxy",
            "outbound_proxy must be true or false (got str)",
        ),
        ({"sip_username": 42.0}, "sip_username", "sip_username must be a string (got float)"),
        (
            {"adopt_id": "abc"},
            "adopt_id",
            "adopt_id must be the numeric id of an existing SIP trunk (got 'abc')",
        ),
        (
            {"color": "red"},
            "color",
            "color is not an input of SipTrunk (inputs: sip_trunk_type, phone_number, nickname, "
            "sip_username, sip_password, sip_address, sip_calling_format, "
            "inbound_authorization_type, allowed_inbound_ips, country_code, outbound_proxy, "
            "adopt_id)",
        ),
    ],
)
def test_each_rule_fails_with_a_message_naming_field_and_rule(
    changes: dict[str, Any], field: str, reason: str
) -> None:
    assert failures(**changes) == [Failure(field, reason)]


def test_a_missing_required_field_is_named() -> None:
    news = {k: v for k, v in VALID.items() if k != "sip_address"}
    assert check_inputs(news).failures == (
        Failure(
            "sip_address",
            "sip_address is required (a host name or IP address, with no port, scheme or path)",
        ),
    )


def test_the_password_value_never_appears_in_a_failure() -> None:
    for password in ("xy", 12345.0):
        for failure in failures(sip_password=password):
            assert str(password) not in failure.reason


def test_normalizes_country_case_ip_duplicates_numbers_and_empty_nickname() -> None:
    checked = check_inputs(
        {
            **VALID,
            "sip_trunk_type": "number",
            "phone_number": "+1 415 555 1234",
            "country_code": "gb",
            "nickname": "",
            "inbound_authorization_type": "ip",
            "allowed_inbound_ips": ["203.0.113.10", "2001:DB8::1", "203.0.113.10"],
            "adopt_id": 42.0,
        }
    )
    assert checked.failures == ()
    assert checked.inputs["phone_number"] == "+14155551234"
    assert checked.inputs["country_code"] == "GB"
    assert "nickname" not in checked.inputs
    assert checked.inputs["allowed_inbound_ips"] == ["203.0.113.10", "2001:db8::1"]
    assert checked.inputs["adopt_id"] == "42"


def test_unknown_values_are_kept_and_not_validated() -> None:
    unknown_type, unknown_ip = Unknown(), Unknown()
    news = {
        **VALID,
        "sip_trunk_type": unknown_type,
        "phone_number": "this is not checked against an unknown type",
        "inbound_authorization_type": "ip",
        "allowed_inbound_ips": [unknown_ip],
    }
    del news["sip_address"]
    news["sip_address"] = Unknown()
    checked = check_inputs(news)
    assert checked.failures == ()
    assert checked.inputs["sip_trunk_type"] is unknown_type
    assert checked.inputs["allowed_inbound_ips"] == [unknown_ip]


def test_an_unpaired_surrogate_is_a_failure_that_names_the_field_not_the_value() -> None:
    password = check_inputs(trunk_args(sip_password="pw-\ud800-secret"))
    ips = check_inputs(
        trunk_args(inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.1", "\udc00"])
    )

    assert password.failures == (
        Failure(
            "sip_password",
            "sip_password must be text without unpaired UTF-16 surrogates "
            "(got an unpaired surrogate)",
        ),
    )
    assert ips.failures == (
        Failure(
            "allowed_inbound_ips",
            "allowed_inbound_ips[1] must be text without unpaired UTF-16 surrogates "
            "(got an unpaired surrogate)",
        ),
    )
