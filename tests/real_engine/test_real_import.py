"""``pulumi import`` of a trunk made outside Pulumi, on the real CLI, as a user does it:
``pulumi-autocalls adopt ID --import-file import.json`` writes the import file (the trunk's inputs
and outputs, which Pulumi 3.254 and newer take as they are, so the engine never asks the dynamic
provider to read it) and prints the program; ``pulumi import --file`` brings the trunk in; the
first ``up`` records the password and trunk type the program declares without sending them, and
from then on the trunk is managed like any other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_engine import CliStack, Secret
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, api_calls, trunk_args

pytestmark = pytest.mark.real_engine
COMMAND = Path(sys.executable).parent / "pulumi-autocalls"


def test_an_imported_trunk_is_managed_without_being_sent_again(
    pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    with AutocallsClient(clean_emulator.api_keys[0], base_url=clean_emulator.base_url) as api:
        made = api.create_sip_trunk(trunk_args(nickname="Made in the dashboard"))
        record = api.get_sip_trunk(made.id)
    import_file = tmp_path / "import.json"
    printed = subprocess.run(
        [str(COMMAND), "adopt", str(made.id), "--import-file", str(import_file)],
        env={
            **os.environ,
            "AUTOCALLS_API_KEY": clean_emulator.api_keys[0],
            "AUTOCALLS_BASE_URL": clean_emulator.base_url,
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "adopt_id" not in printed.replace("# ", "")
    assert f"#   pulumi import --file {import_file} --protect=false" in printed
    stack = CliStack(
        pulumi_cli,
        tmp_path / "cli",
        project="trunks",
        config={
            "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
            "autocalls:baseUrl": clean_emulator.base_url,
            f"sipPassword{made.id}": Secret("s3cret-pass"),
        },
    )
    clean_emulator.clear_requests()

    assert "= 1 imported" in stack.import_resources(import_file)
    assert api_calls(clean_emulator) == []
    [imported] = [r for r in stack.resources() if r["urn"].endswith("::made-in-the-dashboard")]
    assert imported["id"] == str(made.id)
    assert "sip_password" not in imported["outputs"]

    # The program it printed declares the trunk as it is, with the password from the config.
    source = {"code": printed}

    def program() -> None:
        exec(compile(source["code"], "printed.py", "exec"), {"__name__": "__main__"})

    preview = stack.preview(program)
    assert preview.ops()["made-in-the-dashboard"] == "update"
    assert preview.messages("autocalls:") == [
        f"autocalls: SIP trunk {made.id}: the stack records sip_trunk_type and sip_password as "
        "the program declares them, without sending them (the API never shows them; the trunk "
        "was imported)"
    ]
    stack.up(program)
    assert api_calls(clean_emulator) == []
    assert stack.outputs_of("made-in-the-dashboard")["sip_password"] == "s3cret-pass"
    stack.preview(program, expect_no_changes=True)
    stack.up(program, expect_no_changes=True)
    stack.refresh(expect_no_changes=True)

    # A later password change is seen and sent, re-creating both voice trunks.
    stack.set_config(f"sipPassword{made.id}", Secret("n3w-pass"))
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
