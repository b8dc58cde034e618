"""examples/fleet's README on editing one entry of the fleet's list, checked with the real Pulumi
CLI's ``pulumi config`` (which needs no program): on a list set as a JSON string, ``--path``
replaces the whole list; on the README's YAML form, it edits the one entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_engine import CliStack

pytestmark = pytest.mark.real_engine

README = Path(__file__).resolve().parents[2] / "examples" / "fleet" / "README.md"
PROJECT = "autocalls-fleet"
TRUNKS = [
    {"name": "reception", "phone_number": "1000", "sip_username": "reception"},
    {"name": "sales", "phone_number": "1001", "sip_username": "sales", "nickname": "Sales"},
]


def config_value(stack: CliStack, key: str) -> object:
    shown = stack.run("config", "get", key, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(json.loads(shown.stdout)["value"])


def set_path(stack: CliStack, path: str, value: str) -> None:
    done = stack.run("config", "set", "--path", path, value)
    assert done.returncode == 0, done.stderr


def test_a_path_set_replaces_a_list_that_is_a_json_string(pulumi_cli: Path, tmp_path: Path) -> None:
    stack = CliStack(pulumi_cli, tmp_path, project=PROJECT)
    assert stack.run("config", "set", "trunks", json.dumps(TRUNKS)).returncode == 0
    set_path(stack, "trunks[1].nickname", "Sales team")
    assert config_value(stack, "trunks") == [None, {"nickname": "Sales team"}]


def test_a_path_set_edits_one_entry_of_the_readmes_yaml(pulumi_cli: Path, tmp_path: Path) -> None:
    yaml = README.read_text(encoding="utf-8").partition("<!-- example:fleet-yaml -->\n```yaml\n")
    block = yaml[2].partition("```")[0]
    assert block.startswith("config:\n")
    stack = CliStack(pulumi_cli, tmp_path, project=PROJECT)
    settings = stack.work_dir / "Pulumi.dev.yaml"
    kept = settings.read_text(encoding="utf-8").partition("config:")[0] if settings.exists() else ""
    settings.write_text(kept + block, encoding="utf-8")

    set_path(stack, "trunks[1].nickname", "Sales team")
    set_path(stack, "defaults.sip_address", "pbx2.example.com")
    trunks = config_value(stack, "trunks")
    assert isinstance(trunks, list)
    assert [entry["name"] for entry in trunks] == ["reception", "sales", "support"]
    assert trunks[1] == {
        "name": "sales",
        "phone_number": "1001",
        "sip_username": "sales",
        "nickname": "Sales team",
    }
    defaults = config_value(stack, "defaults")
    assert isinstance(defaults, dict)
    assert defaults["sip_address"] == "pbx2.example.com"
    assert defaults["sip_calling_format"] == "+e164"
