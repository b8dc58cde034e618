"""Success statuses whose body is not what the endpoint returns.

The emulator always answers in the documented shapes, so a scripted server (httpx.MockTransport)
stands in for a broken or changed one here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.models import AccountInfo
from pulumi_autocalls._exceptions import UnexpectedResponseError

KEY = "test-key-0123456789"
TRUNK_JSON: dict[str, Any] = {
    "id": 42,
    "phone_number": "1000",
    "nickname": None,
    "sip_username": "myuser",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "allowed_inbound_ips": None,
    "outbound_proxy": False,
    "country_code": "US",
    "inbound_trunk_id": "ST_xxxxxxxxxxxx",
    "outbound_trunk_id": "ST_yyyyyyyyyyyy",
    "created_at": "2026-03-31T10:00:00.000000Z",
    "updated_at": "2026-03-31T10:00:00.000000Z",
}


def _client(status: int, **response: Any) -> AutocallsClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, **response)

    return AutocallsClient(KEY, transport=httpx.MockTransport(answer))


@pytest.mark.parametrize(
    ("status", "response", "call", "message"),
    [
        (
            200,
            {"content": b"<html>maintenance</html>"},
            lambda c: c.get_sip_trunk(42),
            "get SIP trunk 42 failed: the API answered HTTP 200 OK with an unexpected body "
            "(not JSON)",
        ),
        (
            200,
            {"json": {"items": []}},
            lambda c: c.list_sip_trunks(),
            "list SIP trunks failed: the API answered HTTP 200 OK with an unexpected body "
            "(no 'data' list)",
        ),
        (
            201,
            {"json": {"message": "SIP trunk created successfully."}},
            lambda c: c.create_sip_trunk({}),
            "create SIP trunk failed: the API answered HTTP 201 Created with an unexpected body "
            "(no 'data' object)",
        ),
        (
            200,
            {"json": {"data": {**TRUNK_JSON, "outbound_proxy": "maybe", "id": None}}},
            lambda c: c.update_sip_trunk(42, {"nickname": "x"}),
            "update SIP trunk 42 failed: the API answered HTTP 200 OK with an unexpected body "
            "(data.id: Input should be a valid integer; data.outbound_proxy: Input should be a "
            "valid boolean, unable to interpret input)",
        ),
        (
            200,
            {"json": {"data": [TRUNK_JSON, {"id": 43}]}},
            lambda c: c.list_sip_trunks(),
            "list SIP trunks failed: the API answered HTTP 200 OK with an unexpected body "
            "(data[1].phone_number: Field required; data[1].sip_username: Field required; "
            "data[1].sip_address: Field required; and 6 more)",
        ),
    ],
)
def test_unexpected_bodies_name_the_problem_and_never_values(
    status: int,
    response: dict[str, Any],
    call: Callable[[AutocallsClient], object],
    message: str,
) -> None:
    with _client(status, **response) as client, pytest.raises(UnexpectedResponseError) as caught:
        call(client)
    assert str(caught.value) == message
    assert caught.value.status_code == status
    assert "maybe" not in str(caught.value)


def test_records_ignore_extra_keys_and_keep_timestamps_verbatim() -> None:
    extra = {**TRUNK_JSON, "type": "sip", "future_field": {"x": 1}}
    with _client(200, json={"data": [extra], "meta": {"total": 1}}) as client:
        (summary,) = client.list_sip_trunks()
    assert summary.created_at == "2026-03-31T10:00:00.000000Z"
    assert not hasattr(summary, "future_field")


def test_delete_accepts_an_empty_success_body() -> None:
    with _client(204) as client:
        client.delete_sip_trunk(42)


def test_me_accepts_a_data_envelope_and_a_string_balance() -> None:
    with _client(
        200, json={"data": {"name": "A", "email": "a@b.c", "total_balance": "12.50"}}
    ) as c:
        assert c.me() == AccountInfo(name="A", email="a@b.c", total_balance=12.5)
