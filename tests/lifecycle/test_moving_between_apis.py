"""A stack whose trunks were written through one API, pointed at another (issue: a ``dev`` stack of
emulator trunks switched to the real API would GET, PUT and DELETE the same ids there). The
provider records the base URL in every trunk's outputs and refuses to act on a trunk through any
other, on both engines; states written before it recorded one are accepted as they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_engine import CliFailed, CliStack
from cli_engine import Secret as CliSecret
from engine_harness import Secret
from engines import StackDriver
from pulumi.dynamic import Config, ConfigureRequest
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_calls, desired, trunk_args, trunks_program

MakeStack = Callable[..., StackDriver]


def test_a_stack_is_not_moved_to_another_api_by_a_config_change(
    make_stack: MakeStack, clean_emulator: EmulatorProcess, emulator: EmulatorProcess
) -> None:
    first, other = clean_emulator, emulator
    config = {"autocalls:apiKey": Secret(first.api_keys[0]), "autocalls:baseUrl": first.base_url}
    stack = make_stack(trunks_program({"main": trunk_args()}), project="trunks", config=config)
    stack.up()
    trunk_id = stack.resource_id("main")
    assert stack.resource_outputs("main")["api_base_url"] == first.base_url
    first.clear_requests()

    stack.set_config("autocalls:baseUrl", other.base_url)
    refusal = (
        f"SIP trunk {trunk_id} is a trunk of {first.base_url} (recorded in the stack), but the "
        f"provider now uses {other.base_url} (autocalls:baseUrl): set autocalls:baseUrl back to "
        f"{first.base_url}, or start a new stack for {other.base_url} ('pulumi stack init')."
    )
    for operation in ("preview", "up", "refresh", "destroy"):
        shown = " ".join(stack.failure(operation).text.split())
        assert refusal in shown, (operation, shown)
    assert api_calls(other) == [] and api_calls(first) == []
    assert stack.resource_names() == ["main"]

    # Back to the first API: the trunk is managed as before. (A refresh or destroy configures
    # the provider from the state, which the failed up left pointing at the other API: an up
    # records the settings again.)
    stack.set_config("autocalls:baseUrl", first.base_url.replace("/api", "/api/"))
    assert stack.preview().ops["main"] == "same"
    stack.up()
    stack.refresh(expect_no_changes=True)
    assert {method for method, _ in api_calls(first)} == {"GET"}
    stack.destroy()
    with AutocallsClient(first.api_keys[0], base_url=first.base_url) as api:
        assert api.list_sip_trunks() == []


def test_a_state_from_before_the_base_url_was_recorded_is_accepted_and_then_recorded(
    clean_emulator: EmulatorProcess,
) -> None:
    provider = SipTrunkProvider()
    config = {"autocalls:apiKey": clean_emulator.api_keys[0]}
    config["autocalls:baseUrl"] = clean_emulator.base_url
    provider.configure(ConfigureRequest(Config(config, "trunks")))
    created = provider.create(desired())
    older = {k: v for k, v in (created.outs or {}).items() if k != "api_base_url"}

    changed = {**desired(), "nickname": "Older state"}
    assert not provider.diff(str(created.id), older, older).changes
    updated = provider.update(str(created.id), older, changed)
    assert (updated.outs or {})["api_base_url"] == clean_emulator.base_url
    read = provider.read(str(created.id), older)
    assert (read.outs or {})["api_base_url"] == clean_emulator.base_url
    provider.delete(str(created.id), older)
    assert [method for method, _ in api_calls(clean_emulator)] == [
        "POST",
        "PUT",
        "GET",
        "GET",
        "DELETE",
    ]


@pytest.mark.real_engine
def test_moving_a_stack_on_purpose_is_an_edit_of_its_state(
    pulumi_cli: Path, clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """The README's way to move a stack to another address of the same API (here the emulator
    as localhost instead of 127.0.0.1): stack export, edit api_base_url, stack import."""
    first = clean_emulator.base_url
    moved = first.replace("127.0.0.1", "localhost")
    config = {"autocalls:apiKey": CliSecret(clean_emulator.api_keys[0]), "autocalls:baseUrl": first}
    stack = CliStack(pulumi_cli, tmp_path, project="trunks", config=config)
    program = trunks_program({"main": trunk_args()})
    stack.up(program)
    stack.set_config("autocalls:baseUrl", moved)
    with pytest.raises(CliFailed):
        stack.preview(program)

    exported = stack.export()
    for resource in exported["deployment"]["resources"]:
        outputs = resource.get("outputs", {})
        if outputs.get("api_base_url") == first:
            outputs["api_base_url"] = moved
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(exported), encoding="utf-8")
    assert stack.run("stack", "import", "--file", str(edited)).returncode == 0

    clean_emulator.clear_requests()
    stack.preview(program, expect_no_changes=True)
    stack.up(program)
    stack.refresh(expect_no_changes=True)
    stack.destroy()
    assert {method for method, _ in api_calls(clean_emulator)} == {"GET", "DELETE"}
