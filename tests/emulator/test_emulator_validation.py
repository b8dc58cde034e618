"""Every 422 message of the emulator, exactly (see pulumi_autocalls.emulator._validation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

CreateTrunk = Callable[..., dict[str, Any]]

TRUNKS = "/user/phone-numbers/sip-trunks"
INVALID = "The given data was invalid."
MISSING = object()

REQUIRED_ON_CREATE = {
    "sip_trunk_type": "The sip trunk type field is required.",
    "phone_number": "The phone number field is required.",
    "sip_username": "The sip username field is required.",
    "sip_password": "The sip password field is required.",
    "sip_address": "SIP server address is required.",
    "sip_calling_format": "The sip calling format field is required.",
    "inbound_authorization_type": "The inbound authorization type field is required.",
    "country_code": "The country code field is required.",
}
IPS_REQUIRED = 'At least one allowed IP address is required when authorization type is "ip".'
PHONE_LENGTH = "The phone number must be between 1 and 15 characters."
PHONE_E164 = "The phone number must be a valid E.164 number."
USERNAME_LENGTH = "The sip username must be between 3 and 128 characters."
BAD_ADDRESS = "The SIP server address must be a host name without a port."
BAD_COUNTRY = "The selected country code is invalid."
BAD_PROXY = "The outbound proxy field must be true or false."


def invalid(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"message": INVALID, "errors": errors}


def post_with(api: httpx.Client, base: dict[str, Any], **changes: Any) -> httpx.Response:
    body = {key: value for key, value in {**base, **changes}.items() if value is not MISSING}
    return api.post(TRUNKS, json=body)


@pytest.mark.parametrize("field", list(REQUIRED_ON_CREATE))
@pytest.mark.parametrize("absent", [MISSING, None, ""], ids=["missing", "null", "empty"])
def test_create_requires_field(
    api: httpx.Client, extension_request: dict[str, Any], field: str, absent: object
) -> None:
    response = post_with(api, extension_request, **{field: absent})

    assert response.status_code == 422
    assert response.json() == invalid({field: [REQUIRED_ON_CREATE[field]]})


def test_empty_create_body_reports_every_required_field(api: httpx.Client) -> None:
    response = api.post(TRUNKS, content=b"", headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json() == invalid({field: [m] for field, m in REQUIRED_ON_CREATE.items()})


BAD_TRUNK_TYPE = "The selected sip trunk type is invalid."
NICKNAME_TOO_LONG = "The nickname must not exceed 50 characters."
PASSWORD_TOO_SHORT = "The sip password must be at least 3 characters."
BAD_CALLING_FORMAT = "SIP calling format must be one of: +e164, e164, national."
BAD_AUTH_TYPE = "The selected inbound authorization type is invalid."
IPS_NOT_ARRAY = "The allowed inbound ips field must be an array."
IP_SWITCH = {"inbound_authorization_type": "ip"}


def error(field: str, message: str) -> dict[str, list[str]]:
    return {field: [message]}


def not_a_string(field: str) -> dict[str, list[str]]:
    return error(field, f"The {field.replace('_', ' ')} field must be a string.")


def bad_ip(index: int) -> dict[str, list[str]]:
    key = f"allowed_inbound_ips.{index}"
    return error(key, f"The {key} field must be a valid IP address.")


def case(changes: dict[str, Any], errors: dict[str, list[str]], name: str) -> Any:
    return pytest.param(changes, errors, id=name)


CREATE_CASES = [
    case({"sip_trunk_type": "did"}, error("sip_trunk_type", BAD_TRUNK_TYPE), "type"),
    case({"phone_number": "1" * 16}, error("phone_number", PHONE_LENGTH), "extension"),
    case({"nickname": "n" * 51}, error("nickname", NICKNAME_TOO_LONG), "nickname"),
    case({"sip_username": "ab"}, error("sip_username", USERNAME_LENGTH), "user-short"),
    case({"sip_username": "u" * 129}, error("sip_username", USERNAME_LENGTH), "user-long"),
    case({"sip_password": "ab"}, error("sip_password", PASSWORD_TOO_SHORT), "password"),
    case({"sip_address": "sip.provider.com:5060"}, error("sip_address", BAD_ADDRESS), "port"),
    case({"sip_address": "sip:sip.provider.com"}, error("sip_address", BAD_ADDRESS), "scheme"),
    case({"sip_address": "sip.provider.com/x"}, error("sip_address", BAD_ADDRESS), "path"),
    case({"sip_address": "sip provider.com"}, error("sip_address", BAD_ADDRESS), "space"),
    case({"sip_address": "me@sip.provider.com"}, error("sip_address", BAD_ADDRESS), "user"),
    case({"sip_address": "203.0.113.10:5060"}, error("sip_address", BAD_ADDRESS), "ip-port"),
    case({"sip_address": "999.1.1.1"}, error("sip_address", BAD_ADDRESS), "bad-ip"),
    case({"sip_address": "fe80::1%eth0"}, error("sip_address", BAD_ADDRESS), "zone-index"),
    case({"sip_calling_format": "E164"}, error("sip_calling_format", BAD_CALLING_FORMAT), "format"),
    case(
        {"inbound_authorization_type": "digest"},
        error("inbound_authorization_type", BAD_AUTH_TYPE),
        "auth",
    ),
    case({"country_code": "XX"}, error("country_code", BAD_COUNTRY), "country"),
    case({"country_code": "USA"}, error("country_code", BAD_COUNTRY), "alpha-3"),
    case({"outbound_proxy": "yes"}, error("outbound_proxy", BAD_PROXY), "proxy-str"),
    case({"outbound_proxy": 1}, error("outbound_proxy", BAD_PROXY), "proxy-int"),
    case({"outbound_proxy": None}, error("outbound_proxy", BAD_PROXY), "proxy-null"),
    case({"phone_number": 1000}, not_a_string("phone_number"), "phone-int"),
    case({"nickname": 5}, not_a_string("nickname"), "nickname-int"),
    case({"sip_username": ["abc"]}, not_a_string("sip_username"), "user-list"),
    case({"sip_password": 12345}, not_a_string("sip_password"), "password-int"),
    case({"sip_trunk_type": True}, not_a_string("sip_trunk_type"), "type-bool"),
    case({"country_code": 1}, not_a_string("country_code"), "country-int"),
    case(IP_SWITCH, error("allowed_inbound_ips", IPS_REQUIRED), "ip-no-list"),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": []},
        error("allowed_inbound_ips", IPS_REQUIRED),
        "ip-empty-list",
    ),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": None},
        error("allowed_inbound_ips", IPS_REQUIRED),
        "ip-null-list",
    ),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": "203.0.113.10"},
        error("allowed_inbound_ips", IPS_NOT_ARRAY),
        "ip-list-string",
    ),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": ["203.0.113.10", "203.0.113.0/24", 7, "a.example"]},
        {**bad_ip(1), **bad_ip(2), **bad_ip(3)},
        "ip-bad-entries",
    ),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": ["fe80::1%eth0", "2001:db8::1"]},
        bad_ip(0),
        "ip-zone-index",
    ),
    case(
        {"sip_username": "ab", "sip_password": "ab", "country_code": "ZZ", "nickname": "n" * 60},
        {
            **error("nickname", NICKNAME_TOO_LONG),
            **error("sip_username", USERNAME_LENGTH),
            **error("sip_password", PASSWORD_TOO_SHORT),
            **error("country_code", BAD_COUNTRY),
        },
        "all-at-once",
    ),
]


@pytest.mark.parametrize(("changes", "errors"), CREATE_CASES)
def test_create_rejects(
    api: httpx.Client,
    extension_request: dict[str, Any],
    changes: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    response = post_with(api, extension_request, **changes)

    assert response.status_code == 422
    assert response.json() == invalid(errors)
    assert api.get(TRUNKS).json() == {"data": []}


@pytest.mark.parametrize(
    "phone_number",
    ["14155551234", "+0123456789", "+1415", "+1 415 555 1234", "+1415555123456789", "+", "1000"],
)
def test_number_trunk_requires_e164(
    api: httpx.Client, did_request: dict[str, Any], phone_number: str
) -> None:
    response = post_with(api, did_request, phone_number=phone_number)

    assert response.status_code == 422
    assert response.json() == invalid({"phone_number": [PHONE_E164]})


def test_trunk_type_decides_the_phone_number_rule_on_create(
    api: httpx.Client, extension_request: dict[str, Any], did_request: dict[str, Any]
) -> None:
    assert post_with(api, extension_request, phone_number="+14155551234").status_code == 201
    assert post_with(api, did_request, phone_number="1000").json() == invalid(
        {"phone_number": [PHONE_E164]}
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"phone_number": "1"},
        {"phone_number": "123456789012345"},
        {"nickname": "n" * 50},
        {"sip_username": "abc"},
        {"sip_username": "u" * 128},
        {"sip_password": "abc"},
        {"sip_address": "pbx"},
        {"sip_address": "203.0.113.10"},
        {"sip_address": "2001:db8::1"},
        {"sip_address": "sip-1.eu.provider.example"},
        {"sip_calling_format": "national"},
        {"country_code": "de"},
        {"outbound_proxy": True},
    ],
    ids=lambda changes: f"{next(iter(changes))}={next(iter(changes.values()))!s:.20}",
)
def test_create_accepts_boundary_values(
    api: httpx.Client, extension_request: dict[str, Any], changes: dict[str, Any]
) -> None:
    response = post_with(api, extension_request, **changes)

    assert response.status_code == 201, response.text


def test_country_code_is_stored_upper_case(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    response = post_with(api, extension_request, country_code="gb")

    assert response.json()["data"]["country_code"] == "GB"


def test_empty_nickname_is_stored_as_null(
    api: httpx.Client, extension_request: dict[str, Any]
) -> None:
    response = post_with(api, extension_request, nickname="")

    assert response.json()["data"]["nickname"] is None


def test_ip_list_is_stored_as_given(api: httpx.Client, did_request: dict[str, Any]) -> None:
    addresses = ["198.51.100.20", "2001:db8::1", "203.0.113.10"]

    response = post_with(api, did_request, allowed_inbound_ips=addresses)

    assert response.json()["data"]["allowed_inbound_ips"] == addresses


@pytest.mark.parametrize("ignored_list", [["203.0.113.10"], ["not-an-ip"], "junk"])
def test_ip_list_sent_with_password_auth_is_ignored(
    api: httpx.Client, extension_request: dict[str, Any], ignored_list: object
) -> None:
    response = post_with(api, extension_request, allowed_inbound_ips=ignored_list)

    assert response.status_code == 201
    assert response.json()["data"]["allowed_inbound_ips"] is None


def test_unknown_fields_are_ignored(api: httpx.Client, extension_request: dict[str, Any]) -> None:
    response = post_with(api, extension_request, color="blue", id=999, inbound_trunk_id="ST_mine")

    assert response.status_code == 201
    data = response.json()["data"]
    assert "color" not in data
    assert data["id"] != 999
    assert data["inbound_trunk_id"] != "ST_mine"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"sip_trunk_type": "extension",', "The request body must be valid JSON."),
        (b"\xff\xfe not utf-8", "The request body must be valid JSON."),
        (b'["a", "list"]', "The request body must be a JSON object."),
        (b'"a string"', "The request body must be a JSON object."),
        (b"42", "The request body must be a JSON object."),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_malformed_body_is_a_validation_error(
    api: httpx.Client, create_trunk: CreateTrunk, method: str, content: bytes, message: str
) -> None:
    path = TRUNKS if method == "POST" else f"{TRUNKS}/{create_trunk()['id']}"

    response = api.request(
        method, path, content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json() == invalid({"body": [message]})


# Update (only the fields sent are validated).

UPDATE_CASES = [
    case({"phone_number": "1" * 16}, error("phone_number", PHONE_LENGTH), "extension"),
    case(
        {"phone_number": None},
        error("phone_number", "The phone number field is required."),
        "phone-null",
    ),
    case(
        {"sip_username": ""},
        error("sip_username", "The sip username field is required."),
        "user-empty",
    ),
    case({"sip_address": None}, error("sip_address", "SIP server address is required."), "null"),
    case({"sip_address": "sip.provider.com:5061"}, error("sip_address", BAD_ADDRESS), "port"),
    case({"sip_password": "pw"}, error("sip_password", PASSWORD_TOO_SHORT), "password"),
    case({"nickname": "n" * 51}, error("nickname", NICKNAME_TOO_LONG), "nickname"),
    case(
        {"sip_calling_format": "+E164"}, error("sip_calling_format", BAD_CALLING_FORMAT), "format"
    ),
    case(
        {"inbound_authorization_type": None},
        error("inbound_authorization_type", "The inbound authorization type field is required."),
        "auth-null",
    ),
    case(
        {"inbound_authorization_type": "both"},
        error("inbound_authorization_type", BAD_AUTH_TYPE),
        "auth-bad",
    ),
    case(
        {**IP_SWITCH, "allowed_inbound_ips": []},
        error("allowed_inbound_ips", IPS_REQUIRED),
        "ip-empty-list",
    ),
    case({**IP_SWITCH, "allowed_inbound_ips": ["10.0.0.300"]}, bad_ip(0), "ip-bad-entry"),
    case({"country_code": "EU"}, error("country_code", BAD_COUNTRY), "country"),
    case({"outbound_proxy": None}, error("outbound_proxy", BAD_PROXY), "proxy-null"),
    case(
        {"sip_username": "x", "country_code": "QQ"},
        {**error("sip_username", USERNAME_LENGTH), **error("country_code", BAD_COUNTRY)},
        "several",
    ),
]


@pytest.mark.parametrize(("changes", "errors"), UPDATE_CASES)
def test_update_rejects_and_changes_nothing(
    api: httpx.Client,
    create_trunk: CreateTrunk,
    changes: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    trunk = create_trunk()

    response = api.put(f"{TRUNKS}/{trunk['id']}", json=changes)

    assert response.status_code == 422
    assert response.json() == invalid(errors)
    assert api.get(f"{TRUNKS}/{trunk['id']}").json() == {"data": trunk}


def test_update_of_a_number_trunk_requires_e164(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    trunk = create_trunk(did_request)

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"phone_number": "1000"})

    assert response.json() == invalid({"phone_number": [PHONE_E164]})


@pytest.mark.parametrize("empty", [[], None, ""])
def test_update_of_an_ip_trunk_cannot_empty_its_list(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any], empty: object
) -> None:
    trunk = create_trunk(did_request)

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"allowed_inbound_ips": empty})

    assert response.json() == invalid({"allowed_inbound_ips": [IPS_REQUIRED]})


def test_restating_ip_auth_on_update_needs_the_list(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    trunk = create_trunk(did_request)

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"inbound_authorization_type": "ip"})

    assert response.json() == invalid({"allowed_inbound_ips": [IPS_REQUIRED]})


@pytest.mark.parametrize("nickname", [None, ""])
def test_update_clears_the_nickname(
    api: httpx.Client, create_trunk: CreateTrunk, nickname: str | None
) -> None:
    trunk = create_trunk()

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"nickname": nickname})

    assert response.status_code == 200
    assert response.json()["data"]["nickname"] is None


@pytest.mark.parametrize("trunk_type", ["number", "bogus", None])
def test_update_ignores_sip_trunk_type(
    api: httpx.Client, create_trunk: CreateTrunk, trunk_type: str | None
) -> None:
    trunk = create_trunk()

    response = api.put(
        f"{TRUNKS}/{trunk['id']}", json={"sip_trunk_type": trunk_type, "phone_number": "1002"}
    )

    assert response.status_code == 200
    assert response.json()["data"]["phone_number"] == "1002"


def test_update_ignores_unknown_fields(api: httpx.Client, create_trunk: CreateTrunk) -> None:
    trunk = create_trunk()

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"id": 12345, "color": "blue"})

    assert response.status_code == 200
    assert response.json()["data"]["id"] == trunk["id"]


# -- sizes the API documents no maximum for: the emulator's own limits ----------------------------

PASSWORD_TOO_LONG = "The sip password must not exceed 10000 characters."
TOO_MANY_IPS = "The allowed inbound ips must not have more than 100 items."


def addresses(count: int) -> list[str]:
    return [f"10.0.{index // 256}.{index % 256}" for index in range(count)]


@pytest.mark.parametrize("unit", ["p", "\U0001f389"], ids=["ascii", "astral"])
def test_a_password_of_10000_characters_is_taken_and_one_more_is_not(
    api: httpx.Client, create_trunk: CreateTrunk, extension_request: dict[str, Any], unit: str
) -> None:
    """A 30 MB password was stored (201)."""
    taken = post_with(api, extension_request, sip_password=unit * 10_000)
    refused = post_with(api, extension_request, phone_number="1001", sip_password=unit * 10_001)
    update = api.put(f"{TRUNKS}/{taken.json()['data']['id']}", json={"sip_password": unit * 10_001})

    assert taken.status_code == 201
    assert (refused.status_code, refused.json()) == (
        422,
        invalid(error("sip_password", PASSWORD_TOO_LONG)),
    )
    assert (update.status_code, update.json()) == (
        422,
        invalid(error("sip_password", PASSWORD_TOO_LONG)),
    )
    assert [trunk["phone_number"] for trunk in api.get(TRUNKS).json()["data"]] == ["1000"]


def test_100_allowed_ips_are_taken_and_101_are_not(
    api: httpx.Client, did_request: dict[str, Any]
) -> None:
    """300,000 addresses were stored (201)."""
    taken = post_with(api, did_request, allowed_inbound_ips=addresses(100))
    refused = post_with(
        api, did_request, phone_number="+14155551235", allowed_inbound_ips=addresses(101)
    )
    update = api.put(
        f"{TRUNKS}/{taken.json()['data']['id']}", json={"allowed_inbound_ips": addresses(101)}
    )

    assert taken.status_code == 201
    assert taken.json()["data"]["allowed_inbound_ips"] == addresses(100)
    expected = invalid(error("allowed_inbound_ips", TOO_MANY_IPS))
    assert (refused.status_code, refused.json()) == (422, expected)
    assert (update.status_code, update.json()) == (422, expected)


def test_a_long_list_of_bad_addresses_gets_one_message_not_one_per_entry(
    api: httpx.Client, did_request: dict[str, Any]
) -> None:
    response = post_with(api, did_request, allowed_inbound_ips=[1] * 200_000)

    assert response.status_code == 422
    assert response.json() == invalid(error("allowed_inbound_ips", TOO_MANY_IPS))
