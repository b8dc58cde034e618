"""SipTrunk through the engine harness and the emulator: Pulumi's acceptance sequence.

Every test follows preview, up, no-change preview and up, no-change refresh, edits, destroy, and
asserts on the emulator's request journal: what reached the API, in which order, with which body.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from pulumi_autocalls import AutocallsClient, SipTrunkRecord
from pulumi_autocalls._core.fields import FIELDS, VoiceTrunk
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, api_calls, trunk_args, trunks_program

TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"
TRUNKS = "/api/user/phone-numbers/sip-trunks"


def client(emulator: EmulatorProcess) -> AutocallsClient:
    return AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url)


def live(emulator: EmulatorProcess, trunk_id: str) -> SipTrunkRecord:
    with client(emulator) as api:
        return api.get_sip_trunk(trunk_id)


def outputs(stack: Engine, name: str = "main") -> dict[str, Any]:
    return dict(stack.state.by_name(name, TYPE).outputs)


def deploy(stack: Engine, emulator: EmulatorProcess, specs: dict[str, Any]) -> Any:
    """Preview and up a new stack, checking both against the API, then clear the journal."""
    program = trunks_program(specs)
    preview = stack.preview(program)
    assert api_calls(emulator) == []
    assert set(preview.changes) == {"create"}
    stack.up(program)
    assert api_calls(emulator) == [("POST", TRUNKS)] * len(specs)
    emulator.clear_requests()
    return program


def no_changes(stack: Engine, emulator: EmulatorProcess, program: Any) -> None:
    """The second half of the acceptance sequence: nothing to do, and the API hears nothing but
    the refresh's reads."""
    emulator.clear_requests()
    stack.preview(program, expect_no_changes=True)
    stack.up(program, expect_no_changes=True)
    assert api_calls(emulator) == []
    stack.refresh(expect_no_changes=True)
    assert {method for method, _ in api_calls(emulator)} <= {"GET"}
    emulator.clear_requests()


def test_acceptance_sequence_of_one_trunk(stack: Engine, clean_emulator: EmulatorProcess) -> None:
    specs = {"main": trunk_args()}
    program = trunks_program(specs)

    preview = stack.preview(program)
    assert api_calls(clean_emulator) == []
    assert preview.ops() == {"trunks-dev": "create", "main": "create"}

    up = stack.up(program)
    assert api_calls(clean_emulator) == [("POST", TRUNKS)]
    expected_body = trunk_args(sip_password="***", outbound_proxy=False)
    assert api_bodies(clean_emulator, "POST") == [expected_body]
    trunk_id = stack.state.by_name("main", TYPE).id
    record = live(clean_emulator, trunk_id)
    assert up.outputs["main_id"] == trunk_id == str(record.id)
    assert up.outputs["main_inbound_trunk_id"] == record.inbound_trunk_id
    assert outputs(stack) == {
        **trunk_args(sip_password=Secret("s3cret-pass")),
        "outbound_proxy": False,
        "inbound_trunk_id": record.inbound_trunk_id,
        "outbound_trunk_id": record.outbound_trunk_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "__provider": outputs(stack)["__provider"],
    }

    no_changes(stack, clean_emulator, program)

    destroyed = stack.destroy()
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{trunk_id}"),
        ("DELETE", f"/api/user/phone-numbers/{trunk_id}"),
    ]
    assert destroyed.changes == {"delete": 2}
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []
    assert len(stack.state) == 0


# One edit per row of the field table, with a value different from trunk_args().
EDITS: dict[str, Any] = {
    "phone_number": "1001",
    "nickname": "Backup line",
    "sip_username": "otheruser",
    "sip_password": "n3w-pass",
    "sip_address": "sip2.provider.com",
    "sip_calling_format": "national",
    "country_code": "GB",
    "outbound_proxy": True,
}
IP_AUTH = {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]}
ROWS = [f for f in FIELDS if not f.create_only]


def test_every_updatable_field_has_an_edit() -> None:
    assert set(EDITS) | set(IP_AUTH) == {f.name for f in ROWS}


def expected_notice(trunk_id: str, old: dict[str, Any], trunks: set[VoiceTrunk], field: str) -> str:
    parts = [
        f"the {trunk.value} trunk {old[f'{trunk.value}_trunk_id']}"
        for trunk in (VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND)
        if trunk in trunks
    ]
    return (
        f"autocalls: SIP trunk {trunk_id}: this update re-creates {' and '.join(parts)} "
        f"(changed: {field})"
    )


@pytest.mark.parametrize("row", [f for f in ROWS if f.name in EDITS], ids=lambda f: f.name)
def test_each_row_of_the_field_table(
    stack: Engine, clean_emulator: EmulatorProcess, row: Any
) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    trunk_id = stack.state.by_name("main", TYPE).id
    before = outputs(stack)

    specs["main"] = trunk_args(**{row.name: EDITS[row.name]})
    preview = stack.preview(program)
    assert api_calls(clean_emulator) == []
    assert preview.op("main") == "update"
    recreated = set(row.recreates)
    notices = [line for line in preview.diagnostics if line.startswith("autocalls:")]
    if recreated:
        assert notices == [expected_notice(trunk_id, before, recreated, row.name)]
    else:
        assert notices == []

    stack.up(program)
    sent = EDITS[row.name] if row.name != "sip_password" else "***"
    assert api_calls(clean_emulator) == [("PUT", f"{TRUNKS}/{trunk_id}")]
    assert api_bodies(clean_emulator, "PUT") == [{row.name: sent}]

    after = outputs(stack)
    record = live(clean_emulator, trunk_id)
    for trunk in VoiceTrunk:
        key = f"{trunk.value}_trunk_id"
        assert after[key] == getattr(record, key)
        assert (after[key] != before[key]) is (trunk in recreated), key
    assert after["updated_at"] == record.updated_at != before["updated_at"]
    assert after["created_at"] == before["created_at"]
    expected_value = Secret(EDITS[row.name]) if row.secret else EDITS[row.name]
    assert after[row.name] == expected_value

    no_changes(stack, clean_emulator, program)


def test_switching_to_ip_auth_and_back(stack: Engine, clean_emulator: EmulatorProcess) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    trunk_id = stack.state.by_name("main", TYPE).id
    before = outputs(stack)

    specs["main"] = trunk_args(**IP_AUTH)
    preview = stack.preview(program)
    assert api_calls(clean_emulator) == []
    assert [line for line in preview.diagnostics if line.startswith("autocalls:")] == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the inbound trunk "
        f"{before['inbound_trunk_id']} (changed: inbound_authorization_type, allowed_inbound_ips)"
    ]
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [IP_AUTH]
    on_ip = outputs(stack)
    assert on_ip["outbound_trunk_id"] == before["outbound_trunk_id"]
    assert on_ip["inbound_trunk_id"] != before["inbound_trunk_id"]
    assert on_ip["allowed_inbound_ips"] == ["203.0.113.10"]
    no_changes(stack, clean_emulator, program)

    specs["main"] = trunk_args(
        inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.10", "198.51.100.20"]
    )
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [
        {"allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"]}
    ]
    clean_emulator.clear_requests()

    specs["main"] = trunk_args()
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"inbound_authorization_type": "auth"}]
    back = outputs(stack)
    assert "allowed_inbound_ips" not in back
    assert live(clean_emulator, trunk_id).allowed_inbound_ips is None
    assert back["outbound_trunk_id"] == before["outbound_trunk_id"]
    no_changes(stack, clean_emulator, program)


def test_reordering_the_ip_list_is_no_change(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {
        "main": trunk_args(
            inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.10", "198.51.100.20"]
        )
    }
    program = deploy(stack, clean_emulator, specs)
    specs["main"] = trunk_args(
        inbound_authorization_type="ip", allowed_inbound_ips=["198.51.100.20", "203.0.113.10"]
    )
    no_changes(stack, clean_emulator, program)


def test_removing_the_nickname_sends_null(stack: Engine, clean_emulator: EmulatorProcess) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    trunk_id = stack.state.by_name("main", TYPE).id

    specs["main"] = trunk_args(nickname=None)
    preview = stack.preview(program)
    assert preview.op("main") == "update"
    assert [line for line in preview.diagnostics if line.startswith("autocalls:")] == []
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": None}]
    assert live(clean_emulator, trunk_id).nickname is None
    assert "nickname" not in outputs(stack)
    no_changes(stack, clean_emulator, program)


def test_changing_the_trunk_type_replaces_the_trunk_creating_first(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    old_id = stack.state.by_name("main", TYPE).id

    # An extension trunk becoming a DID trunk keeps username and address, changes the number:
    # no collision, so the replacement is created before the old trunk is deleted.
    specs["main"] = trunk_args(sip_trunk_type="number", phone_number="+14155551234")
    preview = stack.preview(program)
    assert preview.op("main") == "replace"
    assert api_calls(clean_emulator) == []
    stack.up(program)
    new_id = stack.state.by_name("main", TYPE).id
    assert new_id != old_id
    assert api_calls(clean_emulator) == [
        ("POST", TRUNKS),
        ("GET", f"{TRUNKS}/{old_id}"),
        ("DELETE", f"/api/user/phone-numbers/{old_id}"),
    ]
    no_changes(stack, clean_emulator, program)


def test_a_replacement_that_would_collide_deletes_the_old_trunk_first(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args(sip_trunk_type="number", phone_number="+14155551234")}
    program = deploy(stack, clean_emulator, specs)
    old_id = stack.state.by_name("main", TYPE).id

    # Same number, username and address, another type: both cannot exist at once (HTTP 409).
    specs["main"] = trunk_args(sip_trunk_type="extension", phone_number="+14155551234")
    preview = stack.preview(program)
    assert preview.op("main") == "replace"
    step = next(s for s in preview.steps_for("main") if s.diff is not None)
    assert step.diff is not None and step.diff.delete_before_replace
    stack.up(program)
    new_id = stack.state.by_name("main", TYPE).id
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{old_id}"),
        ("DELETE", f"/api/user/phone-numbers/{old_id}"),
        ("POST", TRUNKS),
    ]
    assert [t.id for t in client(clean_emulator).list_sip_trunks()] == [int(new_id)]
    no_changes(stack, clean_emulator, program)


def test_drift_made_outside_pulumi_shows_in_refresh_and_is_put_back(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    trunk_id = stack.state.by_name("main", TYPE).id
    with client(clean_emulator) as api:
        api.update_sip_trunk(
            trunk_id, {"nickname": "Edited in the dashboard", "sip_address": "x.example.com"}
        )
    clean_emulator.clear_requests()

    refreshed = stack.refresh()
    assert refreshed.op("main") == "update"
    assert api_calls(clean_emulator) == [("GET", f"{TRUNKS}/{trunk_id}")]
    state = stack.state.by_name("main", TYPE)
    assert state.outputs["nickname"] == state.inputs["nickname"] == "Edited in the dashboard"
    assert state.inputs["sip_password"] == Secret("s3cret-pass")
    clean_emulator.clear_requests()

    preview = stack.preview(program)
    assert preview.op("main") == "update"
    assert [line for line in preview.diagnostics if line.startswith("autocalls:")] == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{state.outputs['outbound_trunk_id']} (changed: sip_address)"
    ]
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [
        {"nickname": "Provider X - Main", "sip_address": "sip.provider.com"}
    ]
    assert live(clean_emulator, trunk_id).sip_address == "sip.provider.com"
    no_changes(stack, clean_emulator, program)


def test_a_trunk_deleted_outside_pulumi_is_dropped_by_refresh_and_created_again(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    program = deploy(stack, clean_emulator, specs)
    old_id = stack.state.by_name("main", TYPE).id
    with client(clean_emulator) as api:
        api.delete_sip_trunk(old_id)
    clean_emulator.clear_requests()

    refreshed = stack.refresh()
    assert refreshed.op("main") == "delete"
    assert len([r for r in stack.state if r.endswith("::main")]) == 0
    clean_emulator.clear_requests()

    assert stack.preview(program).op("main") == "create"
    stack.up(program)
    assert api_calls(clean_emulator) == [("POST", TRUNKS)]
    assert stack.state.by_name("main", TYPE).id != old_id
    no_changes(stack, clean_emulator, program)


def test_adopting_an_existing_trunk_sends_only_what_differs(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    with client(clean_emulator) as api:
        existing = api.create_sip_trunk(trunk_args(nickname="Made in the dashboard"))
    clean_emulator.clear_requests()

    specs = {"main": trunk_args(adopt_id=str(existing.id))}
    program = trunks_program(specs)
    stack.preview(program)
    assert api_calls(clean_emulator) == []
    stack.up(program)
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{existing.id}"),
        ("PUT", f"{TRUNKS}/{existing.id}"),
    ]
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": "Provider X - Main"}]
    state = stack.state.by_name("main", TYPE)
    assert state.id == str(existing.id)
    assert state.outputs["inbound_trunk_id"] == existing.inbound_trunk_id
    no_changes(stack, clean_emulator, program)

    stack.destroy()
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []


def test_adopting_a_missing_trunk_fails_clearly(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    program = trunks_program({"main": trunk_args(adopt_id="999999")})
    with pytest.raises(DeploymentFailed) as caught:
        stack.up(program)
    result = caught.value.result
    assert any(
        "get SIP trunk 999999 failed: HTTP 404 Not Found: SIP trunk not found." in e
        for e in result.errors
    )
    assert len([r for r in stack.state if r.endswith("::main")]) == 0


def test_a_read_only_get_reads_and_never_writes(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    import pulumi
    from pulumi_autocalls import SipTrunk

    with client(clean_emulator) as api:
        existing = api.create_sip_trunk(trunk_args())
    clean_emulator.clear_requests()

    def program() -> None:
        trunk = SipTrunk.get("watched", str(existing.id))
        pulumi.export("phone_number", trunk.phone_number)
        pulumi.export("outbound_trunk_id", trunk.outbound_trunk_id)

    preview = stack.preview(program)
    assert preview.op("watched") == "read"
    up = stack.up(program)
    assert up.outputs["phone_number"] == "1000"
    assert up.outputs["outbound_trunk_id"] == existing.outbound_trunk_id
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET"}
    clean_emulator.clear_requests()

    stack.destroy()
    assert api_calls(clean_emulator) == []
    with client(clean_emulator) as api:
        assert [t.id for t in api.list_sip_trunks()] == [existing.id]


def test_destroy_deletes_every_trunk(stack: Engine, clean_emulator: EmulatorProcess) -> None:
    specs = {
        f"trunk{n}": trunk_args(phone_number=str(2000 + n), nickname=f"Line {n}") for n in range(5)
    }
    program = deploy(stack, clean_emulator, specs)
    ids = sorted(stack.state.by_name(name, TYPE).id for name in specs)
    no_changes(stack, clean_emulator, program)

    stack.destroy()
    assert (
        sorted(path.rsplit("/", 1)[1] for m, path in api_calls(clean_emulator) if m == "DELETE")
        == ids
    )
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []


def test_removing_a_trunk_from_the_program_deletes_it(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    specs = {"keep": trunk_args(), "drop": trunk_args(phone_number="1001")}
    program = deploy(stack, clean_emulator, specs)
    dropped = stack.state.by_name("drop", TYPE).id
    del specs["drop"]
    assert stack.preview(program).op("drop") == "delete"
    assert api_calls(clean_emulator) == []
    stack.up(program)
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{dropped}"),
        ("DELETE", f"/api/user/phone-numbers/{dropped}"),
    ]
    no_changes(stack, clean_emulator, program)


def test_the_password_is_secret_everywhere_and_never_shown(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    import pulumi
    from pulumi_autocalls import SipTrunk

    password = "pw-canary-5f3a1"
    specs = {"main": trunk_args(sip_password=password)}

    def program() -> None:
        trunk = SipTrunk("main", **specs["main"])
        pulumi.export("password", trunk.sip_password)

    up = stack.up(program)
    state = stack.state.by_name("main", TYPE)
    assert state.inputs["sip_password"] == Secret(password)
    assert state.outputs["sip_password"] == Secret(password)
    assert up.outputs["password"] == Secret(password)
    assert stack.state_path is not None
    assert password not in stack.state_path.read_text()

    specs["main"] = trunk_args(sip_password="pw-canary-rotated")
    shown = [stack.preview(program), stack.up(program)]
    text = "\n".join(r.render() + "\n".join(r.diagnostics) for r in shown)
    assert "sip_password" in text
    assert password not in text and "pw-canary-rotated" not in text
    bodies = [r["body"] for r in clean_emulator.requests() if r["body"]]
    assert [body["sip_password"] for body in bodies] == ["***", "***"]
