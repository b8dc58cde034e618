"""The API changes under the stack: a trunk deleted behind its back, and an API restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_harness import DeploymentFailed, Engine
from faultkit import (
    TRUNKS,
    Live,
    error_lines,
    journal,
    matches_live,
    trunk_path,
    trunk_state,
    trunk_states,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunk_engine, trunks_program


def test_trunk_deleted_between_preview_and_up(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator = clean_emulator
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = trunk_state(stack).id

    specs["main"] = trunk_args(nickname="Backup line")
    assert stack.preview(program).op("main") == "update"
    live.delete(trunk_id)

    emulator.clear_requests()
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"pulumi_autocalls._exceptions.NotFoundError: update SIP trunk {trunk_id} failed: "
        "HTTP 404 Not Found: SIP trunk not found. It was deleted outside Pulumi: 'pulumi refresh' "
        "drops it from the stack, then 'pulumi up' creates it again."
    ]
    assert journal(emulator) == [("PUT", trunk_path(trunk_id), 404)]
    assert trunk_state(stack).id == trunk_id  # the stack does not guess

    emulator.clear_requests()
    refreshed = stack.refresh()
    assert refreshed.op("main") == "delete"
    assert journal(emulator) == [("GET", trunk_path(trunk_id), 404)]
    assert trunk_states(stack) == []

    emulator.clear_requests()
    assert stack.up(program).op("main") == "create"
    assert journal(emulator) == [("POST", TRUNKS, 201)]
    (record,) = live.trunks()
    assert str(record.id) != trunk_id
    assert record.nickname == "Backup line"
    assert matches_live(trunk_state(stack), record)


def test_destroy_of_a_trunk_already_deleted_succeeds(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator = clean_emulator
    stack.up(trunks_program({"main": trunk_args()}))
    trunk_id = trunk_state(stack).id
    live.delete(trunk_id)

    emulator.clear_requests()
    assert stack.destroy().changes == {"delete": 2}
    # The confirming GET says it is gone: no DELETE is sent to the shared phone-number route.
    assert journal(emulator) == [("GET", trunk_path(trunk_id), 404)]
    assert len(stack.state) == 0
    assert live.trunks() == []


@pytest.fixture
def file_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """An emulator process of this test's own, with its trunks in an SQLite file."""
    with EmulatorProcess(
        api_keys=["restart-key-0123456789"], db_path=str(tmp_path / "emulator.db")
    ) as emulator:
        yield emulator


def test_api_restart_in_the_middle_of_a_stack(
    file_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    emulator = file_emulator
    stack = trunk_engine(emulator, tmp_path)
    specs = {"main": trunk_args(), "backup": trunk_args(phone_number="1001")}
    program = trunks_program(specs)
    stack.up(program)
    base_url = emulator.base_url

    emulator.restart()
    assert emulator.base_url == base_url  # the same port, so the stack's baseUrl still holds

    stack.preview(program, expect_no_changes=True)
    stack.refresh(expect_no_changes=True)
    live = Live(emulator)
    records = {str(record.id): record for record in live.trunks()}
    entries = trunk_states(stack)
    assert sorted(records) == sorted(entry.id for entry in entries)
    assert all(matches_live(entry, records[entry.id]) for entry in entries)

    specs["main"] = trunk_args(nickname="After restart")
    assert stack.up(program).op("main") == "update"
    assert live.trunk(trunk_state(stack).id).nickname == "After restart"
    stack.destroy()
    assert live.trunks() == []
    assert len(stack.state) == 0
