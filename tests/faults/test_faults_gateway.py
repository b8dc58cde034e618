"""502, 503, 504 and dropped connections on GET, PUT and DELETE.

The client sends an idempotent request again after each of them (``autocalls:maxRetries``
times). Within that budget the operation succeeds; beyond it the operation fails with one
sentence naming the operation, the trunk and the last failure, the stack still describes the
trunk as it is, and the next run finishes the work.

The client's retry rule does not depend on the route, and tests/client/test_client_retries.py
covers every status on its own; here each route meets a different mix of the four faults.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_harness import DeploymentFailed, Engine
from faultkit import (
    Live,
    delete_path,
    error_lines,
    failed_resources,
    journal,
    matches_live,
    trunk_path,
    trunk_state,
    trunk_states,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, trunk_args, trunk_engine, trunks_program

DROPPED = 0  # the journal's status of a connection closed before the answer
CLOSED = "connection closed before a complete response"
Fault = dict[str, Any]
FAULTS: dict[int, Fault] = {
    502: {"status": 502},
    503: {"status": 503},
    504: {"status": 504},
    DROPPED: {"drop": True},
}


@pytest.fixture
def budget_stack(clean_emulator: EmulatorProcess, tmp_path: Any) -> Engine:
    """A stack whose client sends each request at most twice (``autocalls:maxRetries`` 1)."""
    return trunk_engine(clean_emulator, tmp_path, config={"autocalls:maxRetries": "1"})


def inject(emulator: EmulatorProcess, method: str, *kinds: int) -> None:
    """One fault per kind, hitting the next requests of ``method`` in this order."""
    emulator.clear_requests()
    for kind in kinds:
        emulator.add_fault(method=method, **FAULTS[kind])


def test_get_retried_then_out_of_budget(
    budget_stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator, stack = clean_emulator, budget_stack
    program = trunks_program({"main": trunk_args()})
    stack.up(program)
    trunk_id = trunk_state(stack).id
    path = trunk_path(trunk_id)

    inject(emulator, "GET", 502)
    stack.refresh(expect_no_changes=True)
    assert journal(emulator) == [("GET", path, 502), ("GET", path, 200)]

    inject(emulator, "GET", 503, DROPPED)
    with pytest.raises(DeploymentFailed) as failed:
        stack.refresh()
    assert error_lines(failed.value.result) == [
        "pulumi_autocalls._exceptions.APIConnectionError: get SIP trunk "
        f"{trunk_id} failed: could not reach {emulator.base_url.removesuffix('/api')} ({CLOSED})"
    ]
    assert failed_resources(failed.value.result) == ["main"]
    assert journal(emulator) == [("GET", path, 503), ("GET", path, DROPPED)]
    assert emulator.faults() == []
    (record,) = live.trunks()
    assert matches_live(trunk_state(stack), record)

    emulator.clear_requests()
    stack.refresh(expect_no_changes=True)
    assert journal(emulator) == [("GET", path, 200)]


def test_put_retried_then_out_of_budget(
    budget_stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator, stack = clean_emulator, budget_stack
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = trunk_state(stack).id
    path = trunk_path(trunk_id)

    inject(emulator, "PUT", DROPPED)
    specs["main"] = trunk_args(nickname="Backup line")
    assert stack.up(program).op("main") == "update"
    assert journal(emulator) == [("PUT", path, DROPPED), ("PUT", path, 200)]
    assert api_bodies(emulator, "PUT") == [{"nickname": "Backup line"}] * 2

    inject(emulator, "PUT", 504, 503)
    specs["main"] = trunk_args(nickname="Night line")
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        "pulumi_autocalls._exceptions.InternalServerError: update SIP trunk "
        f"{trunk_id} failed: HTTP 503 Service Unavailable: Service Unavailable"
    ]
    assert journal(emulator) == [("PUT", path, 504), ("PUT", path, 503)]
    assert emulator.faults() == []
    (record,) = live.trunks()
    assert record.nickname == "Backup line"
    assert matches_live(trunk_state(stack), record)

    emulator.clear_requests()
    assert stack.up(program).op("main") == "update"
    assert journal(emulator) == [("PUT", path, 200)]
    assert api_bodies(emulator, "PUT") == [{"nickname": "Night line"}]
    (record,) = live.trunks()
    assert record.nickname == "Night line"
    assert matches_live(trunk_state(stack), record)


def test_delete_retried_then_out_of_budget(
    budget_stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator, stack = clean_emulator, budget_stack
    stack.up(trunks_program({"main": trunk_args()}))
    trunk_id = trunk_state(stack).id
    get, delete = trunk_path(trunk_id), delete_path(trunk_id)

    inject(emulator, "DELETE", DROPPED, 502)
    with pytest.raises(DeploymentFailed) as failed:
        stack.destroy()
    assert error_lines(failed.value.result) == [
        "pulumi_autocalls._exceptions.InternalServerError: delete SIP trunk "
        f"{trunk_id} failed: HTTP 502 Bad Gateway: Bad Gateway"
    ]
    assert journal(emulator) == [
        ("GET", get, 200),
        ("DELETE", delete, DROPPED),
        ("DELETE", delete, 502),
    ]
    assert emulator.faults() == []
    (record,) = live.trunks()
    assert matches_live(trunk_state(stack), record)

    inject(emulator, "DELETE", 504)
    stack.destroy()
    assert journal(emulator) == [
        ("GET", get, 200),
        ("DELETE", delete, 504),
        ("DELETE", delete, 200),
    ]
    assert live.trunks() == []
    assert trunk_states(stack) == []
