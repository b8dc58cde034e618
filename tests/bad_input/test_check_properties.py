"""SipTrunkProvider.check over arbitrary input maps: it never raises, never reaches the network,
names a field in every failure, never shows the password, and is deterministic and idempotent.

Passwords are drawn from the (printable) Runic block, U+16A0-U+16EA, and nothing else is, so a
Runic character in a failure reason, or its escape, can only come from a password.
"""

from __future__ import annotations

import math
import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import phonenumbers
import pycountry
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pulumi.dynamic import CheckFailure, CheckResult, Config, ConfigureRequest
from pulumi.output import Unknown
from pulumi_autocalls._core.config import SETTINGS
from pulumi_autocalls._core.fields import ADOPT_ID, FIELDS, FIELDS_BY_NAME, INPUT_NAMES
from pulumi_autocalls._provider import SipTrunkProvider

REQUIRED = frozenset(field.name for field in FIELDS if field.required)
IP_LIST_REQUIRED_REASON = (
    'allowed_inbound_ips must list at least one IP address when inbound_authorization_type is "ip"'
)
SECRET_ALPHABET = "".join(chr(code) for code in range(0x16A0, 0x16EB))
SECRET_ESCAPE = re.compile(r"\\u16[a-eA-E][0-9a-fA-F]")
INPUTS_LIST = ", ".join(INPUT_NAMES)

# -- the no-network guard -------------------------------------------------------------------------

_NETWORK_CALLS: list[str] = []


def _refuse(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        _NETWORK_CALLS.append(what)
        raise AssertionError(f"check() tried to use the network: {what}")

    return refuse


@pytest.fixture(scope="module", autouse=True)
def no_network() -> Iterator[None]:
    """No API settings anywhere, and every way out of the process (httpx, sockets, DNS) fails the
    test. Calls are also recorded, so that a check() that swallowed the error is still caught."""
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env_var, raising=False)
        for owner, name in (
            (httpx.Client, "send"),
            (httpx.AsyncClient, "send"),
            (httpx.HTTPTransport, "handle_request"),
            (httpx.AsyncHTTPTransport, "handle_async_request"),
            (socket.socket, "connect"),
            (socket.socket, "connect_ex"),
        ):
            patch.setattr(owner, name, _refuse(f"{owner.__name__}.{name}"))
        patch.setattr(socket, "create_connection", _refuse("socket.create_connection"))
        patch.setattr(socket, "getaddrinfo", _refuse("socket.getaddrinfo"))
        yield
    assert _NETWORK_CALLS == []


def _configured_provider() -> SipTrunkProvider:
    """A provider configured with a key and a base URL that points at nothing (.invalid)."""
    provider = SipTrunkProvider()
    raw = {"autocalls:apiKey": "unused-key", "autocalls:baseUrl": "https://autocalls.invalid/api"}
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


PROVIDERS = {"unconfigured": SipTrunkProvider(), "configured": _configured_provider()}


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> SipTrunkProvider:
    return PROVIDERS[request.param]


def run_check(provider: SipTrunkProvider, news: dict[str, Any]) -> CheckResult:
    calls_before = len(_NETWORK_CALLS)
    result = provider.check({}, news)
    assert len(_NETWORK_CALLS) == calls_before, _NETWORK_CALLS[calls_before:]
    assert isinstance(result, CheckResult)
    return result


def failures_of(result: CheckResult) -> list[tuple[str, str]]:
    failures = result.failures or []
    assert all(isinstance(failure, CheckFailure) for failure in failures)
    return [(failure.property, failure.reason) for failure in failures]


def unknown() -> Unknown:
    """A value not known yet (preview), as the engine passes it."""
    return Unknown()  # type: ignore[no-untyped-call]


# -- strategies ----------------------------------------------------------------------------------

# Surrogate-free and without the characters reserved for passwords.
CHARACTERS = st.characters(exclude_categories=["Cs"], exclude_characters=SECRET_ALPHABET)
AWKWARD = st.sampled_from(
    [
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\ufeff",  # byte order mark
        "\u202e",  # right-to-left override
        "\u05d0\u05d1",  # Hebrew (RTL)
        "\u0627\u0644",  # Arabic (RTL)
        "\u0301",  # combining acute accent
        "\U0001f600",  # astral emoji
        "\U00010348",  # astral letter (Gothic)
        "\U0001d7d9",  # astral digit (mathematical double-struck one)
        "\x00",
        "\n",
        " ",
        "\u0661",  # Arabic-Indic digit one
        "\uff11",  # full-width digit one
    ]
)
SHORT_TEXT = st.text(CHARACTERS, max_size=30)
AWKWARD_TEXT = st.lists(st.one_of(AWKWARD, CHARACTERS), max_size=12).map("".join)
HUGE_TEXT = st.builds(
    lambda unit, count: unit * count,
    st.one_of(AWKWARD, st.text(CHARACTERS, min_size=1, max_size=3)),
    st.sampled_from([41, 1_000, 100_000]),
)
PLAUSIBLE = st.sampled_from(
    [
        "",
        "1000",
        "+14155551234",
        "+1 415 555 1234",
        "1234567890123456",
        "sip.provider.com",
        "sip.provider.com:5060",
        "203.0.113.10",
        "2001:db8::1",
        "10.0.0.300",
        "extension",
        "number",
        "auth",
        "ip",
        "+e164",
        "e164",
        "national",
        "US",
        "us",
        "XX",
        "ab",
        "abc",
        "x" * 50,
        "x" * 51,
        "x" * 128,
        "x" * 129,
        "42",
        ["203.0.113.10"],
        ["203.0.113.10", "2001:DB8::1", "203.0.113.10"],
        ["10.0.0.300"],
        [],
        True,
        False,
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    SHORT_TEXT,
    AWKWARD_TEXT,
    HUGE_TEXT,
    PLAUSIBLE,
    st.builds(unknown),
)
JUNK = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(CHARACTERS, max_size=6), children, max_size=4),
    ),
    max_leaves=12,
)

SECRET_TEXT = st.text(st.sampled_from(SECRET_ALPHABET))
PASSWORDS = st.one_of(
    SECRET_TEXT,
    SECRET_TEXT.filter(bool).map(lambda secret: secret * 20_000),
    SECRET_TEXT.map(lambda secret: [secret]),
    SECRET_TEXT.map(lambda secret: {"password": secret}),
    SECRET_TEXT.map(lambda secret: [{"nested": [secret, unknown()]}]),
)

KEYS = st.one_of(
    st.sampled_from(INPUT_NAMES),
    st.sampled_from(INPUT_NAMES),
    st.sampled_from(["__provider", "__", "__meta", "_private", "id", "urn", "SIP_USERNAME"]),
    st.text(CHARACTERS, max_size=6).map(lambda name: "__" + name),
    st.text(CHARACTERS, max_size=12),
    AWKWARD_TEXT,
)


def _with_secret_password(draw: st.DrawFn, news: dict[str, Any]) -> dict[str, Any]:
    if "sip_password" in news and not isinstance(news["sip_password"], Unknown):
        news["sip_password"] = draw(PASSWORDS)
    return news


E164_EXAMPLES = sorted(
    {
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        for region in phonenumbers.SUPPORTED_REGIONS
        if (number := phonenumbers.example_number(region)) is not None
    }
)
COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)
HOST_LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?", fullmatch=True)
HOST_NAMES = st.builds(
    lambda labels, last: ".".join([*labels, last]),
    st.lists(HOST_LABEL, max_size=3),
    # The last label has a letter: an all-digit one makes a malformed IP address, not a host.
    st.from_regex(r"[A-Za-z](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True),
)
IP_ADDRESSES = st.one_of(
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(str),
    st.ip_addresses(v=6).map(lambda address: address.exploded.upper()),
)


@st.composite
def valid_trunks(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs that satisfy every rule of the field table (and of the API)."""
    trunk_type = draw(st.sampled_from(FIELDS_BY_NAME["sip_trunk_type"].choices))
    if trunk_type == "number":
        phone = draw(st.sampled_from(E164_EXAMPLES))
    else:
        phone = draw(st.text(CHARACTERS, min_size=1, max_size=15))
    news: dict[str, Any] = {
        "sip_trunk_type": trunk_type,
        "phone_number": phone,
        "sip_username": draw(st.text(CHARACTERS, min_size=3, max_size=128)),
        "sip_password": draw(SECRET_TEXT.filter(lambda secret: len(secret) >= 3)),
        "sip_address": draw(st.one_of(HOST_NAMES, IP_ADDRESSES)),
        "sip_calling_format": draw(st.sampled_from(FIELDS_BY_NAME["sip_calling_format"].choices)),
        "inbound_authorization_type": draw(st.sampled_from(("auth", "ip"))),
        "country_code": draw(
            st.sampled_from(COUNTRY_CODES).flatmap(
                lambda code: st.sampled_from([code, code.lower(), code.title()])
            )
        ),
    }
    if news["inbound_authorization_type"] == "ip":
        news["allowed_inbound_ips"] = draw(st.lists(IP_ADDRESSES, min_size=1, max_size=4))
    optional = {
        "nickname": st.text(CHARACTERS, max_size=50),
        "outbound_proxy": st.booleans(),
        ADOPT_ID: st.one_of(st.integers(1, 10**18), st.integers(1, 10**18).map(str)),
        "__provider": SHORT_TEXT,
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            news[name] = draw(strategy)
    return news


@st.composite
def any_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Arbitrary input maps: pure junk, or a valid trunk with fields broken, dropped or added."""
    if draw(st.booleans()):
        news = draw(st.dictionaries(KEYS, JUNK, max_size=14))
    else:
        news = draw(valid_trunks())
        for name in draw(st.lists(st.sampled_from(sorted(news)), max_size=3, unique=True)):
            del news[name]
        news.update(draw(st.dictionaries(KEYS, JUNK, max_size=4)))
    return _with_secret_password(draw, news)


# -- properties ----------------------------------------------------------------------------------


def _shows_a_password(text: str) -> bool:
    return any(char in SECRET_ALPHABET for char in text) or bool(SECRET_ESCAPE.search(text))


def _same(left: Any, right: Any) -> bool:
    """Equality that also holds for the same NaN in both."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left is right or left == right)


PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@given(news=any_inputs())
@example(news={})
@example(news={"": None, "__": unknown(), "sip_password": "\u16a0"})
@example(news={"sip_password": "\u16a0\u16a1", "sip_username": "ab"})
@example(news={"inbound_authorization_type": "ip", "allowed_inbound_ips": [unknown(), "x"]})
@example(news={"phone_number": "\U0001f600" * 100_000, "nickname": [[{"a": [unknown()]}]]})
@example(news={ADOPT_ID: float("nan"), "outbound_proxy": float("inf"), "country_code": 1e308})
@PROPERTY_SETTINGS
def test_check_never_raises_and_names_a_field_in_every_failure(news: dict[str, Any]) -> None:
    for provider in PROVIDERS.values():
        result = run_check(provider, news)
        failures = failures_of(result)
        ip_list_required = news.get("inbound_authorization_type") == "ip"
        for field, reason in failures:
            assert isinstance(reason, str)
            assert reason.strip(), (field, reason)
            assert field in reason, (field, reason)
            assert not _shows_a_password(reason), f"a password leaked into {reason!r}"
            if field in news and field not in INPUT_NAMES:
                assert reason == f"{field} is not an input of SipTrunk (inputs: {INPUTS_LIST})"
            elif news.get(field) is None:
                # Not given: only a requirement can name it.
                if field == "allowed_inbound_ips" and ip_list_required:
                    assert reason == IP_LIST_REQUIRED_REASON
                else:
                    assert field in REQUIRED, (field, reason)
                    assert reason == f"{field} is required ({FIELDS_BY_NAME[field].rule})"
        assert len(failures) == len(set(failures)), f"a repeated failure: {failures}"
        # One failure per field, apart from one per broken list item ("field[n] must be ...").
        fields = [field for field, reason in failures if not reason.startswith(f"{field}[")]
        assert len(fields) == len(set(fields)), f"more than one failure for a field: {failures}"
        fields = [field for field, _ in failures]
        for name in REQUIRED:
            if name not in news or news[name] is None:
                assert name in fields

        inputs = result.inputs
        assert isinstance(inputs, dict)
        passthrough = {key for key in news if key.startswith("__")}
        assert set(inputs) <= set(INPUT_NAMES) | passthrough
        for key in passthrough:
            assert inputs[key] is news[key]
        for key in set(news) & set(INPUT_NAMES):
            if isinstance(news[key], Unknown):
                assert inputs[key] is news[key]


@given(news=any_inputs())
@PROPERTY_SETTINGS
def test_check_is_deterministic(news: dict[str, Any]) -> None:
    first = run_check(PROVIDERS["unconfigured"], news)
    second = run_check(PROVIDERS["configured"], news)
    third = run_check(PROVIDERS["unconfigured"], news)
    assert failures_of(first) == failures_of(second) == failures_of(third)
    assert first.inputs.keys() == second.inputs.keys() == third.inputs.keys()
    for key in first.inputs:
        assert _same(first.inputs[key], second.inputs[key])
        assert _same(first.inputs[key], third.inputs[key])


@given(news=valid_trunks())
@PROPERTY_SETTINGS
def test_valid_inputs_pass_and_their_checked_inputs_are_a_fixed_point(
    news: dict[str, Any],
) -> None:
    for provider in PROVIDERS.values():
        checked = run_check(provider, news)
        assert failures_of(checked) == []
        again = run_check(provider, dict(checked.inputs))
        assert failures_of(again) == []
        assert again.inputs == checked.inputs


def test_check_does_not_mutate_its_input(provider: SipTrunkProvider) -> None:
    news: dict[str, Any] = {
        "sip_trunk_type": "number",
        "phone_number": "+1 415 555 1234",
        "sip_username": "myuser",
        "sip_password": "s3cret-pass",
        "sip_address": "sip.provider.com",
        "sip_calling_format": "+e164",
        "inbound_authorization_type": "ip",
        "allowed_inbound_ips": ["203.0.113.10", "203.0.113.10"],
        "country_code": "us",
        "nickname": "",
    }
    before = {
        key: (list(value) if isinstance(value, list) else value) for key, value in news.items()
    }
    result = run_check(provider, news)
    assert failures_of(result) == []
    assert news == before


def test_the_guard_catches_a_request() -> None:
    """The guard works: an HTTP request made while it is on fails and is recorded."""
    calls_before = len(_NETWORK_CALLS)
    with pytest.raises(AssertionError, match="tried to use the network"):
        httpx.get("http://127.0.0.1:9/")
    assert _NETWORK_CALLS[calls_before:] == ["Client.send"]
    del _NETWORK_CALLS[calls_before:]
