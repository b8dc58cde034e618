"""The engine harness against the real CLI: the same scenario through both must send the API the
same requests, in the same order, with the same bodies, and leave the same state (ids and
timestamps aside). Both run one step at a time (``--parallel 1``), so that the order of the
requests is the engine's, not a race's. Every difference found is fixed in the harness or
written down in docs/real-engine.md ("Where the harness differs")."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from engine_harness import Secret
from engines import CliDriver, HarnessDriver, StackDriver
from pulumi_autocalls import AutocallsClient, SipTrunk
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args

pytestmark = pytest.mark.real_engine

Scenario = Callable[[Callable[[Any], StackDriver], EmulatorProcess], list[dict[str, Any]]]
_IDS = re.compile(r"(?<=/)\d+\b|\bST_[A-Za-z0-9]+")
_MASKED_OUTPUTS = (
    "__provider",
    "inbound_trunk_id",
    "outbound_trunk_id",
    "created_at",
    "updated_at",
)


def masked(value: Any) -> Any:
    if isinstance(value, str):
        return _IDS.sub("<id>", value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def journal(emulator: EmulatorProcess) -> list[tuple[str, str, Any]]:
    return [
        (entry["method"], masked(entry["path"]), masked(entry["body"]))
        for entry in emulator.requests()
    ]


def state(stack: StackDriver) -> dict[str, dict[str, Any]]:
    """Each trunk's outputs, the values that differ between runs left out."""
    return {
        name: {
            key: value
            for key, value in stack.resource_outputs(name).items()
            if key not in _MASKED_OUTPUTS
        }
        for name in stack.resource_names()
    }


def chained(specs: dict[str, dict[str, Any]]) -> Callable[[], None]:
    """A program of one trunk per entry, each depending on the one before: an order the engine
    keeps, which the SDK's concurrent registrations would not."""

    def program() -> None:
        before: list[pulumi.Resource] = []
        for name, args in specs.items():
            trunk = SipTrunk(name, **args, opts=pulumi.ResourceOptions(depends_on=before))
            before = [trunk]

    return program


def lifecycle(new_stack: Callable[[Any], StackDriver], emulator: EmulatorProcess) -> list[Any]:
    """Create, no-change runs, an edit of each kind, ip auth and back, drift put back, a type
    change (replacement), a removed trunk, destroy; the state after each step."""
    specs = {"main": trunk_args(), "second": trunk_args(phone_number="1001")}
    stack = new_stack(chained(specs))
    seen: list[Any] = []
    stack.preview()
    stack.up()
    seen.append(state(stack))
    stack.preview(expect_no_changes=True)
    stack.up(expect_no_changes=True)
    stack.refresh(expect_no_changes=True)
    for edit in (
        {"sip_address": "sip2.provider.com", "nickname": None},
        {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]},
        {"inbound_authorization_type": "auth", "sip_password": "n3w-pass"},
    ):
        specs["main"] = trunk_args(**edit)
        stack.preview()
        stack.up()
        seen.append(state(stack))
    with AutocallsClient(emulator.api_keys[0], base_url=emulator.base_url) as api:
        api.update_sip_trunk(stack.resource_id("main"), {"country_code": "GB"})
    stack.refresh()
    seen.append(state(stack))
    stack.up()
    specs["second"] = trunk_args(phone_number="+14155551234", sip_trunk_type="number")
    stack.up()
    seen.append(state(stack))
    del specs["second"]
    stack.up()
    stack.destroy()
    seen.append(state(stack))
    return seen


@pytest.mark.parametrize("scenario", [lifecycle], ids=lambda s: s.__name__)
def test_the_harness_and_the_real_cli_send_the_same_requests_and_keep_the_same_state(
    scenario: Scenario, pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    config = {
        "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": clean_emulator.base_url,
    }
    runs = {}
    for engine in ("harness", "cli"):
        clean_emulator.reset()
        root = tmp_path / engine
        root.mkdir()

        def new_stack(program: Any, engine: str = engine, root: Path = root) -> StackDriver:
            if engine == "cli":
                return CliDriver(
                    pulumi_cli, root, program, project="trunks", config=config, parallel=1
                )
            return HarnessDriver(root, program, project="trunks", config=config, parallel=1)

        states = scenario(new_stack, clean_emulator)
        runs[engine] = (journal(clean_emulator), states)

    assert runs["cli"][0] == runs["harness"][0]
    assert runs["cli"][1] == runs["harness"][1]
