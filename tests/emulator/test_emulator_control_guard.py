"""Who may use the control routes (/_emulator/...): what a web page, a rebound DNS name or a
caller without the control token gets, and that such a request changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess

CreateTrunk = Callable[..., dict[str, Any]]
MakeClient = Callable[..., httpx.Client]
TRUNKS = "/user/phone-numbers/sip-trunks"
JSON = {"Content-Type": "application/json"}

# Every control route, with a body that would change something if it were carried out.
CONTROL_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/_emulator/health", None),
    ("GET", "/_emulator/requests", None),
    ("DELETE", "/_emulator/requests", None),
    ("GET", "/_emulator/faults", None),
    ("POST", "/_emulator/faults", {"status": 500, "times": 100}),
    ("DELETE", "/_emulator/faults", None),
    ("GET", "/_emulator/latency", None),
    ("PUT", "/_emulator/latency", {"ms": 5000}),
    ("PUT", "/_emulator/api-keys", {"keys": ["attacker-key"]}),
    ("POST", "/_emulator/reset", None),
]
INSTALL_KEY = CONTROL_ROUTES[8]
FOREIGN_HOSTS = [
    "evil.example",
    "evil.example:{port}",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example",
    "0.0.0.0:{port}",
    "192.168.1.20:{port}",
    "[2001:db8::1]:{port}",
    "evil.example@127.0.0.1:{port}",
]
FOREIGN_ORIGINS = [
    "http://evil.example",
    "https://evil.example:8787",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example:8787",
    "null",
    "file://",
]
# Each control route with one foreign value, and each foreign value on the route that installs
# an API key.
HOST_CASES = [(*route, FOREIGN_HOSTS[1]) for route in CONTROL_ROUTES] + [
    (*INSTALL_KEY, host) for host in FOREIGN_HOSTS if host != FOREIGN_HOSTS[1]
]
ORIGIN_CASES = [(*route, FOREIGN_ORIGINS[0]) for route in CONTROL_ROUTES] + [
    (*INSTALL_KEY, origin) for origin in FOREIGN_ORIGINS[1:]
]


def send(
    client: httpx.Client, method: str, path: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    content = None if body is None else json.dumps(body).encode()
    return client.request(method, path, content=content, headers={**JSON, **headers})


def foreign_host_message(host: str) -> str:
    return (
        f"Control requests must be addressed to this machine: the Host {host!r} is not a loopback "
        "name or address."
    )


def foreign_origin_message(origin: str) -> str:
    return (
        f"Control requests from web pages are refused: the Origin {origin!r} is not this machine."
    )


def assert_nothing_changed(
    clean_emulator: EmulatorProcess, api: httpx.Client, trunk: dict[str, Any]
) -> None:
    """The trunk, the journal entry of its create, the key, the latency and the (absent)
    faults are all as the test left them."""
    assert [entry["status"] for entry in clean_emulator.requests()] == [201]
    assert clean_emulator.faults() == []
    assert api.get(TRUNKS).json()["data"][0]["id"] == trunk["id"]
    unknown = httpx.get(
        f"{clean_emulator.base_url}/user/me",
        headers={"Authorization": "Bearer attacker-key"},
        trust_env=False,
    )
    assert unknown.status_code == 401
    clean_emulator.clear_requests()
    assert clean_emulator.requests() == []


def test_a_simple_cross_site_reset_wipes_nothing(
    clean_emulator: EmulatorProcess,
    anonymous: httpx.Client,
    api: httpx.Client,
    create_trunk: CreateTrunk,
) -> None:
    """What the audit sent: the request a web page on another site can make without a CORS
    preflight."""
    trunk = create_trunk()

    response = anonymous.post(
        "/_emulator/reset",
        content=b"{}",
        headers={"Origin": "http://evil.example", "Content-Type": "text/plain"},
    )

    assert response.status_code == 403
    assert response.json() == {"detail": foreign_origin_message("http://evil.example")}
    assert api.get(TRUNKS).json()["data"] == [
        {key: value for key, value in trunk.items() if not key.endswith("_trunk_id")}
    ]


def test_a_text_plain_control_request_is_refused_even_without_an_origin(
    clean_emulator: EmulatorProcess,
    anonymous: httpx.Client,
    api: httpx.Client,
    create_trunk: CreateTrunk,
) -> None:
    trunk = create_trunk()

    reset = anonymous.post("/_emulator/reset", content=b"", headers={"Content-Type": "text/plain"})
    latency = anonymous.put(
        "/_emulator/latency", content=b'{"ms": 5000}', headers={"Content-Type": "text/plain"}
    )
    no_type = anonymous.post("/_emulator/reset")

    expected = {
        "detail": "A control request that changes something must be sent with "
        "'Content-Type: application/json'."
    }
    assert [(r.status_code, r.json()) for r in (reset, latency, no_type)] == [(415, expected)] * 3
    assert anonymous.get("/_emulator/latency").json() == {"ms": 0}
    assert_nothing_changed(clean_emulator, api, trunk)


@pytest.mark.parametrize(
    ("method", "path", "body", "header", "value"),
    [(*case[:3], "Host", case[3]) for case in HOST_CASES]
    + [(*case[:3], "Origin", case[3]) for case in ORIGIN_CASES],
)
def test_a_foreign_host_or_origin_is_refused_on_every_control_route(
    clean_emulator: EmulatorProcess,
    anonymous: httpx.Client,
    api: httpx.Client,
    create_trunk: CreateTrunk,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    header: str,
    value: str,
) -> None:
    """A foreign Host is DNS rebinding: a page whose own name now resolves to 127.0.0.1 sends
    that name. A foreign Origin is a page of another site."""
    trunk = create_trunk()
    value = value.format(port=clean_emulator.port)

    response = send(anonymous, method, path, body, {header: value})

    message = foreign_host_message(value) if header == "Host" else foreign_origin_message(value)
    assert (response.status_code, response.json()) == (403, {"detail": message})
    assert anonymous.get("/_emulator/latency").json() == {"ms": 0}
    assert_nothing_changed(clean_emulator, api, trunk)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "127.0.0.1",
        "localhost:{port}",
        "LocalHost",
        "[::1]:{port}",
        "127.1.2.3:{port}",
        "app.localhost:{port}",
        "[::ffff:127.0.0.1]:{port}",
    ],
)
@pytest.mark.parametrize(
    "origin", [None, "http://localhost:3000", "http://127.0.0.1:{port}", "https://[::1]"]
)
def test_loopback_hosts_and_origins_are_served(
    clean_emulator: EmulatorProcess, anonymous: httpx.Client, host: str, origin: str | None
) -> None:
    headers = {"Host": host.format(port=clean_emulator.port)}
    if origin is not None:
        headers["Origin"] = origin.format(port=clean_emulator.port)

    response = anonymous.put("/_emulator/latency", json={"ms": 7}, headers=headers)

    assert (response.status_code, response.json()) == (200, {"ms": 7})


def test_latency_is_bounded_at_60_seconds(anonymous: httpx.Client) -> None:
    """1e308 ms was accepted and hung every later request."""
    huge = anonymous.put("/_emulator/latency", json={"ms": 1e308})
    above = anonymous.put("/_emulator/latency", json={"ms": 60000.5})
    not_json = anonymous.put("/_emulator/latency", content=b'{"ms": Infinity}', headers=JSON)

    assert (huge.status_code, above.status_code, not_json.status_code) == (422, 422, 422)
    assert huge.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["body", "ms"],
                "msg": "Input should be less than or equal to 60000",
                "input": 1e308,
                "ctx": {"le": 60000.0},
            }
        ]
    }
    assert not_json.json() == {"detail": "The request body must be valid JSON."}
    assert anonymous.get("/_emulator/latency").json() == {"ms": 0}

    at_bound = anonymous.put("/_emulator/latency", json={"ms": 60000})
    assert (at_bound.status_code, at_bound.json()) == (200, {"ms": 60000})


def test_a_fault_delay_is_bounded_at_60_seconds(
    clean_emulator: EmulatorProcess, anonymous: httpx.Client
) -> None:
    response = anonymous.post("/_emulator/faults", json={"status": 200, "delay_s": 60.5})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Input should be less than or equal to 60"
    assert clean_emulator.faults() == []
    assert clean_emulator.add_fault(200, delay_s=60)["delay_s"] == 60


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (
            b'{"keys": ["\\ud800"]}',
            "The request body must not contain unpaired UTF-16 surrogates (\\ud800-\\udfff).",
        ),
        (
            b'{"keys": ["\xed\xa0\x80"]}',
            "The request body must not contain unpaired UTF-16 surrogates (\\ud800-\\udfff).",
        ),
        (
            b'{"keys": ' + b"[" * 40 + b'"k"' + b"]" * 40 + b"}",
            "The request body must not nest arrays and objects more than 32 levels deep.",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "The request body must not nest arrays and objects more than 32 levels deep.",
        ),
        (b'{"keys": ["k"]', "The request body must be valid JSON."),
    ],
    ids=["escaped surrogate", "encoded surrogate", "41 levels", "100000 levels", "truncated"],
)
def test_an_unreadable_control_body_is_422_and_installs_nothing(
    clean_emulator: EmulatorProcess,
    anonymous: httpx.Client,
    api: httpx.Client,
    raw: bytes,
    detail: str,
) -> None:
    """A key with an unpaired surrogate, once installed, made every /api request a 500."""
    response = anonymous.put("/_emulator/api-keys", content=raw, headers=JSON)

    assert (response.status_code, response.json()) == (422, {"detail": detail})
    assert api.get("/user/me").status_code == 200
    assert clean_emulator.health() == {"status": "ok"}


def test_with_a_control_token_only_its_bearer_may_use_the_control_routes(
    make_client: MakeClient,
) -> None:
    with EmulatorProcess(api_keys=["key"], control_token="control-0123456789") as emulator:
        root = emulator.root_url
        missing = httpx.put(f"{root}/_emulator/api-keys", json={"keys": ["x"]}, trust_env=False)
        wrong = httpx.post(
            f"{root}/_emulator/reset",
            headers={**JSON, "Authorization": "Bearer control-01234567890"},
            trust_env=False,
        )
        # The token stands in for the loopback Host: with it, any name may be used.
        named = httpx.get(
            f"{root}/_emulator/latency",
            headers={"Authorization": "Bearer control-0123456789", "Host": "devbox.lan"},
            trust_env=False,
        )

        expected = {
            "detail": "This control request needs the emulator's control token: send it as "
            "'Authorization: Bearer <token>'."
        }
        assert [(r.status_code, r.json()) for r in (missing, wrong)] == [(401, expected)] * 2
        assert missing.headers["WWW-Authenticate"] == "Bearer"
        assert (named.status_code, named.json()) == (200, {"ms": 0})
        assert make_client(emulator).get("/user/me").status_code == 200
        emulator.set_latency(3)  # the helper sends its token
        assert emulator.requests() == [
            {"method": "GET", "path": "/api/user/me", "status": 200, "body": None, "bytes": 0}
        ]
