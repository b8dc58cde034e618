"""Every program under examples/, run as a user runs it, through the engine harness against the
emulator: the directory is the program, its Pulumi.yaml names the project, the stack config is
what its README tells to set. Each follows preview, up, a no-change preview, an edit that
re-provisions (its notice and the PUT body it sends), destroy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_harness import DeploymentFailed, Engine, OperationResult, Secret
from pulumi_autocalls import AutocallsClient, SipTrunkRecord
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, api_calls

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TRUNKS = "/api/user/phone-numbers/sip-trunks"
TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"
DOCUMENTED = ("adopt", "basic", "fleet", "ip-auth", "quickstart")


def project_name(example: str) -> str:
    text = (EXAMPLES / example / "Pulumi.yaml").read_text(encoding="utf-8")
    found = re.search(r"^name:\s*(\S+)\s*$", text, re.MULTILINE)
    assert found is not None
    return found.group(1)


def example_stack(
    example: str, emulator: EmulatorProcess, tmp_path: Path, config: dict[str, str | Secret]
) -> tuple[Engine, Path]:
    """The example's stack, as its README sets it up against the emulator; and its program."""
    project = project_name(example)
    stack_config: dict[str, str | Secret] = {
        "autocalls:apiKey": Secret(emulator.api_keys[0]),
        "autocalls:baseUrl": emulator.base_url,
    }
    stack_config.update(
        {key if ":" in key else f"{project}:{key}": value for key, value in config.items()}
    )
    engine = Engine(
        EXAMPLES / example,
        project=project,
        config=stack_config,
        state_path=tmp_path / "state" / f"{example}.json",
    )
    return engine, EXAMPLES / example


def set_config(engine: Engine, key: str, value: str | Secret) -> None:
    """``pulumi config set``: keys without a namespace belong to the project."""
    engine.config[key if ":" in key else f"{engine.project}:{key}"] = value


def notices(result: OperationResult) -> list[str]:
    return [line for line in result.diagnostics if line.startswith("autocalls:")]


def live(emulator: EmulatorProcess, trunk_id: str | int) -> SipTrunkRecord:
    with AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url) as client:
        return client.get_sip_trunk(trunk_id)


def trunk_count(emulator: EmulatorProcess) -> int:
    with AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url) as client:
        return len(client.list_sip_trunks())


def state_outputs(engine: Engine, name: str) -> dict[str, Any]:
    return dict(engine.state.by_name(name, TYPE).outputs)


def deploy(engine: Engine, program: Path, emulator: EmulatorProcess) -> OperationResult:
    """preview (nothing reaches the API), up, then a preview that must show no changes."""
    emulator.clear_requests()
    preview = engine.preview(program)
    assert {method for method, _ in api_calls(emulator)} <= {"GET"}  # lookups only
    assert "create" in preview.changes
    up = engine.up(program)
    engine.preview(program, expect_no_changes=True)
    return up


def destroyed(engine: Engine, emulator: EmulatorProcess, ids: list[str]) -> None:
    emulator.clear_requests()
    result = engine.destroy()
    assert result.changes.get("delete", 0) == len(ids) + 1  # the trunks and the stack
    deletes = [path for method, path in api_calls(emulator) if method == "DELETE"]
    assert sorted(deletes) == sorted(f"/api/user/phone-numbers/{i}" for i in ids)
    assert len(engine.state) == 0


def test_every_example_is_a_complete_program() -> None:
    found = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name[0] not in "._")
    assert found == sorted(DOCUMENTED)
    for name in found:
        directory = EXAMPLES / name
        for required in ("__main__.py", "Pulumi.yaml", "requirements.txt", "README.md"):
            assert (directory / required).is_file(), f"examples/{name}/{required}"
        assert project_name(name).startswith("autocalls-")
        readme = (directory / "README.md").read_text(encoding="utf-8")
        assert "pulumi config set" in readme or name == "quickstart"


# --- basic -------------------------------------------------------------------------------------


def test_basic(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    engine, program = example_stack(
        "basic", clean_emulator, tmp_path, {"sipPassword": Secret("s3cret-pass")}
    )
    up = deploy(engine, program, clean_emulator)
    assert up.ops() == {"autocalls-basic-dev": "create", "main": "create"}
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
    set_config(engine, "sipAddress", "sip2.provider.com")
    set_config(engine, "nickname", "Provider X - Backup")
    clean_emulator.clear_requests()
    preview = engine.preview(program)
    assert api_calls(clean_emulator) == []
    assert preview.op("main") == "update"
    assert preview.steps_for("main")[0].display_keys == ("nickname", "sip_address")
    assert notices(preview) == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{before.outbound_trunk_id} (changed: sip_address)"
    ]
    engine.up(program)
    assert api_calls(clean_emulator) == [("PUT", f"{TRUNKS}/{trunk_id}")]
    assert api_bodies(clean_emulator, "PUT") == [
        {"nickname": "Provider X - Backup", "sip_address": "sip2.provider.com"}
    ]
    after = live(clean_emulator, trunk_id)
    assert after.outbound_trunk_id != before.outbound_trunk_id
    assert after.inbound_trunk_id == before.inbound_trunk_id
    assert engine.outputs["outbound_trunk_id"] == after.outbound_trunk_id
    engine.preview(program, expect_no_changes=True)

    destroyed(engine, clean_emulator, [trunk_id])
    assert trunk_count(clean_emulator) == 0


# --- ip-auth -----------------------------------------------------------------------------------

IP_AUTH_CONFIG: dict[str, str | Secret] = {
    "phoneNumber": "+14155551234",
    "sipUsername": "did-user",
    "sipPassword": Secret("did-s3cret"),
    "sipAddress": "sip.carrier.example",
    "allowedInboundIps": '["203.0.113.10", "198.51.100.20"]',
}


def test_ip_auth(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    engine, program = example_stack("ip-auth", clean_emulator, tmp_path, dict(IP_AUTH_CONFIG))
    up = deploy(engine, program, clean_emulator)
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
    set_config(engine, "allowedInboundIps", '["198.51.100.20", "203.0.113.10"]')
    engine.preview(program, expect_no_changes=True)

    # A new address re-creates the inbound trunk only, and the PUT sends only the list.
    set_config(engine, "allowedInboundIps", '["203.0.113.10", "198.51.100.20", "192.0.2.7"]')
    clean_emulator.clear_requests()
    preview = engine.preview(program)
    assert preview.op("did") == "update"
    assert notices(preview) == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the inbound trunk "
        f"{before.inbound_trunk_id} (changed: allowed_inbound_ips)"
    ]
    engine.up(program)
    assert api_bodies(clean_emulator, "PUT") == [
        {"allowed_inbound_ips": ["203.0.113.10", "198.51.100.20", "192.0.2.7"]}
    ]
    after = live(clean_emulator, trunk_id)
    assert after.inbound_trunk_id != before.inbound_trunk_id
    assert after.outbound_trunk_id == before.outbound_trunk_id

    # outboundProxy re-creates the outbound trunk.
    set_config(engine, "outboundProxy", "true")
    preview = engine.preview(program)
    assert notices(preview) == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{after.outbound_trunk_id} (changed: outbound_proxy)"
    ]
    clean_emulator.clear_requests()
    engine.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"outbound_proxy": True}]
    engine.preview(program, expect_no_changes=True)

    destroyed(engine, clean_emulator, [trunk_id])


def test_ip_auth_refuses_an_empty_allow_list_in_preview(
    clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    config = {**IP_AUTH_CONFIG, "allowedInboundIps": "[]"}
    engine, program = example_stack("ip-auth", clean_emulator, tmp_path, config)
    clean_emulator.clear_requests()
    with pytest.raises(DeploymentFailed, match="allowed_inbound_ips must list at least one IP"):
        engine.preview(program)
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


def test_fleet(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    engine, program = example_stack("fleet", clean_emulator, tmp_path, fleet_config(FLEET))
    up = deploy(engine, program, clean_emulator)
    assert up.changes == {"create": 4}
    # depends_on: one trunk after the other, in the order of the config list.
    posted = [body["phone_number"] for body in api_bodies(clean_emulator, "POST")]
    assert posted == ["1000", "1001", "1002"]
    deps = {
        name: engine.state.by_name(name, TYPE).dependencies
        for name in ("reception", "sales", "support")
    }
    assert deps["reception"] == []
    assert [urn.rsplit("::", 1)[1] for urn in deps["sales"]] == ["reception"]
    assert [urn.rsplit("::", 1)[1] for urn in deps["support"]] == ["sales"]
    ids = dict(up.outputs["trunk_ids"])
    assert set(ids) == {"reception", "sales", "support"}

    # A new SIP server for the whole fleet: every outbound trunk is re-created, one PUT each.
    old = {name: state_outputs(engine, name) for name in ids}
    moved = {**FLEET_DEFAULTS, "sip_address": "pbx2.example.com"}
    set_config(engine, "defaults", json.dumps(moved))
    preview = engine.preview(program)
    assert preview.changes == {"update": 3}
    assert sorted(notices(preview)) == sorted(
        f"autocalls: SIP trunk {ids[name]}: this update re-creates the outbound trunk "
        f"{old[name]['outbound_trunk_id']} (changed: sip_address)"
        for name in ids
    )
    clean_emulator.clear_requests()
    engine.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"sip_address": "pbx2.example.com"}] * 3
    assert sorted(path for _, path in api_calls(clean_emulator)) == sorted(
        f"{TRUNKS}/{trunk_id}" for trunk_id in ids.values()
    )
    engine.preview(program, expect_no_changes=True)

    # Dropping a trunk from the list deletes it; the others stay as they are.
    set_config(engine, "trunks", json.dumps(FLEET[:2]))
    clean_emulator.clear_requests()
    shrink = engine.up(program)
    assert shrink.changes == {"delete": 1}
    assert [c for c in api_calls(clean_emulator) if c[0] == "DELETE"] == [
        ("DELETE", f"/api/user/phone-numbers/{ids['support']}")
    ]

    destroyed(engine, clean_emulator, [ids["reception"], ids["sales"]])
    assert trunk_count(clean_emulator) == 0


def test_fleet_names_an_unknown_setting(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    trunks = [{"name": "x", "phone_number": "1000", "sip_user": "typo"}]
    engine, program = example_stack("fleet", clean_emulator, tmp_path, fleet_config(trunks))
    with pytest.raises(DeploymentFailed, match=r"trunks\[0\] \(x\): unknown setting 'sip_user'"):
        engine.preview(program)


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


def test_adopt(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
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
    engine, program = example_stack(
        "adopt",
        clean_emulator,
        tmp_path,
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
    preview = engine.preview(program)
    assert preview.ops() == {
        "autocalls-adopt-dev": "create",
        "dashboard-trunk": "create",
        "watched-trunk": "read",
    }
    # Nothing is written in a preview: the lookups and the read-only get only read.
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET"}

    clean_emulator.clear_requests()
    up = engine.up(program)
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
    engine.preview(program, expect_no_changes=True)

    # From now on it is managed like any other trunk.
    set_config(engine, "sipAddress", "sip2.provider.com")
    preview = engine.preview(program)
    assert notices(preview) == [
        f"autocalls: SIP trunk {adopted_id}: this update re-creates the outbound trunk "
        f"{before.outbound_trunk_id} (changed: sip_address)"
    ]
    clean_emulator.clear_requests()
    engine.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"sip_address": "sip2.provider.com"}]
    engine.preview(program, expect_no_changes=True)

    # destroy deletes the adopted trunk and leaves the watched one alone.
    destroyed(engine, clean_emulator, [adopted_id])
    assert live(clean_emulator, watched_id).phone_number == "2001"
    assert trunk_count(clean_emulator) == 1


# --- quickstart --------------------------------------------------------------------------------


def test_quickstart_program(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    engine, program = example_stack(
        "quickstart", clean_emulator, tmp_path, {"sipPassword": Secret("quick-s3cret")}
    )
    up = deploy(engine, program, clean_emulator)
    assert up.changes == {"create": 4}
    ids = dict(up.outputs["trunk_ids"])
    destroyed(engine, clean_emulator, list(ids.values()))
