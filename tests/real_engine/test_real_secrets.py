"""Secrets on the real CLI: after Pulumi's whole acceptance sequence, a password rotation and a
failed update, neither the SIP password nor the API key appears in plain text in ``pulumi stack
export``, in the engine's events, or in anything the CLI printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_engine import CliFailed, CliResult, CliStack, Secret
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunks_program

pytestmark = pytest.mark.real_engine

API_KEY = "KEY-canary-31f7a"
PASSWORDS = ("PW-canary-9b2e4", "PW-canary-rotated-6d0c1")


def test_no_secret_leaves_pulumis_encryption(pulumi_cli: Path, tmp_path: Path) -> None:
    with EmulatorProcess(api_keys=[API_KEY]) as emulator:
        specs = {"main": trunk_args(sip_password=PASSWORDS[0])}
        program = trunks_program(specs)
        stack = CliStack(
            pulumi_cli,
            tmp_path,
            project="trunks",
            config={"autocalls:apiKey": Secret(API_KEY), "autocalls:baseUrl": emulator.base_url},
        )
        results: list[CliResult] = [
            stack.preview(program),
            stack.up(program),
            stack.preview(program, expect_no_changes=True),
            stack.up(program, expect_no_changes=True),
            stack.refresh(expect_no_changes=True),
        ]
        specs["main"] = trunk_args(sip_password=PASSWORDS[1])
        results += [stack.preview(program, json_output=True), stack.up(program)]
        emulator.add_fault(500, method="PUT")
        specs["main"] = trunk_args(sip_password=PASSWORDS[0])
        with pytest.raises(CliFailed) as failed:
            stack.up(program)
        results.append(failed.value.result)
        exported = stack.run("stack", "export")
        # The scan below would see them: they are in the state, as secrets.
        assert PASSWORDS[1] in stack.run("stack", "export", "--show-secrets").stdout
        results.append(stack.destroy())

    shown = {
        "pulumi stack export": exported.stdout + exported.stderr,
        "the stack's config file": (stack.work_dir / "Pulumi.dev.yaml").read_text(),
        **{f"what {r.command} printed (#{n})": r.output for n, r in enumerate(results)},
        **{f"the events of {r.command} (#{n})": r.events_text() for n, r in enumerate(results)},
    }
    assert '"sip_password"' in shown["pulumi stack export"]
    assert "failed: HTTP 500" in results[-2].output
    leaks = [
        (where, secret)
        for where, text in shown.items()
        for secret in (API_KEY, *PASSWORDS)
        if secret in text
    ]
    assert leaks == []
