"""Each endpoint against the real server: the exact request it sends and the typed result."""

from __future__ import annotations

import re
from typing import Any

from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.models import AccountInfo, SipTrunkRecord, SipTrunkSummary
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import TRUNKS_PATH as TRUNKS

EXTENSION_TRUNK: dict[str, Any] = {
    "sip_trunk_type": "extension",
    "phone_number": "1000",
    "nickname": "Provider X — Main",
    "sip_username": "myuser",
    "sip_password": "s3cret-pw",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}
DID_TRUNK: dict[str, Any] = {
    "sip_trunk_type": "number",
    "phone_number": "+14155551234",
    "sip_username": "trunk_user",
    "sip_password": "other-pw",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "e164",
    "inbound_authorization_type": "ip",
    "allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"],
    "outbound_proxy": True,
    "country_code": "US",
}
VOICE_TRUNK_ID = re.compile(r"ST_[A-Za-z0-9]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _journal(server: EmulatorProcess) -> list[tuple[str, str, int, Any]]:
    return [(r["method"], r["path"], r["status"], r["body"]) for r in server.requests()]


def _masked(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "sip_password": "***"}


def test_me_returns_the_account(client: AutocallsClient, server: EmulatorProcess) -> None:
    assert client.me() == AccountInfo(
        name="Emulator User", email="emulator@example.com", total_balance=125.5
    )
    assert _journal(server) == [("GET", "/api/user/me", 200, None)]


def test_list_of_no_trunks_is_empty(client: AutocallsClient, server: EmulatorProcess) -> None:
    assert client.list_sip_trunks() == []
    assert _journal(server) == [("GET", TRUNKS, 200, None)]


def test_create_posts_exactly_the_fields_and_returns_the_created_trunk(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    trunk = client.create_sip_trunk(EXTENSION_TRUNK)

    assert _journal(server) == [("POST", TRUNKS, 201, _masked(EXTENSION_TRUNK))]
    assert isinstance(trunk, SipTrunkRecord)
    assert trunk.model_dump(exclude={"id", "inbound_trunk_id", "outbound_trunk_id"}) == {
        "phone_number": "1000",
        "nickname": "Provider X — Main",
        "sip_username": "myuser",
        "sip_address": "sip.provider.com",
        "sip_calling_format": "+e164",
        "inbound_authorization_type": "auth",
        "allowed_inbound_ips": None,
        "outbound_proxy": False,
        "country_code": "US",
        "created_at": trunk.created_at,
        "updated_at": trunk.created_at,
    }
    assert trunk.id >= 1
    assert VOICE_TRUNK_ID.fullmatch(trunk.inbound_trunk_id or "")
    assert VOICE_TRUNK_ID.fullmatch(trunk.outbound_trunk_id or "")
    assert TIMESTAMP.fullmatch(trunk.created_at)


def test_get_returns_the_full_record_with_timestamps_as_sent(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = client.create_sip_trunk(DID_TRUNK)
    server.clear_requests()

    fetched = client.get_sip_trunk(created.id)

    assert fetched == created
    assert fetched.allowed_inbound_ips == ["203.0.113.10", "198.51.100.20"]
    assert fetched.outbound_proxy is True
    assert _journal(server) == [("GET", f"{TRUNKS}/{created.id}", 200, None)]


def test_ids_may_be_numeric_strings(client: AutocallsClient, server: EmulatorProcess) -> None:
    created = client.create_sip_trunk(EXTENSION_TRUNK)
    server.clear_requests()

    assert client.get_sip_trunk(str(created.id)) == created
    assert client.get_sip_trunk(f"00{created.id}") == created
    assert [entry[1] for entry in _journal(server)] == [f"{TRUNKS}/{created.id}"] * 2


def test_list_returns_summaries_without_voice_trunk_ids(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    first = client.create_sip_trunk(EXTENSION_TRUNK)
    second = client.create_sip_trunk(DID_TRUNK)
    server.clear_requests()

    listed = client.list_sip_trunks()

    assert listed == [
        SipTrunkSummary.model_validate(first.model_dump()),
        SipTrunkSummary.model_validate(second.model_dump()),
    ]
    assert all(type(item) is SipTrunkSummary for item in listed)
    assert _journal(server) == [("GET", TRUNKS, 200, None)]


def test_update_puts_exactly_the_given_fields(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = client.create_sip_trunk(EXTENSION_TRUNK)
    server.clear_requests()

    updated = client.update_sip_trunk(created.id, {"sip_username": "new_username"})

    assert _journal(server) == [
        ("PUT", f"{TRUNKS}/{created.id}", 200, {"sip_username": "new_username"})
    ]
    assert updated.sip_username == "new_username"
    assert updated.nickname == created.nickname
    assert updated.created_at == created.created_at
    assert updated.updated_at != created.updated_at
    # A new username re-creates both voice trunks.
    assert updated.inbound_trunk_id != created.inbound_trunk_id
    assert updated.outbound_trunk_id != created.outbound_trunk_id


def test_update_sends_null_and_passwords_as_given(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = client.create_sip_trunk(EXTENSION_TRUNK)
    server.clear_requests()

    updated = client.update_sip_trunk(str(created.id), {"nickname": None, "sip_password": "new-pw"})

    assert _journal(server) == [
        ("PUT", f"{TRUNKS}/{created.id}", 200, {"nickname": None, "sip_password": "***"})
    ]
    assert updated.nickname is None


def test_delete_uses_the_phone_number_route(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    created = client.create_sip_trunk(EXTENSION_TRUNK)
    server.clear_requests()

    client.delete_sip_trunk(created.id)

    assert _journal(server) == [("DELETE", f"/api/user/phone-numbers/{created.id}", 200, None)]
    assert client.list_sip_trunks() == []


def test_find_filters_the_list_client_side(
    client: AutocallsClient, server: EmulatorProcess
) -> None:
    extension = client.create_sip_trunk(EXTENSION_TRUNK)
    did = client.create_sip_trunk(DID_TRUNK)
    server.clear_requests()

    assert [t.id for t in client.find_sip_trunks(phone_number="1000")] == [extension.id]
    assert [t.id for t in client.find_sip_trunks(sip_address="SIP.Provider.COM")] == [
        extension.id,
        did.id,
    ]
    assert [
        t.id
        for t in client.find_sip_trunks(
            phone_number="+14155551234", sip_username="trunk_user", sip_address="sip.provider.com"
        )
    ] == [did.id]
    assert client.find_sip_trunks(nickname="Provider X — Main")[0].id == extension.id
    assert client.find_sip_trunks(phone_number="1000", sip_username="trunk_user") == []
    assert _journal(server) == [("GET", TRUNKS, 200, None)] * 5
