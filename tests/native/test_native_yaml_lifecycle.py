"""The native provider on the real Pulumi CLI: a YAML program (the YAML language host built from
Go modules) walks Pulumi's acceptance sequence against the emulator, with one edit that re-creates
the outbound voice trunk, and the secret scan of the state and everything the CLI printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_autocalls._core.fields import FIELDS, VoiceTrunk
from pulumi_autocalls._native.naming import schema_name
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EDITS, TRUNKS_PATH, trunk_args

pytestmark = pytest.mark.real_engine

PASSWORD = "canary-Pass-7391"
PROGRAM = """\
name: native-trunks
runtime: yaml
config:
  sipPassword:
    type: string
    secret: true
resources:
  main:
    type: autocalls:index:SipTrunk
    properties:
      sipTrunkType: extension
      phoneNumber: "1000"
      nickname: Provider X - Main
      sipUsername: myuser
      sipPassword: ${{sipPassword}}
      sipAddress: {sip_address}
      sipCallingFormat: "+e164"
      inboundAuthorizationType: auth
      countryCode: US
{imported}outputs:
  inboundTrunkId: ${{main.inboundTrunkId}}
  outboundTrunkId: ${{main.outboundTrunkId}}
"""
OUTSIDE = {
    "sip_trunk_type": "extension",
    "phone_number": "2000",
    "nickname": "Made outside",
    "sip_username": "bob",
    "sip_password": PASSWORD,
    "sip_address": "sip.outside.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}
IMPORTED = """\
  outside:
    type: autocalls:index:SipTrunk
    properties:
      sipTrunkType: extension
      sipPassword: ${sipPassword}
      countryCode: US
      inboundAuthorizationType: auth
      nickname: Made outside
      outboundProxy: false
      phoneNumber: "2000"
      sipAddress: sip.outside.com
      sipCallingFormat: "+e164"
      sipUsername: bob
"""
ROWS_PROGRAM = """\
name: native-rows
runtime: yaml
config:
  sipPassword:
    type: string
    secret: true
resources:
  main:
    type: autocalls:index:SipTrunk
    properties:
      sipPassword: ${{sipPassword}}
{properties}outputs:
  id: ${{main.id}}
  inboundTrunkId: ${{main.inboundTrunkId}}
  outboundTrunkId: ${{main.outboundTrunkId}}
"""


class YamlProject:
    """A YAML project in a hermetic Pulumi home and file backend, run by the real CLI."""

    def __init__(self, root: Path, cli: Path, emulator: EmulatorProcess) -> None:
        self.directory = root / "program"
        self.directory.mkdir()
        self.printed: list[str] = []
        self.env = {
            "PATH": os.pathsep.join(
                [str(cli), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "HOME": str(root),
            "PULUMI_HOME": str(root / "pulumi-home"),
            "PULUMI_BACKEND_URL": (root / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "test-passphrase",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "AUTOCALLS_API_KEY": emulator.api_keys[0],
            "AUTOCALLS_BASE_URL": emulator.base_url,
        }
        (root / "state").mkdir()

    def write(self, sip_address: str, imported: str = "") -> None:
        program = PROGRAM.format(sip_address=sip_address, imported=imported)
        (self.directory / "Pulumi.yaml").write_text(program)

    def write_trunk(self, args: dict[str, Any]) -> None:
        """A program of one trunk ``main`` with ``args`` (snake_case, as ``trunk_args``); its
        password comes from the secret config value ``sipPassword``."""
        properties = "".join(
            f"      {schema_name(name)}: {json.dumps(value)}\n"
            for name, value in args.items()
            if name != "sip_password"
        )
        program = ROWS_PROGRAM.format(properties=properties)
        (self.directory / "Pulumi.yaml").write_text(program)

    def pulumi(self, *args: str) -> str:
        done = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.printed += [done.stdout, done.stderr]
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def outputs(self) -> dict[str, Any]:
        outputs: dict[str, Any] = json.loads(self.pulumi("stack", "output", "--json"))
        return outputs


def _steps(preview_json: str) -> dict[str, dict[str, Any]]:
    return {step["urn"].rsplit("::", 1)[1]: step for step in json.loads(preview_json)["steps"]}


def test_yaml_program_on_the_native_provider(
    pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    project = YamlProject(tmp_path, pulumi_cli, clean_emulator)
    project.write("sip.provider.com")
    project.pulumi("stack", "init", "dev")
    project.pulumi("config", "set", "--secret", "sipPassword", PASSWORD)

    preview = _steps(project.pulumi("preview", "--json"))
    assert preview["main"]["op"] == "create"
    assert clean_emulator.requests() == []

    project.pulumi("up", "--yes")
    created = project.outputs()
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("refresh", "--yes", "--expect-no-changes")

    project.write("sip2.provider.com")
    clean_emulator.clear_requests()
    planned = _steps(project.pulumi("preview", "--json"))["main"]
    assert planned["op"] == "update"
    assert planned["detailedDiff"] == {
        "sipAddress": {"kind": "update", "inputDiff": True},
        "outboundTrunkId": {"kind": "update", "inputDiff": False},
    }
    # The planned outputs: the outbound trunk id becomes unknown, the inbound one stays known.
    diff = project.pulumi("preview", "--diff")
    assert f'- outboundTrunkId: "{created["outboundTrunkId"]}"' in diff
    assert "inboundTrunkId" not in diff.split("Outputs:")[0]
    assert clean_emulator.requests() == []

    shown = project.pulumi("up", "--yes")
    notice = (
        f"SIP trunk {clean_emulator.requests()[0]['path'].rsplit('/', 1)[1]}: this update "
        f"re-creates the outbound trunk {created['outboundTrunkId']} (changed: sipAddress)"
    )
    row = "autocalls:index:SipTrunk main update [diff: ~outboundTrunkId,sipAddress]"
    assert f"{row}; warning: {notice}" in shown
    assert [(r["method"], r["body"]) for r in clean_emulator.requests()] == [
        ("PUT", {"sip_address": "sip2.provider.com"})
    ]
    updated = project.outputs()
    assert updated["inboundTrunkId"] == created["inboundTrunkId"]
    assert updated["outboundTrunkId"] != created["outboundTrunkId"]

    # A trunk made outside Pulumi, imported: the generated code has no password or trunk type
    # (the API never shows them); the program adds both, and the first up records them unsent.
    api = httpx.Client(
        base_url=clean_emulator.root_url,
        headers={"Authorization": f"Bearer {clean_emulator.api_keys[0]}"},
    )
    made = api.post(TRUNKS_PATH, json=OUTSIDE).json()["data"]["id"]
    generated = tmp_path / "generated.yaml"
    project.pulumi(
        "import",
        "autocalls:index:SipTrunk",
        "outside",
        str(made),
        "--yes",
        "--protect=false",
        "--out",
        str(generated),
    )
    assert "sipPassword" not in generated.read_text()
    assert "sipTrunkType" not in generated.read_text()
    project.write("sip2.provider.com", imported=IMPORTED)
    clean_emulator.clear_requests()
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("up", "--yes", "--expect-no-changes")
    assert clean_emulator.requests() == []

    state = project.pulumi("stack", "export")
    recorded = {
        r["urn"].rsplit("::", 1)[1]: r for r in json.loads(state)["deployment"]["resources"]
    }
    assert recorded["outside"]["inputs"]["sipTrunkType"] == "extension"
    assert "ciphertext" in recorded["outside"]["inputs"]["sipPassword"]
    project.pulumi("destroy", "--yes")
    assert api.get(TRUNKS_PATH).json() == {"data": []}
    assert PASSWORD not in state
    assert clean_emulator.api_keys[0] not in state
    assert not [text for text in project.printed if PASSWORD in text]


ROWS = [field for field in FIELDS if field.name in EDITS]


def test_each_row_of_the_field_table_on_the_native_provider(
    pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """One stack, one edit after another: each preview's detailedDiff marks exactly the voice
    trunk ids the row re-creates and sends nothing; each up sends one PUT of that field."""
    project = YamlProject(tmp_path, pulumi_cli, clean_emulator)
    args = trunk_args()
    project.write_trunk(args)
    project.pulumi("stack", "init", "dev")
    project.pulumi("config", "set", "--secret", "sipPassword", args["sip_password"])
    project.pulumi("up", "--yes")
    before = project.outputs()

    for row in ROWS:
        args[row.name] = EDITS[row.name]
        if row.secret:
            project.pulumi("config", "set", "--secret", "sipPassword", EDITS[row.name])
        project.write_trunk(args)
        clean_emulator.clear_requests()

        planned = _steps(project.pulumi("preview", "--json"))["main"]
        assert clean_emulator.requests() == [], row.name
        assert planned["detailedDiff"] == {
            row.schema_name: {"kind": "update", "inputDiff": True},
            **{
                f"{trunk.value}TrunkId": {"kind": "update", "inputDiff": False}
                for trunk in row.recreates
            },
        }, row.name

        project.pulumi("up", "--yes")
        sent = "***" if row.secret else EDITS[row.name]
        assert [(r["method"], r["body"]) for r in clean_emulator.requests()] == [
            ("PUT", {row.name: sent})
        ], row.name
        after = project.outputs()
        for trunk in VoiceTrunk:
            key = f"{trunk.value}TrunkId"
            assert (after[key] != before[key]) is (trunk in row.recreates), (row.name, key)
        before = after

    project.pulumi("destroy", "--yes")
