"""Rule parity as properties: the provider's check() against the emulator's create validation
(``validate_create``, called in process: it is a pure function), over generated near-valid bodies.

- whatever check() passes, the API accepts as the provider would send it;
- whatever the API accepts verbatim, check() passes (apart from the provider-only rule below);
- when both refuse, every field check() names is one the API names too.

The provider-only rule: unless authorization is "ip", the API ignores allowed_inbound_ips (and
stores null) without checking it, while check() refuses the list.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
import pycountry
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pulumi_autocalls._core.fields import FIELDS, FIELDS_BY_NAME, Kind
from pulumi_autocalls._core.trunks import api_fields
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator._formats import is_e164_number
from pulumi_autocalls.emulator._validation import ValidationFailed, validate_create

PROVIDER = SipTrunkProvider()
DID_BODY: dict[str, Any] = {
    "sip_trunk_type": "number",
    "phone_number": "+14155551234",
    "sip_username": "myuser",
    "sip_password": "s3cret-pass",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}

E164_EXAMPLES = sorted(
    {
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        for region in phonenumbers.SUPPORTED_REGIONS
        if (number := phonenumbers.example_number(region)) is not None
    }
)
COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
IP_ADDRESSES = st.one_of(
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(str),
    st.ip_addresses(v=6).map(lambda address: address.exploded.upper()),
)
HOST_NAMES = st.builds(
    lambda labels, last: ".".join([*labels, last]),
    st.lists(st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True)),
    st.from_regex(r"[A-Za-z](?:[A-Za-z0-9-]{0,8}[A-Za-z0-9])?", fullmatch=True),
)


def _lengths(unit: str, *lengths: int) -> st.SearchStrategy[str]:
    return st.sampled_from([unit * length for length in lengths])


WRONG_TYPES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.sampled_from(["x", "203.0.113.10", 1]), max_size=2),
    st.dictionaries(st.sampled_from(["a", "0"]), st.sampled_from(["x", 1]), max_size=1),
)

# Values near and across the edge of each field's rules.
EDGES: dict[str, st.SearchStrategy[Any]] = {
    "sip_trunk_type": st.sampled_from(["extension", "number", "Number", "", " number"]),
    "phone_number": st.one_of(
        st.from_regex(r"\+?[0-9]{0,17}", fullmatch=True),
        st.from_regex(r"\+[1-9][0-9 ().-]{0,16}", fullmatch=True),
        st.sampled_from(E164_EXAMPLES),
        _lengths("\U0001f389", 0, 1, 15, 16),
        TEXT,
    ),
    "nickname": st.one_of(_lengths("n", 0, 49, 50, 51), _lengths("\u05d0", 50, 51), TEXT),
    "sip_username": st.one_of(_lengths("u", 2, 3, 128, 129), _lengths("\U00010348", 2, 3), TEXT),
    "sip_password": st.one_of(_lengths("p", 0, 2, 3, 5000), TEXT),
    "sip_address": st.one_of(
        HOST_NAMES,
        IP_ADDRESSES,
        st.from_regex(r"[a-z0-9.:/@\[\] -]{0,24}", fullmatch=True),
        # Dotted digits: IP addresses, malformed ones, and host names with a numeric last label.
        st.from_regex(r"[0-9]{1,3}(?:\.[0-9]{1,4}){0,4}", fullmatch=True),
        st.builds(lambda host, number: f"{host}.{number}", HOST_NAMES, st.integers(0, 999)),
        st.builds(lambda host, tail: host + tail, HOST_NAMES, st.sampled_from([":5060", "/x"])),
        TEXT,
    ),
    "sip_calling_format": st.sampled_from(["+e164", "e164", "national", "E164", "+E164", ""]),
    "inbound_authorization_type": st.sampled_from(["auth", "ip", "IP", "password", ""]),
    "allowed_inbound_ips": st.one_of(
        st.lists(
            st.one_of(
                IP_ADDRESSES,
                st.from_regex(r"[0-9a-fA-F:./%\[\] ]{0,20}", fullmatch=True),
                WRONG_TYPES,
            ),
            max_size=3,
        ),
        TEXT,
    ),
    "country_code": st.one_of(
        st.sampled_from(COUNTRY_CODES).map(str.lower),
        st.text(st.characters(max_codepoint=0x24F), max_size=3),
    ),
    "outbound_proxy": st.booleans(),
}
assert set(EDGES) == {f.name for f in FIELDS}, "give every field of the table its edge values"


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    trunk_type = draw(st.sampled_from(FIELDS_BY_NAME["sip_trunk_type"].choices))
    authorization = draw(st.sampled_from(FIELDS_BY_NAME["inbound_authorization_type"].choices))
    body: dict[str, Any] = {
        "sip_trunk_type": trunk_type,
        "phone_number": draw(st.sampled_from(E164_EXAMPLES))
        if trunk_type == "number"
        else draw(st.text(min_size=1, max_size=15)),
        "sip_username": draw(st.text(min_size=3, max_size=30)),
        "sip_password": draw(st.text(min_size=3, max_size=30)),
        "sip_address": draw(st.one_of(HOST_NAMES, IP_ADDRESSES)),
        "sip_calling_format": draw(st.sampled_from(FIELDS_BY_NAME["sip_calling_format"].choices)),
        "inbound_authorization_type": authorization,
        "country_code": draw(st.sampled_from(COUNTRY_CODES)),
    }
    if authorization == "ip":
        body["allowed_inbound_ips"] = draw(st.lists(IP_ADDRESSES, min_size=1, max_size=3))
    if draw(st.booleans()):
        body["nickname"] = draw(st.text(max_size=50))
    if draw(st.booleans()):
        body["outbound_proxy"] = draw(st.booleans())
    return body


@st.composite
def near_valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A valid body with up to three fields given an edge value, a wrong type, or left out."""
    body = draw(valid_bodies())
    names = draw(
        st.lists(st.sampled_from([f.name for f in FIELDS]), min_size=1, max_size=3, unique=True)
    )
    for name in names:
        change = draw(st.sampled_from(["edge", "edge", "edge", "wrong type", "left out"]))
        if change == "left out":
            body.pop(name, None)
        elif change == "wrong type":
            body[name] = draw(WRONG_TYPES)
        else:
            body[name] = draw(EDGES[name])
    return body


# -- the two sides -------------------------------------------------------------------------------


def api_errors(body: dict[str, Any]) -> set[str] | None:
    """The fields the API's create validation names (list items as the list), None if valid."""
    try:
        validate_create(body)
    except ValidationFailed as failed:
        assert failed.errors, "a 422 without errors"
        return {key.split(".")[0] for key in failed.errors}
    return None


def check(body: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    result = PROVIDER.check({}, body)
    return result.inputs, {failure.property for failure in result.failures or []}


def provider_only_rule(body: dict[str, Any]) -> bool:
    """A list without "ip" authorization: the API ignores it (unchecked), check() refuses it."""
    return (
        body.get("inbound_authorization_type") != "ip"
        and body.get("allowed_inbound_ips") is not None
    )


SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_agreement(body: dict[str, Any]) -> None:
    inputs, provider_fields = check(body)
    refused_verbatim = api_errors(body)
    if not provider_fields:
        sent = api_fields(inputs)
        assert api_errors(sent) is None, f"the API refuses what check() passed: {sent!r}"
    if provider_only_rule(body):
        return
    if refused_verbatim is None:
        assert provider_fields == set(), "check() refuses what the API accepts"
    elif provider_fields:
        assert provider_fields <= refused_verbatim, "check() names a field the API accepts"


@given(body=near_valid_bodies())
@example(body={"sip_trunk_type": "extension"})
@example(body={"inbound_authorization_type": "ip", "allowed_inbound_ips": ["x", 1, None]})
@example(body={"sip_address": "pbx.example.com", "allowed_inbound_ips": ""})
@SETTINGS
def test_check_and_the_api_agree(body: dict[str, Any]) -> None:
    assert_agreement(body)


@pytest.mark.parametrize("name", [f.name for f in FIELDS])
@given(data=st.data())
@settings(SETTINGS, max_examples=100)
def test_check_and_the_api_agree_on_each_field(name: str, data: st.DataObject) -> None:
    """One field at a time given its edge values, in an otherwise valid body."""
    body = data.draw(valid_bodies(), label="base")
    if name == "allowed_inbound_ips":
        body["inbound_authorization_type"] = "ip"
    body[name] = data.draw(EDGES[name], label=name)
    assert_agreement(body)


@given(body=valid_bodies())
@SETTINGS
def test_a_valid_body_passes_both_and_check_keeps_its_api_values(body: dict[str, Any]) -> None:
    inputs, provider_fields = check(body)
    assert provider_fields == set()
    assert api_errors(body) is None
    for f in FIELDS:
        if f.name in body and f.kind in (Kind.TEXT, Kind.CHOICE, Kind.HOST, Kind.BOOLEAN):
            # An empty nickname means "none", so check() leaves it out.
            expected = None if f.name == "nickname" and body[f.name] == "" else body[f.name]
            assert inputs.get(f.name) == expected, f.name


@given(number=st.from_regex(r"\+[1-9][0-9]{1,14}", fullmatch=True).filter(is_e164_number))
@example(number="+113995782226")
@SETTINGS
def test_an_e164_number_the_api_accepts_is_kept_as_written(number: str) -> None:
    body = {**DID_BODY, "phone_number": number}
    inputs, provider_fields = check(body)
    assert provider_fields == set()
    assert inputs["phone_number"] == number
