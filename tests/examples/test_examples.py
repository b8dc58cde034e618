"""Every program under examples/, run as a user runs it against the emulator, on both engines:
the engine harness and the real Pulumi CLI. The directory is the program, its Pulumi.yaml names
the project, the stack config is what its README tells to set. Each follows Pulumi's acceptance
sequence: preview, up, a state export and import, preview, up and refresh with no changes, edits
that re-provision (the notice and the PUT body each sends), destroy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from engine_harness import Secret
from engines import Outcome, StackDriver
from pulumi_autocalls import AutocallsClient, SipTrunkRecord
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, api_calls

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRUNKS = "/api/user/phone-numbers/sip-trunks"
DOCUMENTED = ("adopt", "basic", "fleet", "ip-auth", "quickstart")
NATIVE = ("go", "typescript", "yaml")
"""The native provider's examples, one per language (tests/sdks/test_languages.py runs them)."""


def project_name(example: str) -> str:
    text = (EXAMPLES / example / "Pulumi.yaml").read_text(encoding="utf-8")
    found = re.search(r"^name:\s*(\S+)\s*$", text, re.MULTILINE)
    assert found is not None
    return found.group(1)


def example_stack(
    make_stack: Callable[..., StackDriver],
    example: str,
    emulator: EmulatorProcess,
    config: dict[str, str | Secret],
) -> StackDriver:
    """The example's stack, as its README sets it up against the emulator."""
    stack_config: dict[str, str | Secret] = {
        "autocalls:apiKey": Secret(emulator.api_keys[0]),
        "autocalls:baseUrl": emulator.base_url,
        **config,
    }
    return make_stack(EXAMPLES / example, project=project_name(example), config=stack_config)


def live(emulator: EmulatorProcess, trunk_id: str | int) -> SipTrunkRecord:
    with AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url) as client:
        return client.get_sip_trunk(trunk_id)


def trunk_count(emulator: EmulatorProcess) -> int:
    with AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url) as client:
        return len(client.list_sip_trunks())


def deploy(stack: StackDriver, emulator: EmulatorProcess) -> Outcome:
    """preview (nothing reaches the API), up, a state export and import, then preview, up and
    refresh that must show no changes."""
    emulator.clear_requests()
    preview = stack.preview()
    assert {method for method, _ in api_calls(emulator)} <= {"GET"}  # lookups only
    assert "create" in preview.changes
    up = stack.up()
    stack.reload_state()
    stack.preview(expect_no_changes=True)
    stack.up(expect_no_changes=True)
    stack.refresh(expect_no_changes=True)
    return up


def destroyed(stack: StackDriver, emulator: EmulatorProcess, ids: list[str]) -> None:
    emulator.clear_requests()
    result = stack.destroy()
    assert result.changes.get("delete", 0) == len(ids) + 1  # the trunks and the stack
    deletes = [path for method, path in api_calls(emulator) if method == "DELETE"]
    assert sorted(deletes) == sorted(f"/api/user/phone-numbers/{i}" for i in ids)
    assert stack.resource_names() == []


def test_every_example_is_a_complete_program() -> None:
    found = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name[0] not in "._")
    assert found == sorted(DOCUMENTED + NATIVE)
    for name in found:
        directory = EXAMPLES / name
        python = ("__main__.py", "requirements.txt") if name in DOCUMENTED else ()
        for required in (*python, "Pulumi.yaml", "README.md"):
            assert (directory / required).is_file(), f"examples/{name}/{required}"
        assert project_name(name).startswith("autocalls-")
        readme = (directory / "README.md").read_text(encoding="utf-8")
        assert "pulumi config set" in readme or name == "quickstart"
        # Against the real API in a new stack: the dev stack's trunk ids are the emulator's.
        real_api = readme.lower().partition("against the real api")[2].partition("\n## ")[0]
        assert "pulumi stack init" in real_api, f"examples/{name}/README.md"


# --- basic -------------------------------------------------------------------------------------


def test_basic(make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess) -> None:
    stack = example_stack(
        make_stack, "basic", clean_emulator, {"sipPassword": Secret("s3cret-pass")}
    )
    up = deploy(stack, clean_emulator)
    assert up.ops == {"autocalls-basic-dev": "create", "main": "create"}
    assert api_bodies(clean_emulator, "POST") == [
        {
            "sip_trunk_type": "extension",
            "phone_number": "1000",
            "nickname": "Provider X - Main",
            "sip_username": "myuser",
            "sip_password": "***",
            "sip_address": "sip.provider.com",
            "sip_calling_format": "+e164",
            "inbound_authorization_type": "auth",
            "country_code": "US",
            "outbound_proxy": False,
        }
    ]
    trunk_id = up.outputs["trunk_id"]
    before = live(clean_emulator, trunk_id)
    assert up.outputs["outbound_trunk_id"] == before.outbound_trunk_id

    # The edit of the README's sample: a new SIP server (and a new nickname, which costs nothing).
    stack.set_config("sipAddress", "sip2.provider.com")
    stack.set_config("nickname", "Provider X - Backup")
    clean_emulator.clear_requests()
    preview = stack.preview()
    assert api_calls(clean_emulator) == []
    assert preview.ops["main"] == "update"
    assert preview.diff_keys["main"] == ("nickname", "sip_address")
    assert preview.notices == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{before.outbound_trunk_id} (changed: sip_address)"
    ]
    stack.up()
    assert api_calls(clean_emulator) == [("PUT", f"{TRUNKS}/{trunk_id}")]
    assert api_bodies(clean_emulator, "PUT") == [
        {"nickname": "Provider X - Backup", "sip_address": "sip2.provider.com"}
    ]
    after = live(clean_emulator, trunk_id)
    assert after.outbound_trunk_id != before.outbound_trunk_id
    assert after.inbound_trunk_id == before.inbound_trunk_id
    assert stack.up(expect_no_changes=True).outputs["outbound_trunk_id"] == (
        after.outbound_trunk_id
    )

    destroyed(stack, clean_emulator, [trunk_id])
    assert trunk_count(clean_emulator) == 0


# --- ip-auth -----------------------------------------------------------------------------------

IP_AUTH_CONFIG: dict[str, str | Secret] = {
    "phoneNumber": "+14155551234",
    "sipUsername": "did-user",
    "sipPassword": Secret("did-s3cret"),
    "sipAddress": "sip.carrier.example",
    "allowedInboundIps": '["203.0.113.10", "198.51.100.20"]',
}


def test_ip_auth(make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess) -> None:
    stack = example_stack(make_stack, "ip-auth", clean_emulator, dict(IP_AUTH_CONFIG))
    up = deploy(stack, clean_emulator)
    [body] = api_bodies(clean_emulator, "POST")
    assert body["inbound_authorization_type"] == "ip"
    assert body["allowed_inbound_ips"] == ["203.0.113.10", "198.51.100.20"]
    assert (body["sip_trunk_type"], body["country_code"], body["outbound_proxy"]) == (
        "number",
        "US",
        False,
    )
    trunk_id = up.outputs["trunk_id"]
    assert up.outputs["allowed_inbound_ips"] == ["203.0.113.10", "198.51.100.20"]
    before = live(clean_emulator, trunk_id)

    # The allow-list is a set: reordering it in config is no change.
    stack.set_config("allowedInboundIps", '["198.51.100.20", "203.0.113.10"]')
    stack.preview(expect_no_changes=True)

    # A new address re-creates the inbound trunk only, and the PUT sends only the list.
    stack.set_config("allowedInboundIps", '["203.0.113.10", "198.51.100.20", "192.0.2.7"]')
    clean_emulator.clear_requests()
    preview = stack.preview()
    assert preview.ops["did"] == "update"
    assert preview.notices == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the inbound trunk "
        f"{before.inbound_trunk_id} (changed: allowed_inbound_ips)"
    ]
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [
        {"allowed_inbound_ips": ["203.0.113.10", "198.51.100.20", "192.0.2.7"]}
    ]
    after = live(clean_emulator, trunk_id)
    assert after.inbound_trunk_id != before.inbound_trunk_id
    assert after.outbound_trunk_id == before.outbound_trunk_id

    # outboundProxy re-creates the outbound trunk.
    stack.set_config("outboundProxy", "true")
    preview = stack.preview()
    assert preview.notices == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{after.outbound_trunk_id} (changed: outbound_proxy)"
    ]
    clean_emulator.clear_requests()
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [{"outbound_proxy": True}]
    stack.preview(expect_no_changes=True)

    destroyed(stack, clean_emulator, [trunk_id])


def test_ip_auth_refuses_an_empty_allow_list_in_preview(
    make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess
) -> None:
    config = {**IP_AUTH_CONFIG, "allowedInboundIps": "[]"}
    stack = example_stack(make_stack, "ip-auth", clean_emulator, config)
    clean_emulator.clear_requests()
    assert "allowed_inbound_ips must list at least one IP" in stack.failure("preview").text
    assert api_calls(clean_emulator) == []


# --- fleet -------------------------------------------------------------------------------------

FLEET_DEFAULTS = {
    "sip_trunk_type": "extension",
    "sip_address": "pbx.example.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}
FLEET = [
    {"name": "reception", "phone_number": "1000", "sip_username": "reception"},
    {"name": "sales", "phone_number": "1001", "sip_username": "sales", "nickname": "Sales"},
    {"name": "support", "phone_number": "1002", "sip_username": "support"},
]


def fleet_config(trunks: list[dict[str, Any]]) -> dict[str, str | Secret]:
    return {
        "sipPassword": Secret("fleet-s3cret"),
        "defaults": json.dumps(FLEET_DEFAULTS),
        "trunks": json.dumps(trunks),
    }


def test_fleet(make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess) -> None:
    stack = example_stack(make_stack, "fleet", clean_emulator, fleet_config(FLEET))
    up = deploy(stack, clean_emulator)
    assert up.changes == {"create": 4}
    # depends_on: one trunk after the other, in the order of the config list.
    posted = [body["phone_number"] for body in api_bodies(clean_emulator, "POST")]
    assert posted == ["1000", "1001", "1002"]
    assert stack.dependencies("reception") == []
    assert stack.dependencies("sales") == ["reception"]
    assert stack.dependencies("support") == ["sales"]
    ids = dict(up.outputs["trunk_ids"])
    assert set(ids) == {"reception", "sales", "support"}

    # A new SIP server for the whole fleet: every outbound trunk is re-created, one PUT each.
    old = {name: stack.resource_outputs(name) for name in ids}
    moved = {**FLEET_DEFAULTS, "sip_address": "pbx2.example.com"}
    stack.set_config("defaults", json.dumps(moved))
    preview = stack.preview()
    assert preview.changes == {"update": 3}
    assert sorted(preview.notices) == sorted(
        f"autocalls: SIP trunk {ids[name]}: this update re-creates the outbound trunk "
        f"{old[name]['outbound_trunk_id']} (changed: sip_address)"
        for name in ids
    )
    clean_emulator.clear_requests()
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [{"sip_address": "pbx2.example.com"}] * 3
    assert sorted(path for _, path in api_calls(clean_emulator)) == sorted(
        f"{TRUNKS}/{trunk_id}" for trunk_id in ids.values()
    )
    stack.preview(expect_no_changes=True)

    # Dropping a trunk from the list deletes it; the others stay as they are.
    stack.set_config("trunks", json.dumps(FLEET[:2]))
    clean_emulator.clear_requests()
    shrink = stack.up()
    assert shrink.changes == {"delete": 1}
    assert [c for c in api_calls(clean_emulator) if c[0] == "DELETE"] == [
        ("DELETE", f"/api/user/phone-numbers/{ids['support']}")
    ]

    destroyed(stack, clean_emulator, [ids["reception"], ids["sales"]])
    assert trunk_count(clean_emulator) == 0


def test_fleet_names_an_unknown_setting(
    make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess
) -> None:
    trunks = [{"name": "x", "phone_number": "1000", "sip_user": "typo"}]
    stack = example_stack(make_stack, "fleet", clean_emulator, fleet_config(trunks))
    assert "trunks[0] (x): unknown setting 'sip_user'" in stack.failure("preview").text


# --- adopt -------------------------------------------------------------------------------------


def dashboard_trunk(emulator: EmulatorProcess, **fields: Any) -> str:
    """Create a trunk through the API, as someone using the autocalls dashboard would."""
    body = {
        "sip_trunk_type": "extension",
        "sip_password": "dashboard-pass",
        "sip_calling_format": "+e164",
        "inbound_authorization_type": "auth",
        "country_code": "US",
        **fields,
    }
    response = httpx.post(
        f"{emulator.base_url}/user/phone-numbers/sip-trunks",
        json=body,
        headers={"Authorization": f"Bearer {emulator.api_keys[0]}", "Accept": "application/json"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def test_adopt(make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess) -> None:
    adopted_id = dashboard_trunk(
        clean_emulator,
        phone_number="2000",
        nickname="Front desk",
        sip_username="frontdesk",
        sip_address="sip.provider.com",
    )
    watched_id = dashboard_trunk(
        clean_emulator,
        phone_number="2001",
        nickname="Fallback",
        sip_username="fallback",
        sip_address="sip.provider.com",
    )
    stack = example_stack(
        make_stack,
        "adopt",
        clean_emulator,
        {
            "adoptId": adopted_id,
            "watchId": watched_id,
            "phoneNumber": "2000",
            "sipUsername": "frontdesk",
            "sipAddress": "sip.provider.com",
            "sipPassword": Secret("dashboard-pass"),
        },
    )
    before = live(clean_emulator, adopted_id)

    clean_emulator.clear_requests()
    preview = stack.preview()
    assert preview.ops == {
        "autocalls-adopt-dev": "create",
        "dashboard-trunk": "create",
        "watched-trunk": "read",
    }
    # Nothing is written in a preview: the lookups and the read-only get only read.
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET"}

    clean_emulator.clear_requests()
    up = stack.up()
    writes = [(m, p) for m, p in api_calls(clean_emulator) if m != "GET"]
    # Adoption sends only what differs (the nickname), never the password: no re-creation.
    assert writes == [("PUT", f"{TRUNKS}/{adopted_id}")]
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": "Adopted from the dashboard"}]
    assert up.outputs["adopted_id"] == adopted_id
    assert up.outputs["adopted_outbound_trunk_id"] == before.outbound_trunk_id
    assert up.outputs["watched_phone_number"] == "2001"
    assert up.outputs["fallback_ids"] == [watched_id]
    after = live(clean_emulator, adopted_id)
    assert (after.inbound_trunk_id, after.outbound_trunk_id) == (
        before.inbound_trunk_id,
        before.outbound_trunk_id,
    )
    stack.reload_state()
    stack.preview(expect_no_changes=True)
    stack.up(expect_no_changes=True)
    stack.refresh(expect_no_changes=True)

    # From now on it is managed like any other trunk.
    stack.set_config("sipAddress", "sip2.provider.com")
    preview = stack.preview()
    assert preview.notices == [
        f"autocalls: SIP trunk {adopted_id}: this update re-creates the outbound trunk "
        f"{before.outbound_trunk_id} (changed: sip_address)"
    ]
    clean_emulator.clear_requests()
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [{"sip_address": "sip2.provider.com"}]
    stack.preview(expect_no_changes=True)

    # destroy deletes the adopted trunk and leaves the watched one alone.
    destroyed(stack, clean_emulator, [adopted_id])
    assert live(clean_emulator, watched_id).phone_number == "2001"
    assert trunk_count(clean_emulator) == 1


# --- quickstart --------------------------------------------------------------------------------


def test_quickstart_program(
    make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess
) -> None:
    stack = example_stack(
        make_stack, "quickstart", clean_emulator, {"sipPassword": Secret("quick-s3cret")}
    )
    up = deploy(stack, clean_emulator)
    assert up.changes == {"create": 4}
    ids = dict(up.outputs["trunk_ids"])
    destroyed(stack, clean_emulator, list(ids.values()))
