"""The native provider's examples in each language walk Pulumi's acceptance sequence on the real
CLI against the emulator, one stack per language: preview, up, a preview with no changes, an
edit that re-creates the outbound voice trunk (previewed: its detailedDiff and the warning on
the trunk's row; applied: the row as the CLI prints it and the PUT body), destroy.

No Node.js or Go language host can be built from the Go module proxy, so the TypeScript and Go
programs run as Automation API inline programs of their own language (tests/sdks/automation.ts,
tests/sdks/automation_test.go) on the same CLI, engine, state and plugin as `pulumi up`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi_autocalls.emulator import EmulatorProcess

pytestmark = pytest.mark.real_engine

PASSWORDS = ("s3cret-pass", "did-s3cret")
EXAMPLE_CONFIG = {
    "sipPassword": (PASSWORDS[0], True),
    "didPhoneNumber": ("+14155551234", False),
    "didSipUsername": ("did-user", False),
    "didSipPassword": (PASSWORDS[1], True),
    "didSipAddress": ("sip.carrier.example", False),
    "allowedInboundIps": ('["203.0.113.10", "198.51.100.20"]', False),
}
"""Every example's stack config (key: value, secret), as its README sets it."""
EDIT = {"sipAddress": ("sip2.provider.com", False), "nickname": ("Provider X - Backup", False)}
"""The README's edit: a new SIP server re-creates the outbound voice trunk; the nickname is free."""

Config = dict[str, tuple[str, bool]]


@dataclass
class Run:
    """What one operation did: the CLI's output, the summary, the stack outputs, and, from the
    engine's events, the trunks' steps and the warnings by resource name ("" for none)."""

    stdout: str
    summary: dict[str, int]
    outputs: dict[str, Any]
    steps: dict[str, dict[str, Any]]
    warnings: dict[str, list[str]] = field(default_factory=dict)


def read_run(answer: dict[str, Any]) -> Run:
    steps = {
        step["urn"].rsplit("::", 1)[1]: step
        for step in answer["steps"]
        if "::autocalls:index:SipTrunk::" in step["urn"]
    }
    warnings: dict[str, list[str]] = {}
    for diagnostic in answer["diagnostics"]:
        if diagnostic["severity"] == "warning":
            name = diagnostic["urn"].rsplit("::", 1)[1] if diagnostic["urn"] else ""
            warnings.setdefault(name, []).append(diagnostic["message"].strip())
    return Run(answer["stdout"], answer["summary"] or {}, answer["outputs"], steps, warnings)


class AutomationStack:
    """One stack of an example, run operation by operation by that language's runner."""

    def __init__(
        self, runner: list[str], work_dir: Path, root: Path, cli: Path, *, by_file: bool
    ) -> None:
        self.runner = runner
        self.work_dir = work_dir
        self.root = root
        self.by_file = by_file
        (root / "state").mkdir()
        self.env = {
            **os.environ,
            # The CLI, and pulumi-resource-autocalls as `pip install` puts it on PATH.
            "PATH": os.pathsep.join(
                [str(cli), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "PULUMI_HOME": str(root / "pulumi-home"),
            "PULUMI_BACKEND_URL": (root / "state").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "test-passphrase",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        }

    def run(self, op: str, config: Config) -> Run:
        request = json.dumps(
            {
                "op": op,
                "stack": "dev",
                "workDir": str(self.work_dir),
                "program": str(self.work_dir / "bin" / "index.js"),
                "config": {k: {"value": v, "secret": s} for k, (v, s) in config.items()},
            }
        )
        env = dict(self.env)
        if self.by_file:
            (self.root / "request.json").write_text(request)
            env["AUTOCALLS_AUTOMATION_REQUEST"] = str(self.root / "request.json")
            env["AUTOCALLS_AUTOMATION_RESULT"] = str(self.root / "result.json")
        done = subprocess.run(
            self.runner,
            input=request,
            cwd=self.work_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        text = (self.root / "result.json").read_text() if self.by_file else done.stdout
        answer: dict[str, Any] = json.loads(text)
        return read_run(answer)


def typescript_stack(request: pytest.FixtureRequest, cli: Path, root: Path) -> AutomationStack:
    example: Path = request.getfixturevalue("typescript_example")
    runner = ["node", str(example.parent / "automation.js")]
    return AutomationStack(runner, example, root, cli, by_file=False)


def go_stack(request: pytest.FixtureRequest, cli: Path, root: Path) -> AutomationStack:
    example: Path = request.getfixturevalue("go_example")
    runner = [str(example / "runner"), "-test.run", "^TestAutomation$"]
    return AutomationStack(runner, example, root, cli, by_file=True)


STACKS: dict[str, Callable[[pytest.FixtureRequest, Path, Path], AutomationStack]] = {
    "typescript": typescript_stack,
    "go": go_stack,
}


@pytest.mark.parametrize("language", sorted(STACKS))
def test_the_example_walks_the_acceptance_sequence(
    language: str,
    request: pytest.FixtureRequest,
    pulumi_cli: Path,
    clean_emulator: EmulatorProcess,
    tmp_path: Path,
) -> None:
    stack = STACKS[language](request, pulumi_cli, tmp_path)
    config: Config = {
        "autocalls:apiKey": (clean_emulator.api_keys[0], True),
        "autocalls:baseUrl": (clean_emulator.base_url, False),
        **EXAMPLE_CONFIG,
    }
    printed: list[str] = []

    preview = stack.run("preview", config)
    assert {name: step["op"] for name, step in preview.steps.items()} == {
        "main": "create",
        "did": "create",
    }
    assert clean_emulator.requests() == []

    up = stack.run("up", config)
    assert up.summary == {"create": 3}
    posted = [r["body"] for r in clean_emulator.requests() if r["method"] == "POST"]
    assert sorted((b["sip_trunk_type"], b["inbound_authorization_type"]) for b in posted) == [
        ("extension", "auth"),
        ("number", "ip"),
    ]
    assert up.outputs["didAllowedInboundIps"] == ["203.0.113.10", "198.51.100.20"]

    unchanged = stack.run("preview", config)
    assert unchanged.summary == {"same": 3}
    assert {step["op"] for step in unchanged.steps.values()} == {"same"}

    edited = {**config, **EDIT}
    clean_emulator.clear_requests()
    notice = (
        f"SIP trunk {up.outputs['trunkId']}: this update re-creates the outbound trunk "
        f"{up.outputs['outboundTrunkId']} (changed: sipAddress)"
    )
    planned = stack.run("preview", edited)
    assert planned.steps["main"]["op"] == "update"
    assert planned.steps["main"]["detailedDiff"] == {
        "nickname": {"diffKind": "update", "inputDiff": True},
        "sipAddress": {"diffKind": "update", "inputDiff": True},
        "outboundTrunkId": {"diffKind": "update", "inputDiff": False},
    }
    assert planned.steps["did"]["op"] == "same"
    assert planned.warnings["main"] == [notice]
    assert clean_emulator.requests() == []

    updated = stack.run("up", edited)
    row = (
        r"~  autocalls:index:SipTrunk main updated \([\d.]+s\) "
        r"\[diff: ~nickname,outboundTrunkId,sipAddress\]; warning: "
    )
    assert re.search(row + re.escape(notice), updated.stdout), updated.stdout
    assert [(r["method"], r["body"]) for r in clean_emulator.requests()] == [
        ("PUT", {"nickname": "Provider X - Backup", "sip_address": "sip2.provider.com"})
    ]
    assert updated.summary == {"update": 1, "same": 2}
    assert updated.outputs["inboundTrunkId"] == up.outputs["inboundTrunkId"]
    assert updated.outputs["outboundTrunkId"] != up.outputs["outboundTrunkId"]
    assert updated.outputs["didInboundTrunkId"] == up.outputs["didInboundTrunkId"]

    clean_emulator.clear_requests()
    destroyed = stack.run("destroy", edited)
    assert destroyed.summary == {"delete": 3}
    deleted = [r["path"] for r in clean_emulator.requests() if r["method"] == "DELETE"]
    assert sorted(deleted) == sorted(
        f"/api/user/phone-numbers/{up.outputs[key]}" for key in ("trunkId", "didTrunkId")
    )
    printed += [preview.stdout, up.stdout, unchanged.stdout, planned.stdout, updated.stdout]
    printed.append(destroyed.stdout)
    assert not [text for text in printed for password in PASSWORDS if password in text]
