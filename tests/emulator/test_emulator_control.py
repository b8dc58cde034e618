"""Control routes: health, latency, API key rotation, reset, and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess

CreateTrunk = Callable[..., dict[str, Any]]
MakeClient = Callable[..., httpx.Client]
TRUNKS = "/user/phone-numbers/sip-trunks"


def test_health(anonymous: httpx.Client) -> None:
    response = anonymous.get("/_emulator/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_latency_can_be_set_and_requests_still_succeed(
    api: httpx.Client, anonymous: httpx.Client, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.set_latency(25)

    assert anonymous.get("/_emulator/latency").json() == {"ms": 25}
    assert api.get("/user/me").status_code == 200
    assert api.get(TRUNKS).status_code == 200


def test_negative_latency_is_refused(anonymous: httpx.Client) -> None:
    response = anonymous.put("/_emulator/latency", json={"ms": -1})

    assert response.status_code == 422


def test_api_keys_can_be_rotated(clean_emulator: EmulatorProcess, make_client: MakeClient) -> None:
    old = make_client(clean_emulator)
    new = make_client(clean_emulator, api_key="rotated-key")

    clean_emulator.set_api_keys(["rotated-key"])
    assert old.get("/user/me").status_code == 401
    assert new.get("/user/me").status_code == 200

    clean_emulator.set_api_keys([clean_emulator.api_keys[0], "rotated-key"])
    assert old.get("/user/me").status_code == 200
    assert new.get("/user/me").status_code == 200

    clean_emulator.set_api_keys([])
    assert old.get("/user/me").status_code == 401


def test_reset_clears_trunks_journal_faults_and_restores_settings(
    clean_emulator: EmulatorProcess,
    make_client: MakeClient,
    anonymous: httpx.Client,
    create_trunk: CreateTrunk,
) -> None:
    before = create_trunk()
    clean_emulator.add_fault(429, times=5)
    clean_emulator.set_latency(10)
    clean_emulator.set_api_keys(["other-key"])

    clean_emulator.reset()

    api = make_client(clean_emulator)
    assert clean_emulator.faults() == []
    assert clean_emulator.requests() == []
    assert anonymous.get("/_emulator/latency").json() == {"ms": 0}
    assert api.get(TRUNKS).json() == {"data": []}
    after = api.post(TRUNKS, json={**_request_of(before), "sip_password": "pw-123"})
    assert after.json()["data"]["id"] > before["id"]


def _request_of(trunk: dict[str, Any]) -> dict[str, Any]:
    return {
        "sip_trunk_type": "extension",
        **{key: trunk[key] for key in ("phone_number", "sip_username", "sip_address")},
        **{key: trunk[key] for key in ("sip_calling_format", "inbound_authorization_type")},
        "country_code": trunk["country_code"],
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", f"/api{TRUNKS}", "GET, POST"),
        ("POST", f"/api{TRUNKS}/1", "GET, PUT"),
        ("PATCH", f"/api{TRUNKS}/1", "GET, PUT"),
        ("GET", "/api/user/phone-numbers/1", "DELETE"),
        ("POST", "/api/user/me", "GET"),
    ],
)
def test_an_unsupported_method_is_405_naming_every_allowed_method(
    anonymous: httpx.Client, method: str, path: str, allowed: str
) -> None:
    response = anonymous.request(method, path)

    assert response.status_code == 405
    assert response.headers["Allow"] == allowed


def test_openapi_describes_the_api_routes_only(anonymous: httpx.Client) -> None:
    document = anonymous.get("/openapi.json").json()

    operations = {
        (method.upper(), path): sorted(operation["responses"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == {
        ("GET", "/api/user/me"): ["200", "401", "429", "500"],
        ("GET", "/api/user/phone-numbers/sip-trunks"): ["200", "401", "429", "500"],
        ("POST", "/api/user/phone-numbers/sip-trunks"): [
            "201",
            "401",
            "409",
            "422",
            "429",
            "500",
        ],
        ("GET", "/api/user/phone-numbers/sip-trunks/{trunk_id}"): [
            "200",
            "401",
            "404",
            "429",
            "500",
        ],
        ("PUT", "/api/user/phone-numbers/sip-trunks/{trunk_id}"): [
            "200",
            "401",
            "404",
            "409",
            "422",
            "429",
            "500",
        ],
        ("DELETE", "/api/user/phone-numbers/{phone_number_id}"): [
            "200",
            "401",
            "404",
            "429",
            "500",
        ],
    }
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
