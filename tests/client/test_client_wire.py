"""What goes on the wire: headers, connection reuse, and sharing one client between threads.

The emulator's journal does not record headers or connections, so the header and keep-alive
tests run against a small recording HTTP/1.1 server on loopback: real sockets, no mocks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from loopback_http import QuietHandler, serving
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._exceptions import UnexpectedResponseError
from pulumi_autocalls._version import __version__
from pulumi_autocalls.emulator import EmulatorProcess

KEY = "test-key-0123456789"
USER = {"name": "Wire", "email": "wire@example.com", "total_balance": 1}


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int


class _Recorder(QuietHandler):  # HTTP/1.1: keep-alive
    seen: list[Seen]

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.seen.append(
            Seen(
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                body,
                self.client_address[1],
            )
        )
        payload: Any = {"data": {"id": 1}} if self.command != "GET" else USER
        if self.path.endswith("/sip-trunks"):
            payload = {"data": []}
        self.send_json(200, payload)

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[Seen]]]:
    seen: list[Seen] = []
    with serving(type("Recorder", (_Recorder,), {"seen": seen})) as base_url:
        yield base_url, seen


def test_every_request_carries_auth_accept_and_user_agent(
    recorder: tuple[str, list[Seen]],
) -> None:
    base_url, seen = recorder
    with AutocallsClient(KEY, base_url=base_url) as client:
        client.me()
        client.delete_sip_trunk(5)

    for request in seen:
        assert request.headers["authorization"] == f"Bearer {KEY}"
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"] == f"pulumi-autocalls/{__version__}"
        assert "content-type" not in request.headers
        assert request.body == b""
    assert [(r.method, r.path) for r in seen] == [
        ("GET", "/api/user/me"),
        ("DELETE", "/api/user/phone-numbers/5"),
    ]


def test_a_body_is_json_with_its_content_type(recorder: tuple[str, list[Seen]]) -> None:
    base_url, seen = recorder
    # The recorder's answer is not a trunk; only the request matters here.
    with AutocallsClient(KEY, base_url=base_url) as client, pytest.raises(UnexpectedResponseError):
        client.update_sip_trunk(5, {"nickname": "Ünïcode", "outbound_proxy": True})

    (request,) = seen
    assert (request.method, request.path) == ("PUT", "/api/user/phone-numbers/sip-trunks/5")
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {"nickname": "Ünïcode", "outbound_proxy": True}


def test_user_agent_suffix(recorder: tuple[str, list[Seen]]) -> None:
    base_url, seen = recorder
    with AutocallsClient(KEY, base_url=base_url, user_agent_extra="my-tool/2.1") as client:
        client.me()
    assert seen[0].headers["user-agent"] == f"pulumi-autocalls/{__version__} my-tool/2.1"


def test_connections_are_reused_across_calls(recorder: tuple[str, list[Seen]]) -> None:
    base_url, seen = recorder
    with AutocallsClient(KEY, base_url=base_url) as client:
        for _ in range(5):
            client.list_sip_trunks()
    assert len(seen) == 5
    assert len({request.client_port for request in seen}) == 1


def test_one_client_serves_four_threads(clean_emulator: EmulatorProcess) -> None:
    with AutocallsClient(KEY, base_url=clean_emulator.base_url) as client:
        trunks = [
            client.create_sip_trunk(
                {
                    "sip_trunk_type": "extension",
                    "phone_number": str(1000 + n),
                    "sip_username": f"user{n}",
                    "sip_password": f"pw-{n}",
                    "sip_address": "sip.provider.com",
                    "sip_calling_format": "+e164",
                    "inbound_authorization_type": "auth",
                    "country_code": "US",
                }
            )
            for n in range(4)
        ]

        def read_and_rename(n: int) -> list[str]:
            names = []
            for round_number in range(5):
                nickname = f"trunk {n} round {round_number}"
                updated = client.update_sip_trunk(trunks[n].id, {"nickname": nickname})
                assert client.get_sip_trunk(trunks[n].id) == updated
                names.append(updated.nickname or "")
            return names

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(read_and_rename, range(4)))

    assert results == [[f"trunk {n} round {r}" for r in range(5)] for n in range(4)]
    assert len(clean_emulator.requests()) == 4 + 4 * 5 * 2
