"""SipTrunk on both engines (the engine harness and the real Pulumi CLI) against the emulator:
Pulumi's acceptance sequence.

Every test follows preview, up, no-change preview and up, no-change refresh, edits, destroy, and
asserts on the emulator's request journal: what reached the API, in which order, with which body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from engine_harness import Secret
from engines import StackDriver
from pulumi_autocalls import AutocallsClient, SipTrunkRecord
from pulumi_autocalls._core.fields import FIELDS, VoiceTrunk
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EDITS, IP_AUTH, api_bodies, api_calls, trunk_args, trunks_program

TRUNKS = "/api/user/phone-numbers/sip-trunks"
MakeStack = Callable[..., StackDriver]


def client(emulator: EmulatorProcess) -> AutocallsClient:
    return AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url)


def live(emulator: EmulatorProcess, trunk_id: str) -> SipTrunkRecord:
    with client(emulator) as api:
        return api.get_sip_trunk(trunk_id)


def trunk_stack(make_stack: MakeStack, emulator: EmulatorProcess, program: Any) -> StackDriver:
    """A new stack of ``program`` whose provider talks to ``emulator``."""
    config = {
        "autocalls:apiKey": Secret(emulator.api_keys[0]),
        "autocalls:baseUrl": emulator.base_url,
    }
    return make_stack(program, project="trunks", config=config)


def deploy(make_stack: MakeStack, emulator: EmulatorProcess, specs: dict[str, Any]) -> StackDriver:
    """Preview and up a new stack of ``specs``, checking both against the API, export and import
    its state, then clear the journal."""
    stack = trunk_stack(make_stack, emulator, trunks_program(specs))
    preview = stack.preview()
    assert api_calls(emulator) == []
    assert set(preview.changes) == {"create"}
    stack.up()
    assert api_calls(emulator) == [("POST", TRUNKS)] * len(specs)
    stack.reload_state()
    emulator.clear_requests()
    return stack


def no_changes(stack: StackDriver, emulator: EmulatorProcess) -> None:
    """The second half of the acceptance sequence: nothing to do, and the API hears nothing but
    the refresh's reads."""
    emulator.clear_requests()
    stack.preview(expect_no_changes=True)
    stack.up(expect_no_changes=True)
    assert api_calls(emulator) == []
    stack.refresh(expect_no_changes=True)
    assert {method for method, _ in api_calls(emulator)} <= {"GET"}
    emulator.clear_requests()


def test_acceptance_sequence_of_one_trunk(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack = trunk_stack(make_stack, clean_emulator, trunks_program({"main": trunk_args()}))

    preview = stack.preview()
    assert api_calls(clean_emulator) == []
    assert preview.ops == {"trunks-dev": "create", "main": "create"}

    up = stack.up()
    assert api_calls(clean_emulator) == [("POST", TRUNKS)]
    expected_body = trunk_args(sip_password="***", outbound_proxy=False)
    assert api_bodies(clean_emulator, "POST") == [expected_body]
    trunk_id = stack.resource_id("main")
    record = live(clean_emulator, trunk_id)
    assert up.outputs["main_id"] == trunk_id == str(record.id)
    assert up.outputs["main_inbound_trunk_id"] == record.inbound_trunk_id
    outputs = stack.resource_outputs("main")
    assert outputs == {
        **trunk_args(),
        "outbound_proxy": False,
        "inbound_trunk_id": record.inbound_trunk_id,
        "outbound_trunk_id": record.outbound_trunk_id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "api_base_url": clean_emulator.base_url,
        "__provider": outputs["__provider"],
    }
    assert stack.secret_outputs("main") == {"sip_password", "__provider"}
    stack.reload_state()

    no_changes(stack, clean_emulator)

    destroyed = stack.destroy()
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{trunk_id}"),
        ("DELETE", f"/api/user/phone-numbers/{trunk_id}"),
    ]
    assert destroyed.changes == {"delete": 2}
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []
    assert stack.resource_names() == []


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
    make_stack: MakeStack, clean_emulator: EmulatorProcess, row: Any
) -> None:
    specs = {"main": trunk_args()}
    stack = deploy(make_stack, clean_emulator, specs)
    trunk_id = stack.resource_id("main")
    before = stack.resource_outputs("main")

    specs["main"] = trunk_args(**{row.name: EDITS[row.name]})
    preview = stack.preview()
    assert api_calls(clean_emulator) == []
    assert preview.ops["main"] == "update"
    recreated = set(row.recreates)
    if recreated:
        assert preview.notices == [expected_notice(trunk_id, before, recreated, row.name)]
    else:
        assert preview.notices == []

    stack.up()
    sent = EDITS[row.name] if row.name != "sip_password" else "***"
    assert api_calls(clean_emulator) == [("PUT", f"{TRUNKS}/{trunk_id}")]
    assert api_bodies(clean_emulator, "PUT") == [{row.name: sent}]

    after = stack.resource_outputs("main")
    record = live(clean_emulator, trunk_id)
    for trunk in VoiceTrunk:
        key = f"{trunk.value}_trunk_id"
        assert after[key] == getattr(record, key)
        assert (after[key] != before[key]) is (trunk in recreated), key
    assert after["updated_at"] == record.updated_at != before["updated_at"]
    assert after["created_at"] == before["created_at"]
    assert after[row.name] == EDITS[row.name]
    assert (row.name in stack.secret_outputs("main")) is row.secret

    no_changes(stack, clean_emulator)


def test_switching_to_ip_auth_and_back(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    stack = deploy(make_stack, clean_emulator, specs)
    trunk_id = stack.resource_id("main")
    before = stack.resource_outputs("main")

    specs["main"] = trunk_args(**IP_AUTH)
    preview = stack.preview()
    assert api_calls(clean_emulator) == []
    assert preview.notices == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the inbound trunk "
        f"{before['inbound_trunk_id']} (changed: inbound_authorization_type, allowed_inbound_ips)"
    ]
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [IP_AUTH]
    on_ip = stack.resource_outputs("main")
    assert on_ip["outbound_trunk_id"] == before["outbound_trunk_id"]
    assert on_ip["inbound_trunk_id"] != before["inbound_trunk_id"]
    assert on_ip["allowed_inbound_ips"] == ["203.0.113.10"]
    no_changes(stack, clean_emulator)

    specs["main"] = trunk_args(
        inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.10", "198.51.100.20"]
    )
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [
        {"allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"]}
    ]
    clean_emulator.clear_requests()

    specs["main"] = trunk_args()
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [{"inbound_authorization_type": "auth"}]
    back = stack.resource_outputs("main")
    assert "allowed_inbound_ips" not in back
    assert live(clean_emulator, trunk_id).allowed_inbound_ips is None
    assert back["outbound_trunk_id"] == before["outbound_trunk_id"]
    no_changes(stack, clean_emulator)


def test_reordering_the_ip_list_is_no_change(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {
        "main": trunk_args(
            inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.10", "198.51.100.20"]
        )
    }
    stack = deploy(make_stack, clean_emulator, specs)
    specs["main"] = trunk_args(
        inbound_authorization_type="ip", allowed_inbound_ips=["198.51.100.20", "203.0.113.10"]
    )
    no_changes(stack, clean_emulator)


def test_removing_the_nickname_sends_null(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    stack = deploy(make_stack, clean_emulator, specs)
    trunk_id = stack.resource_id("main")

    specs["main"] = trunk_args(nickname=None)
    preview = stack.preview()
    assert preview.ops["main"] == "update"
    assert preview.notices == []
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": None}]
    assert live(clean_emulator, trunk_id).nickname is None
    assert "nickname" not in stack.resource_outputs("main")
    no_changes(stack, clean_emulator)


def test_changing_the_trunk_type_replaces_the_trunk_creating_first(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args()}
    stack = deploy(make_stack, clean_emulator, specs)
    old_id = stack.resource_id("main")

    # An extension trunk becoming a DID trunk keeps username and address, changes the number:
    # no collision, so the replacement is created before the old trunk is deleted.
    specs["main"] = trunk_args(sip_trunk_type="number", phone_number="+14155551234")
    preview = stack.preview()
    assert preview.ops["main"] == "replace"
    assert [op for op, name in preview.steps if name == "main"] == [
        "create-replacement",
        "replace",
        "delete-replaced",
    ]
    assert api_calls(clean_emulator) == []
    stack.up()
    new_id = stack.resource_id("main")
    assert new_id != old_id
    assert api_calls(clean_emulator) == [
        ("POST", TRUNKS),
        ("GET", f"{TRUNKS}/{old_id}"),
        ("DELETE", f"/api/user/phone-numbers/{old_id}"),
    ]
    no_changes(stack, clean_emulator)


def test_a_replacement_that_would_collide_deletes_the_old_trunk_first(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {"main": trunk_args(sip_trunk_type="number", phone_number="+14155551234")}
    stack = deploy(make_stack, clean_emulator, specs)
    old_id = stack.resource_id("main")

    # Same number, username and address, another type: both cannot exist at once (HTTP 409).
    specs["main"] = trunk_args(sip_trunk_type="extension", phone_number="+14155551234")
    preview = stack.preview()
    assert preview.ops["main"] == "replace"
    assert [op for op, name in preview.steps if name == "main"] == [
        "delete-replaced",
        "replace",
        "create-replacement",
    ]
    stack.up()
    new_id = stack.resource_id("main")
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{old_id}"),
        ("DELETE", f"/api/user/phone-numbers/{old_id}"),
        ("POST", TRUNKS),
    ]
    assert [t.id for t in client(clean_emulator).list_sip_trunks()] == [int(new_id)]
    no_changes(stack, clean_emulator)


def test_drift_made_outside_pulumi_shows_in_refresh_and_is_put_back(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack = deploy(make_stack, clean_emulator, {"main": trunk_args()})
    trunk_id = stack.resource_id("main")
    with client(clean_emulator) as api:
        api.update_sip_trunk(
            trunk_id, {"nickname": "Edited in the dashboard", "sip_address": "x.example.com"}
        )
    clean_emulator.clear_requests()

    refreshed = stack.refresh()
    assert refreshed.changes == {"update": 1}
    assert api_calls(clean_emulator) == [("GET", f"{TRUNKS}/{trunk_id}")]
    inputs, outputs = stack.resource_inputs("main"), stack.resource_outputs("main")
    assert outputs["nickname"] == inputs["nickname"] == "Edited in the dashboard"
    assert inputs["sip_password"] == "s3cret-pass"
    clean_emulator.clear_requests()

    preview = stack.preview()
    assert preview.ops["main"] == "update"
    assert preview.notices == [
        f"autocalls: SIP trunk {trunk_id}: this update re-creates the outbound trunk "
        f"{outputs['outbound_trunk_id']} (changed: sip_address)"
    ]
    stack.up()
    assert api_bodies(clean_emulator, "PUT") == [
        {"nickname": "Provider X - Main", "sip_address": "sip.provider.com"}
    ]
    assert live(clean_emulator, trunk_id).sip_address == "sip.provider.com"
    no_changes(stack, clean_emulator)


def test_a_trunk_deleted_outside_pulumi_is_dropped_by_refresh_and_created_again(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack = deploy(make_stack, clean_emulator, {"main": trunk_args()})
    old_id = stack.resource_id("main")
    with client(clean_emulator) as api:
        api.delete_sip_trunk(old_id)
    clean_emulator.clear_requests()

    refreshed = stack.refresh()
    assert refreshed.changes == {"delete": 1}
    assert stack.resource_names() == []
    clean_emulator.clear_requests()

    assert stack.preview().ops["main"] == "create"
    stack.up()
    assert api_calls(clean_emulator) == [("POST", TRUNKS)]
    assert stack.resource_id("main") != old_id
    no_changes(stack, clean_emulator)


def test_adopting_an_existing_trunk_sends_only_what_differs(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    with client(clean_emulator) as api:
        existing = api.create_sip_trunk(trunk_args(nickname="Made in the dashboard"))
    clean_emulator.clear_requests()

    program = trunks_program({"main": trunk_args(adopt_id=str(existing.id))})
    stack = trunk_stack(make_stack, clean_emulator, program)
    stack.preview()
    assert api_calls(clean_emulator) == []
    stack.up()
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{existing.id}"),
        ("PUT", f"{TRUNKS}/{existing.id}"),
    ]
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": "Provider X - Main"}]
    assert stack.resource_id("main") == str(existing.id)
    assert stack.resource_outputs("main")["inbound_trunk_id"] == existing.inbound_trunk_id
    no_changes(stack, clean_emulator)

    stack.destroy()
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []


def test_adopting_a_missing_trunk_fails_clearly(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    program = trunks_program({"main": trunk_args(adopt_id="999999")})
    stack = trunk_stack(make_stack, clean_emulator, program)
    failed = stack.failure("up")
    assert failed.errors["main"].splitlines()[0] == (
        "autocalls: get SIP trunk 999999 failed: HTTP 404 Not Found: SIP trunk not found. adopt_id "
        "names SIP trunk 999999, which does not exist (deleted, or a typo): remove adopt_id to "
        "create a new trunk, or set it to the id of an existing one."
    )
    assert stack.resource_names() == []
    assert set(api_calls(clean_emulator)) == {("GET", f"{TRUNKS}/999999")}


def adopted(make_stack: MakeStack, emulator: EmulatorProcess) -> tuple[StackDriver, dict[str, Any]]:
    """A stack that adopted a trunk made outside it; its specs, for edits."""
    with client(emulator) as api:
        existing = api.create_sip_trunk(trunk_args())
    specs = {"main": trunk_args(adopt_id=str(existing.id))}
    stack = trunk_stack(make_stack, emulator, trunks_program(specs))
    stack.up()
    assert stack.resource_id("main") == str(existing.id)
    emulator.clear_requests()
    return stack, specs


def test_adopt_id_may_be_removed_after_the_first_up(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack, specs = adopted(make_stack, clean_emulator)
    trunk_id = stack.resource_id("main")
    specs["main"] = trunk_args()
    no_changes(stack, clean_emulator)
    assert stack.resource_id("main") == trunk_id

    specs["main"] = trunk_args(nickname="Managed now")
    stack.up()
    assert api_calls(clean_emulator) == [("PUT", f"{TRUNKS}/{trunk_id}")]
    assert api_bodies(clean_emulator, "PUT") == [{"nickname": "Managed now"}]


def test_an_adopted_trunk_deleted_outside_pulumi_is_not_created_again_silently(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack, specs = adopted(make_stack, clean_emulator)
    trunk_id = stack.resource_id("main")
    with client(clean_emulator) as api:
        api.delete_sip_trunk(trunk_id)
    specs["main"] = trunk_args(adopt_id=trunk_id, nickname="Edited")
    assert (
        f"update SIP trunk {trunk_id} failed: HTTP 404 Not Found: SIP trunk not found. It was "
        "deleted outside Pulumi: 'pulumi refresh' drops it from the stack; then remove adopt_id "
        "from the program for 'pulumi up' to create a new trunk (or point adopt_id at an existing "
        "one)."
    ) in " ".join(stack.failure("up").text.split())

    stack.refresh()
    assert stack.resource_names() == []
    clean_emulator.clear_requests()

    shown = " ".join(stack.failure("up").text.split())
    assert (
        f"adopt_id names SIP trunk {trunk_id}, which does not exist (deleted, or a typo): remove "
        "adopt_id to create a new trunk, or set it to the id of an existing one."
    ) in shown
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET"}

    specs["main"] = trunk_args()
    stack.up()
    assert ("POST", TRUNKS) in api_calls(clean_emulator)
    assert stack.resource_id("main") != trunk_id


def test_a_replacement_while_adopt_id_is_set_is_refused_in_preview(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack, specs = adopted(make_stack, clean_emulator)
    trunk_id = stack.resource_id("main")
    specs["main"] = trunk_args(
        adopt_id=trunk_id, sip_trunk_type="number", phone_number="+14155551234"
    )
    shown = " ".join(stack.failure("preview").text.split())
    assert (
        "changing sip_trunk_type replaces the trunk, and with adopt_id still set the replacement "
        f"would take over SIP trunk {trunk_id} itself, which would then be deleted: remove "
        "adopt_id first (only the first up reads it)"
    ) in shown
    assert api_calls(clean_emulator) == []

    specs["main"] = trunk_args(sip_trunk_type="number", phone_number="+14155551234")
    assert stack.preview().ops["main"] == "replace"


def test_a_read_only_get_reads_and_never_writes(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
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

    stack = trunk_stack(make_stack, clean_emulator, program)
    preview = stack.preview()
    assert preview.ops["watched"] == "read"
    up = stack.up()
    assert up.outputs["phone_number"] == "1000"
    assert up.outputs["outbound_trunk_id"] == existing.outbound_trunk_id
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET"}
    clean_emulator.clear_requests()

    stack.destroy()
    assert api_calls(clean_emulator) == []
    with client(clean_emulator) as api:
        assert [t.id for t in api.list_sip_trunks()] == [existing.id]


def test_destroy_deletes_every_trunk(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {
        f"trunk{n}": trunk_args(phone_number=str(2000 + n), nickname=f"Line {n}") for n in range(5)
    }
    stack = deploy(make_stack, clean_emulator, specs)
    ids = sorted(stack.resource_id(name) for name in specs)
    no_changes(stack, clean_emulator)

    stack.destroy()
    assert (
        sorted(path.rsplit("/", 1)[1] for m, path in api_calls(clean_emulator) if m == "DELETE")
        == ids
    )
    with client(clean_emulator) as api:
        assert api.list_sip_trunks() == []


def test_removing_a_trunk_from_the_program_deletes_it(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    specs = {"keep": trunk_args(), "drop": trunk_args(phone_number="1001")}
    stack = deploy(make_stack, clean_emulator, specs)
    dropped = stack.resource_id("drop")
    del specs["drop"]
    assert stack.preview().ops["drop"] == "delete"
    assert api_calls(clean_emulator) == []
    stack.up()
    assert api_calls(clean_emulator) == [
        ("GET", f"{TRUNKS}/{dropped}"),
        ("DELETE", f"/api/user/phone-numbers/{dropped}"),
    ]
    no_changes(stack, clean_emulator)


def test_the_password_is_secret_everywhere_and_never_shown(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    import pulumi
    from pulumi_autocalls import SipTrunk

    password = "pw-canary-5f3a1"
    specs = {"main": trunk_args(sip_password=password)}

    def program() -> None:
        trunk = SipTrunk("main", **specs["main"])
        pulumi.export("password", trunk.sip_password)

    stack = trunk_stack(make_stack, clean_emulator, program)
    up = stack.up()
    assert stack.resource_inputs("main")["sip_password"] == password
    assert stack.resource_outputs("main")["sip_password"] == password
    assert "sip_password" in stack.secret_outputs("main")
    assert up.outputs["password"] == password
    assert password not in stack.state_text()

    specs["main"] = trunk_args(sip_password="pw-canary-rotated")
    shown = [stack.preview(), stack.up()]
    text = "\n".join(r.text + "\n".join(r.notices) for r in shown)
    assert "sip_password" in text
    assert password not in text and "pw-canary-rotated" not in text
    bodies = [r["body"] for r in clean_emulator.requests() if r["body"]]
    assert [body["sip_password"] for body in bodies] == ["***", "***"]
