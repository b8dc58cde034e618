"""The re-provisioning table (docs/api-contract.md): which voice trunk ids renew."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

CreateTrunk = Callable[..., dict[str, Any]]
TRUNKS = "/user/phone-numbers/sip-trunks"
INBOUND = "inbound_trunk_id"
OUTBOUND = "outbound_trunk_id"

# Starting from the documented DID/ip trunk: (field, new value, voice trunks re-created).
TABLE = [
    ("sip_username", "other_user", {INBOUND, OUTBOUND}),
    ("sip_password", "a-new-secret", {INBOUND, OUTBOUND}),
    ("phone_number", "+14155559876", {INBOUND, OUTBOUND}),
    ("sip_address", "sip2.provider.com", {OUTBOUND}),
    ("outbound_proxy", False, {OUTBOUND}),
    ("inbound_authorization_type", "auth", {INBOUND}),
    ("allowed_inbound_ips", ["192.0.2.1"], {INBOUND}),
    ("sip_calling_format", "national", set()),
    ("country_code", "GB", set()),
    ("nickname", "Renamed", set()),
]


def update(api: httpx.Client, trunk_id: int, body: dict[str, Any]) -> dict[str, Any]:
    response = api.put(f"{TRUNKS}/{trunk_id}", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def renewed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in (INBOUND, OUTBOUND) if before[key] != after[key]}


@pytest.mark.parametrize(("field", "new_value", "recreated"), TABLE)
def test_a_changed_field_recreates_the_voice_trunks_of_its_row(
    api: httpx.Client,
    create_trunk: CreateTrunk,
    did_request: dict[str, Any],
    field: str,
    new_value: Any,
    recreated: set[str],
) -> None:
    before = create_trunk(did_request)

    after = update(api, before["id"], {field: new_value})

    assert renewed(before, after) == recreated
    if field != "sip_password":
        assert after[field] == new_value
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]
    assert api.get(f"{TRUNKS}/{before['id']}").json() == {"data": after}


def test_switch_to_ip_recreates_only_the_inbound_trunk(
    api: httpx.Client, create_trunk: CreateTrunk
) -> None:
    before = create_trunk()

    after = update(
        api,
        before["id"],
        {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]},
    )

    assert renewed(before, after) == {INBOUND}


def test_switch_to_auth_nulls_the_ip_list(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    before = create_trunk(did_request)

    after = update(
        api,
        before["id"],
        {"inbound_authorization_type": "auth", "allowed_inbound_ips": ["192.0.2.1"]},
    )

    assert after["inbound_authorization_type"] == "auth"
    assert after["allowed_inbound_ips"] is None


def test_ip_list_sent_to_a_password_auth_trunk_is_ignored(
    api: httpx.Client, create_trunk: CreateTrunk
) -> None:
    before = create_trunk()

    after = update(api, before["id"], {"allowed_inbound_ips": ["192.0.2.1"]})

    assert after["allowed_inbound_ips"] is None
    assert renewed(before, after) == set()


def test_a_new_ip_list_replaces_the_whole_list(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    before = create_trunk(did_request)

    after = update(api, before["id"], {"allowed_inbound_ips": ["203.0.113.10", "192.0.2.1"]})

    assert after["allowed_inbound_ips"] == ["203.0.113.10", "192.0.2.1"]
    assert renewed(before, after) == {INBOUND}


def test_ip_list_is_compared_as_a_set(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    before = create_trunk(did_request)
    reordered = list(reversed(did_request["allowed_inbound_ips"]))

    after = update(api, before["id"], {"allowed_inbound_ips": reordered})

    assert renewed(before, after) == set()
    assert after["allowed_inbound_ips"] == before["allowed_inbound_ips"]


@pytest.mark.parametrize("field", [row[0] for row in TABLE])
def test_a_field_sent_with_its_current_value_recreates_nothing(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any], field: str
) -> None:
    stored = {**did_request, "nickname": "Same"}
    before = create_trunk(stored)
    body = {field: stored[field]}
    if field == "inbound_authorization_type":
        body["allowed_inbound_ips"] = stored["allowed_inbound_ips"]  # "ip" needs its list

    after = update(api, before["id"], body)

    assert renewed(before, after) == set()
    assert {**after, "updated_at": None} == {**before, "updated_at": None}
    assert after["updated_at"] > before["updated_at"]


def test_country_code_in_another_case_is_the_same_value(
    api: httpx.Client, create_trunk: CreateTrunk
) -> None:
    before = create_trunk()

    after = update(api, before["id"], {"country_code": "us"})

    assert after["country_code"] == "US"
    assert renewed(before, after) == set()


def test_changes_from_several_rows_combine(
    api: httpx.Client, create_trunk: CreateTrunk, did_request: dict[str, Any]
) -> None:
    before = create_trunk(did_request)

    after = update(
        api, before["id"], {"sip_address": "sip2.provider.com", "allowed_inbound_ips": ["::1"]}
    )

    assert renewed(before, after) == {INBOUND, OUTBOUND}


def test_an_empty_update_recreates_nothing_but_moves_updated_at(
    api: httpx.Client, create_trunk: CreateTrunk
) -> None:
    trunk = create_trunk()
    stamps = [trunk["updated_at"]]

    for _ in range(5):
        after = update(api, trunk["id"], {})
        assert renewed(trunk, after) == set()
        assert {**after, "updated_at": None} == {**trunk, "updated_at": None}
        stamps.append(after["updated_at"])

    assert stamps == sorted(set(stamps))


def test_a_rejected_update_recreates_nothing(api: httpx.Client, create_trunk: CreateTrunk) -> None:
    trunk = create_trunk()

    response = api.put(f"{TRUNKS}/{trunk['id']}", json={"sip_username": "new", "country_code": "Q"})

    assert response.status_code == 422
    assert api.get(f"{TRUNKS}/{trunk['id']}").json() == {"data": trunk}
