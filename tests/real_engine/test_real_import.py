"""``pulumi import`` of a trunk made outside Pulumi, on the real CLI: the import file carries the
trunk's inputs and outputs (Pulumi 3.254 and newer), so the engine never asks the dynamic
provider to read it; the first ``up`` records the password and trunk type the program declares
without sending them, and from then on the trunk is managed like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_engine import CliStack, Secret
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls._dynamic.import_file import import_file
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, api_calls, trunk_args, trunks_program

pytestmark = pytest.mark.real_engine
TRUNKS = "/api/user/phone-numbers/sip-trunks"


def test_an_imported_trunk_is_managed_without_being_sent_again(
    pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    with AutocallsClient(clean_emulator.api_keys[0], base_url=clean_emulator.base_url) as api:
        made = api.create_sip_trunk(trunk_args(nickname="Made in the dashboard"))
        record = api.get_sip_trunk(made.id)
    path = tmp_path / "import.json"
    path.write_text(
        json.dumps(import_file({"main": record}, clean_emulator.base_url)), encoding="utf-8"
    )
    stack = CliStack(
        pulumi_cli,
        tmp_path / "cli",
        project="trunks",
        config={
            "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
            "autocalls:baseUrl": clean_emulator.base_url,
        },
    )
    clean_emulator.clear_requests()

    shown = stack.import_resources(path)
    assert "= 1 imported" in shown
    assert api_calls(clean_emulator) == []
    [imported] = [r for r in stack.resources() if r["urn"].endswith("::main")]
    assert imported["id"] == str(made.id)
    assert "sip_password" not in imported["outputs"]

    # The program declares what the trunk is, with the password and type the API never shows.
    specs = {"main": trunk_args(nickname="Made in the dashboard")}
    program = trunks_program(specs)
    preview = stack.preview(program)
    assert preview.ops()["main"] == "update"
    assert preview.messages("autocalls:") == [
        f"autocalls: SIP trunk {made.id}: the stack records sip_trunk_type and sip_password as "
        "the program declares them, without sending them (the API never shows them; the trunk "
        "was imported)"
    ]
    stack.up(program)
    assert api_calls(clean_emulator) == []
    assert stack.outputs_of("main")["sip_password"] == "s3cret-pass"
    stack.preview(program, expect_no_changes=True)
    stack.up(program, expect_no_changes=True)
    stack.refresh(expect_no_changes=True)

    # A later password change is seen and sent, re-creating both voice trunks.
    specs["main"] = trunk_args(nickname="Made in the dashboard", sip_password="n3w-pass")
    clean_emulator.clear_requests()
    preview = stack.preview(program)
    assert preview.messages("autocalls:") == [
        f"autocalls: SIP trunk {made.id}: this update re-creates the inbound trunk "
        f"{record.inbound_trunk_id} and the outbound trunk {record.outbound_trunk_id} "
        "(changed: sip_password)"
    ]
    stack.up(program)
    assert api_bodies(clean_emulator, "PUT") == [{"sip_password": "***"}]

    stack.destroy()
    assert api_calls(clean_emulator)[-1] == ("DELETE", f"/api/user/phone-numbers/{made.id}")
