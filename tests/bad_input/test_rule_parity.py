"""Rule parity: the provider's check() and the emulated API enforce the same rules.

Every case is checked on both sides: the provider's check() on the inputs, and a
``POST /user/phone-numbers/sip-trunks`` of the same body to the emulator. A broken rule must fail
on exactly one field with its exact message on the provider side, and be a 422 naming that field
(``allowed_inbound_ips.<n>`` for a list item) with the emulator's exact message. A value just
inside a bound must be accepted by both, and the body the provider would send must be stored as
the provider normalized it (or every later refresh would show a difference).

Cases come from the field table where the table states the rule (required, lengths, choices,
kinds), so a new field is covered without editing this file; the cross-field rules of the API
document are written out by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pulumi_autocalls._core.fields import FIELDS, Field, Kind
from pulumi_autocalls._core.trunks import api_fields
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator import EmulatorProcess
from pulumi_autocalls.emulator._validation import (
    ALLOWED_IPS_NOT_ARRAY,
    ALLOWED_IPS_REQUIRED,
    INVALID_AUTHORIZATION_TYPE,
    INVALID_CALLING_FORMAT,
    INVALID_COUNTRY_CODE,
    INVALID_DATA_MESSAGE,
    INVALID_TRUNK_TYPE,
    NICKNAME_TOO_LONG,
    OUTBOUND_PROXY_NOT_BOOLEAN,
    PHONE_NUMBER_E164,
    PHONE_NUMBER_LENGTH,
    SIP_ADDRESS_INVALID,
    SIP_PASSWORD_TOO_SHORT,
    SIP_USERNAME_LENGTH,
    invalid_ip_message,
    not_a_string_message,
    required_message,
)
from trunk_samples import trunk_args

TRUNKS_PATH = "/user/phone-numbers/sip-trunks"
PROVIDER = SipTrunkProvider()

VALID: dict[str, Any] = trunk_args(nickname=None)
DID = {"sip_trunk_type": "number", "phone_number": "+14155551234"}
IP_AUTH = {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]}
IP_LIST_REQUIRED = (
    'allowed_inbound_ips must list at least one IP address when inbound_authorization_type is "ip"'
)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""A change that leaves the field out of the body."""

# The emulator's message for a broken rule of a field, where the message names the field's rule.
API_RULE_MESSAGES: dict[str, str] = {
    "sip_trunk_type": INVALID_TRUNK_TYPE,
    "nickname": NICKNAME_TOO_LONG,
    "sip_username": SIP_USERNAME_LENGTH,
    "sip_password": SIP_PASSWORD_TOO_SHORT,
    "sip_address": SIP_ADDRESS_INVALID,
    "sip_calling_format": INVALID_CALLING_FORMAT,
    "inbound_authorization_type": INVALID_AUTHORIZATION_TYPE,
    "country_code": INVALID_COUNTRY_CODE,
    "outbound_proxy": OUTBOUND_PROXY_NOT_BOOLEAN,
}
STRING_KINDS = (Kind.TEXT, Kind.CHOICE, Kind.PHONE_NUMBER, Kind.HOST, Kind.COUNTRY)
NON_STRINGS: tuple[Any, ...] = (42, 4.2, True, ["x"], {"k": "v"})
NON_BOOLEANS: tuple[Any, ...] = ("true", "false", 1, 0, [])


def body_with(changes: dict[str, Any]) -> dict[str, Any]:
    """VALID with `changes`, plus what a changed type or authorization needs to stay valid."""
    body = dict(VALID)
    if changes.get("sip_trunk_type") == "number":
        body.update(DID)
    if changes.get("inbound_authorization_type") == "ip":
        body.update(IP_AUTH)
    body.update(changes)
    return {key: value for key, value in body.items() if value is not MISSING}


# Each rule in words, written out here rather than read from the field table, so that the
# provider's messages are checked against the documented rules, not against themselves.
DOCUMENTED_RULES = {
    "sip_trunk_type": 'one of "extension", "number"',
    "nickname": "at most 50 characters",
    "sip_username": "3 to 128 characters",
    "sip_password": "at least 3 characters",
    "sip_address": "a host name or IP address, with no port, scheme or path",
    "sip_calling_format": 'one of "+e164", "e164", "national"',
    "inbound_authorization_type": 'one of "auth", "ip"',
    "country_code": "an ISO 3166-1 alpha-2 country code",
}
SECRET = {"sip_password"}


def shown(name: str, value: str) -> str:
    """How a failure shows a rejected text value (documented): the password and values longer
    than 40 characters by their length, anything else as written."""
    return f"{len(value)} characters" if name in SECRET or len(value) > 40 else repr(value)


def rule_reason(name: str, value: str) -> str:
    return f"{name} must be {DOCUMENTED_RULES[name]} (got {shown(name, value)})"


def api_rule_message(name: str) -> str:
    if name not in API_RULE_MESSAGES:
        pytest.fail(f"add the emulator's message for a broken {name} rule to API_RULE_MESSAGES")
    return API_RULE_MESSAGES[name]


@dataclass(frozen=True)
class Rejected:
    """A body that breaks one rule: the provider's one failure and the API's 422 errors."""

    name: str
    changes: dict[str, Any]
    field: str
    reason: str
    api_errors: dict[str, list[str]] | Callable[[], dict[str, list[str]]]

    def errors(self) -> dict[str, list[str]]:
        return self.api_errors() if callable(self.api_errors) else self.api_errors


@dataclass(frozen=True)
class Accepted:
    """A body that both sides accept (values on the edge of a rule)."""

    name: str
    changes: dict[str, Any] = field(default_factory=dict)


def _rule_error(name: str) -> Callable[[], dict[str, list[str]]]:
    return lambda: {name: [api_rule_message(name)]}


# -- cases from the field table --------------------------------------------------------------------


def required_cases() -> list[Rejected]:
    cases = []
    for f in FIELDS:
        if not f.required:
            continue
        reason = f"{f.name} is required ({f.rule})"
        errors = {f.name: [required_message(f.name)]}
        cases.append(Rejected(f"{f.name} missing", {f.name: MISSING}, f.name, reason, errors))
        cases.append(Rejected(f"{f.name} null", {f.name: None}, f.name, reason, errors))
    return cases


def _lengths(f: Field) -> list[tuple[str, int, bool]]:
    """(bound, length, accepted) for each length just outside and just inside the field's bounds."""
    edges = []
    if f.min_length is not None:
        if f.min_length > 1:
            edges.append(("min", f.min_length - 1, False))
        edges.append(("min", f.min_length, True))
    if f.max_length is not None:
        edges.append(("max", f.max_length, True))
        edges.append(("max", f.max_length + 1, False))
    return edges


# "x" counts one character, so does an astral emoji (two UTF-16 units, four UTF-8 bytes).
UNITS = {"ascii": "x", "astral": "\U0001f389"}


def length_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected, accepted = [], []
    for f in FIELDS:
        if f.kind is not Kind.TEXT:
            continue
        for bound, length, ok in _lengths(f):
            for unit_name, unit in UNITS.items():
                value = unit * length
                name = f"{f.name} {length} {unit_name} characters ({bound} {'in' if ok else 'out'})"
                if ok:
                    accepted.append(Accepted(name, {f.name: value}))
                else:
                    reason = rule_reason(f.name, value)
                    rejected.append(
                        Rejected(name, {f.name: value}, f.name, reason, _rule_error(f.name))
                    )
    return rejected, accepted


def choice_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected, accepted = [], []
    for f in FIELDS:
        if f.kind is not Kind.CHOICE:
            continue
        wrong = {"invalid", ""}
        for choice in f.choices:
            accepted.append(Accepted(f"{f.name} {choice!r}", {f.name: choice}))
            wrong |= {choice.upper(), f" {choice}", f"{choice}\u200b"} - set(f.choices)
        for value in sorted(wrong):
            errors = {f.name: [required_message(f.name)]} if value == "" else _rule_error(f.name)
            reason = rule_reason(f.name, value)
            rejected.append(
                Rejected(f"{f.name} {value!r}", {f.name: value}, f.name, reason, errors)
            )
    return rejected, accepted


def type_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected, accepted = [], []
    for f in FIELDS:
        if f.kind in STRING_KINDS:
            for value in NON_STRINGS:
                got = type(value).__name__
                rejected.append(
                    Rejected(
                        f"{f.name} {value!r}",
                        {f.name: value},
                        f.name,
                        f"{f.name} must be a string (got {got})",
                        {f.name: [not_a_string_message(f.name)]},
                    )
                )
        elif f.kind is Kind.BOOLEAN:
            for value in NON_BOOLEANS:
                got = type(value).__name__
                rejected.append(
                    Rejected(
                        f"{f.name} {value!r}",
                        {f.name: value},
                        f.name,
                        f"{f.name} must be true or false (got {got})",
                        _rule_error(f.name),
                    )
                )
            accepted += [Accepted(f"{f.name} {value}", {f.name: value}) for value in (True, False)]
    return rejected, accepted


# -- cases from the API document, per kind and across fields -----------------------------------


def _phone_reason(value: str, trunk_type: str) -> str:
    if not value:
        return f"phone_number must be 1 to 15 characters, or an E.164 number (got {value!r})"
    if trunk_type == "number":
        return (
            'phone_number must be an E.164 number like +14155551234 for a "number" trunk '
            f"(got {value!r})"
        )
    return f'phone_number must be 1 to 15 characters for an "extension" trunk (got {value!r})'


def phone_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected: list[Rejected] = []
    extension = {"": required_message("phone_number")}
    for value in ("", "1" * 16, "1" * 17, "\U0001f389" * 16):
        message = extension.get(value, PHONE_NUMBER_LENGTH)
        rejected.append(
            Rejected(
                f"extension phone_number {value!r}",
                {"phone_number": value},
                "phone_number",
                _phone_reason(value, "extension"),
                {"phone_number": [message]},
            )
        )
    for value in (
        "1000",
        "14155551234",
        "+0123456789",
        "+1",
        "+",
        "+999123456",
        "+1415555123",
        "+1415555123#4",
        "+12345678901234567",
    ):
        rejected.append(
            Rejected(
                f"number phone_number {value!r}",
                {**DID, "phone_number": value},
                "phone_number",
                _phone_reason(value, "number"),
                {"phone_number": [PHONE_NUMBER_E164]},
            )
        )
    accepted = [
        Accepted(f"extension phone_number {value!r}", {"phone_number": value})
        for value in ("1", "1" * 15, "\U0001f389" * 15, "ext-1000")
    ] + [
        Accepted(f"number phone_number {value!r}", {**DID, "phone_number": value})
        for value in ("+14155551234", "+442071838750", "+4930123456", "+491111111111111")
    ]
    return rejected, accepted


BAD_HOSTS = (
    "sip.provider.com:5060",
    "sip:pbx.example.com",
    "sips:pbx.example.com",
    "https://sip.provider.com",
    "sip.provider.com/path",
    "user@sip.provider.com",
    "sip provider.com",
    "sip.provider.com.",
    ".sip.provider.com",
    "-sip.provider.com",
    "sip-.provider.com",
    "sip..provider.com",
    "s\u00efp.provider.com",
    "sip.provider.com\u200b",
    "a" * 64 + ".com",
    ".".join(["a" * 63] * 4) + ".com",
    "[2001:db8::1]",
    "[2001:db8::1]:5060",
    "203.0.113.10:5060",
    "203.0.113.0/24",
    "",
)


def host_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected = []
    for value in BAD_HOSTS:
        message = SIP_ADDRESS_INVALID if value else required_message("sip_address")
        rejected.append(
            Rejected(
                f"sip_address {value!r}",
                {"sip_address": value},
                "sip_address",
                rule_reason("sip_address", value),
                {"sip_address": [message]},
            )
        )
    accepted = [
        Accepted(f"sip_address {value!r}", {"sip_address": value})
        for value in (
            "sip.provider.com",
            "SIP.Provider.COM",
            "localhost",
            "sip-1.provider.com",
            "xn--bcher-kva.example",
            "a" * 63 + ".com",
            "203.0.113.10",
            "2001:db8::1",
            "::ffff:203.0.113.10",
        )
    ]
    return rejected, accepted


def ip_list_cases() -> tuple[list[Rejected], list[Accepted]]:
    ip = {"inbound_authorization_type": "ip"}
    rejected = []
    no_list: tuple[Any, ...] = (MISSING, None, [], "")
    for value in no_list:
        rejected.append(
            Rejected(
                f"ip authorization with allowed_inbound_ips {value!r}",
                {**ip, "allowed_inbound_ips": value},
                "allowed_inbound_ips",
                # The API takes "" for "no list"; to the provider it is a string, not a list.
                "allowed_inbound_ips must be a list of strings (got str)"
                if value == ""
                else IP_LIST_REQUIRED,
                {"allowed_inbound_ips": [ALLOWED_IPS_REQUIRED]},
            )
        )
    for value in ("203.0.113.10", {"0": "203.0.113.10"}, 42):
        rejected.append(
            Rejected(
                f"allowed_inbound_ips {value!r}",
                {**ip, "allowed_inbound_ips": value},
                "allowed_inbound_ips",
                f"allowed_inbound_ips must be a list of strings (got {type(value).__name__})",
                {"allowed_inbound_ips": [ALLOWED_IPS_NOT_ARRAY]},
            )
        )
    bad_items: list[tuple[list[Any], int, str]] = [
        (["10.0.0.300"], 0, "address"),
        (["10.0.0.0/24"], 0, "address"),
        (["203.0.113.10:5060"], 0, "address"),
        (["[2001:db8::1]"], 0, "address"),
        ([""], 0, "address"),
        ([" 203.0.113.10"], 0, "address"),
        (["sip.provider.com"], 0, "address"),
        (["203.0.113.10", "2001:db8::zz"], 1, "address"),
        ([42], 0, "string"),
        ([None], 0, "string"),
        ([["203.0.113.10"]], 0, "string"),
    ]
    for items, index, broken in bad_items:
        item = items[index]
        if broken == "address":
            reason = f"allowed_inbound_ips[{index}] must be an IPv4 or IPv6 address (got {item!r})"
        else:
            reason = f"allowed_inbound_ips[{index}] must be a string (got {type(item).__name__})"
        key = f"allowed_inbound_ips.{index}"
        rejected.append(
            Rejected(
                f"allowed_inbound_ips {items!r}",
                {**ip, "allowed_inbound_ips": items},
                "allowed_inbound_ips",
                reason,
                {key: [invalid_ip_message(key)]},
            )
        )
    accepted = [
        Accepted(f"allowed_inbound_ips {items!r}", {**ip, "allowed_inbound_ips": items})
        for items in (
            ["203.0.113.10"],
            ["2001:db8::1"],
            ["2001:DB8::1"],
            ["203.0.113.10", "198.51.100.20"],
            ["::ffff:203.0.113.10"],
        )
    ]
    return rejected, accepted


def country_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected = []
    for value in ("XX", "USA", "U", "1A", "U5", " US", "U S", "\u00daS", ""):
        message = INVALID_COUNTRY_CODE if value else required_message("country_code")
        rejected.append(
            Rejected(
                f"country_code {value!r}",
                {"country_code": value},
                "country_code",
                rule_reason("country_code", value),
                {"country_code": [message]},
            )
        )
    accepted = [
        Accepted(f"country_code {value!r}", {"country_code": value})
        for value in ("US", "us", "gB", "DE")
    ]
    return rejected, accepted


def other_accepted() -> list[Accepted]:
    return [
        Accepted("the valid body"),
        Accepted("a DID trunk", dict(DID)),
        Accepted("nickname empty", {"nickname": ""}),
        Accepted("nickname null", {"nickname": None}),
        Accepted("outbound_proxy left out", {"outbound_proxy": MISSING}),
        Accepted("sip_password of 10000 characters", {"sip_password": "p" * 10_000}),
    ]


def all_cases() -> tuple[list[Rejected], list[Accepted]]:
    rejected: list[Rejected] = required_cases()
    accepted: list[Accepted] = other_accepted()
    for build in (
        length_cases,
        choice_cases,
        type_cases,
        phone_cases,
        host_cases,
        ip_list_cases,
        country_cases,
    ):
        more_rejected, more_accepted = build()
        rejected += more_rejected
        accepted += more_accepted
    return rejected, accepted


REJECTED, ACCEPTED = all_cases()


# -- helpers -------------------------------------------------------------------------------------


def provider_failures(body: dict[str, Any]) -> list[tuple[str, str]]:
    result = PROVIDER.check({}, body)
    return [(failure.property, failure.reason) for failure in result.failures or []]


def post(api: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return api.post(TRUNKS_PATH, json=body)


def stored_like_checked(data: dict[str, Any], inputs: dict[str, Any]) -> None:
    """The API's record shows every returned field as the provider's checked inputs hold it."""
    for f in FIELDS:
        if not f.write_only:
            assert data[f.name] == inputs.get(f.name), f.name


# -- the tests -----------------------------------------------------------------------------------


def test_the_table_driven_cases_cover_every_field() -> None:
    covered = {case.field for case in REJECTED}
    assert covered == {f.name for f in FIELDS}


@pytest.mark.parametrize("case", REJECTED, ids=[case.name for case in REJECTED])
def test_a_broken_rule_fails_on_both_sides_on_that_field(
    case: Rejected, emulator_api: httpx.Client
) -> None:
    body = body_with(case.changes)
    assert provider_failures(body) == [(case.field, case.reason)]
    response = post(emulator_api, body)
    assert response.status_code == 422, response.text
    assert response.json() == {"message": INVALID_DATA_MESSAGE, "errors": case.errors()}


@pytest.mark.parametrize("case", ACCEPTED, ids=[case.name for case in ACCEPTED])
def test_a_value_inside_the_rules_is_accepted_by_both_and_stored_as_checked(
    case: Accepted, emulator_api: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    body = body_with(case.changes)
    checked = PROVIDER.check({}, body)
    assert provider_failures(body) == []
    response = post(emulator_api, body)
    assert response.status_code == 201, response.text

    clean_emulator.reset()
    response = post(emulator_api, api_fields(checked.inputs))
    assert response.status_code == 201, response.text
    stored_like_checked(response.json()["data"], checked.inputs)


# -- where the provider deliberately differs from the API ---------------------------------------


@pytest.mark.parametrize(
    ("changes", "normalized"),
    [
        ({**DID, "phone_number": "+1 415 555 1234"}, {"phone_number": "+14155551234"}),
        ({**DID, "phone_number": "+1-415-555-1234"}, {"phone_number": "+14155551234"}),
        ({**DID, "phone_number": "+44 20 7183 8750"}, {"phone_number": "+442071838750"}),
        ({"outbound_proxy": None}, {"outbound_proxy": False}),
    ],
    ids=["spaces", "punctuation", "uk-spaces", "outbound_proxy-null"],
)
def test_the_provider_normalizes_what_the_api_would_refuse_verbatim(
    changes: dict[str, Any],
    normalized: dict[str, Any],
    emulator_api: httpx.Client,
) -> None:
    body = body_with(changes)
    checked = PROVIDER.check({}, body)
    assert provider_failures(body) == []
    assert {name: checked.inputs[name] for name in normalized} == normalized

    refused = post(emulator_api, body)
    assert refused.status_code == 422, refused.text
    assert set(refused.json()["errors"]) == set(normalized)

    response = post(emulator_api, api_fields(checked.inputs))
    assert response.status_code == 201, response.text
    stored_like_checked(response.json()["data"], checked.inputs)


def test_an_ip_list_with_auth_authorization_is_refused_by_the_provider_and_dropped_by_the_api(
    emulator_api: httpx.Client,
) -> None:
    """The API ignores the list (and stores null), so the program would differ from the trunk
    forever: the provider refuses it instead."""
    body = body_with({"allowed_inbound_ips": ["203.0.113.10"]})
    assert provider_failures(body) == [
        (
            "allowed_inbound_ips",
            'allowed_inbound_ips is only allowed when inbound_authorization_type is "ip" '
            '(with "auth" the API clears the list)',
        )
    ]
    response = post(emulator_api, body)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["allowed_inbound_ips"] is None


def test_an_unknown_input_is_refused_by_the_provider_and_ignored_by_the_api(
    emulator_api: httpx.Client,
) -> None:
    body = body_with({"colour": "red"})
    assert [field for field, _ in provider_failures(body)] == ["colour"]
    response = post(emulator_api, body)
    assert response.status_code == 201, response.text
    assert "colour" not in response.json()["data"]


# -- once mismatches, now agreed: each was accepted by check() and refused by the API ------------


@pytest.mark.parametrize(
    "case",
    [
        *(
            pytest.param(
                Rejected(
                    f"sip_address {value!r}",
                    {"sip_address": value},
                    "sip_address",
                    rule_reason("sip_address", value),
                    {"sip_address": [SIP_ADDRESS_INVALID]},
                ),
                id=f"sip_address {value!r}",
            )
            for value in ("10.0.0.300", "999.0.0.1", "1.2.3", "sip.provider.123")
        ),
        *(
            pytest.param(
                Rejected(
                    f"country_code {value!r}",
                    {"country_code": value},
                    "country_code",
                    rule_reason("country_code", value),
                    {"country_code": [INVALID_COUNTRY_CODE]},
                ),
                id=f"country_code {value!r}",
            )
            for value in ("\u00df", "\u0131t", "\u017fe")
        ),
        *(
            pytest.param(
                Rejected(
                    f"number phone_number {value!r}",
                    {**DID, "phone_number": value},
                    "phone_number",
                    _phone_reason(value, "number"),
                    {"phone_number": [PHONE_NUMBER_E164]},
                ),
                id=f"number phone_number {value!r}",
            )
            for value in ("+14155551234x5", "+14155551234;5")
        ),
    ],
)
def test_formerly_mismatched_inputs_are_refused_by_both(
    case: Rejected, emulator_api: httpx.Client
) -> None:
    body = body_with(case.changes)
    response = post(emulator_api, body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == case.errors()
    assert provider_failures(body) == [(case.field, case.reason)]


@pytest.mark.parametrize(
    "number", ["+113995782226", "+861157763952453", "+67226730", "+4402071838750"]
)
def test_an_e164_number_libphonenumber_would_rewrite_is_kept_as_written(
    number: str, emulator_api: httpx.Client
) -> None:
    body = body_with({**DID, "phone_number": number})
    response = post(emulator_api, body)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["phone_number"] == number
    checked = PROVIDER.check({}, body)
    assert provider_failures(body) == []
    assert checked.inputs["phone_number"] == number
