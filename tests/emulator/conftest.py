"""Fixtures of the emulator tests: an authenticated client and the documented create bodies."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess

TRUNKS_PATH = "/user/phone-numbers/sip-trunks"

# The two create requests of the API documentation, matching its two 201 examples.
EXTENSION_TRUNK_REQUEST: dict[str, Any] = {
    "sip_trunk_type": "extension",
    "phone_number": "1000",
    "nickname": "Provider X — Main",
    "sip_username": "myuser",
    "sip_password": "s3cret-pass",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}
DID_TRUNK_REQUEST: dict[str, Any] = {
    "sip_trunk_type": "number",
    "phone_number": "+14155551234",
    "sip_username": "trunk_user",
    "sip_password": "another-s3cret",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "e164",
    "inbound_authorization_type": "ip",
    "allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"],
    "outbound_proxy": True,
    "country_code": "US",
}

CreateTrunk = Callable[..., dict[str, Any]]
MakeClient = Callable[..., httpx.Client]


def _api_client(
    emulator: EmulatorProcess, api_key: str | None = None, timeout: float = 10.0
) -> httpx.Client:
    key = emulator.api_keys[0] if api_key is None else api_key
    return httpx.Client(
        base_url=emulator.base_url,
        headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
        timeout=timeout,
        trust_env=False,
        # Plain HTTP on loopback: no TLS, so skip loading the CA bundle (~20 ms per client).
        verify=False,
    )


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """Builds clients of an emulator: `make_client(emulator, api_key=None, timeout=10.0)`;
    the key defaults to the emulator's first one. Closed after the test."""
    clients: list[httpx.Client] = []

    def make(
        emulator: EmulatorProcess, api_key: str | None = None, timeout: float = 10.0
    ) -> httpx.Client:
        client = _api_client(emulator, api_key, timeout)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(clean_emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """An authenticated client of the (reset) session emulator."""
    with _api_client(clean_emulator) as client:
        yield client


@pytest.fixture
def anonymous(clean_emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """A client without credentials, rooted at the (reset) session emulator's root URL: for
    control routes and unauthenticated calls (paths start with /api or /_emulator)."""
    with httpx.Client(
        base_url=clean_emulator.root_url, timeout=10.0, trust_env=False, verify=False
    ) as client:
        yield client


@pytest.fixture
def extension_request() -> dict[str, Any]:
    return copy.deepcopy(EXTENSION_TRUNK_REQUEST)


@pytest.fixture
def did_request() -> dict[str, Any]:
    return copy.deepcopy(DID_TRUNK_REQUEST)


@pytest.fixture
def create_trunk(api: httpx.Client) -> CreateTrunk:
    """Creates a trunk (the extension example, with `overrides`) and returns its `data`."""

    def create(base: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        body = {**copy.deepcopy(base or EXTENSION_TRUNK_REQUEST), **overrides}
        response = api.post(TRUNKS_PATH, json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    return create
