"""Answers lost on the way back: the API did the work, the provider never heard of it.

The API has no idempotency key. A create whose answer is lost is found again by the trunk's
identity (phone_number, sip_username, sip_address), which the API keeps unique, before anything
is sent again. An update is a PUT of the changed fields, which the API applies as values: sent
twice, it re-creates the voice trunks once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from engines import StackDriver
from faultkit import (
    TRUNKS,
    Live,
    error_lines,
    journal,
    matches_live,
    records_live,
    trunk_path,
    trunk_state,
    trunk_states,
)
from pulumi_autocalls import SipTrunkRecord
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, trunk_args, trunk_engine, trunks_program

DROPPED = 0
TIMEOUT_S = 1
LOST_CREATES: dict[str, dict[str, Any]] = {
    "503 after commit": {"status": 503, "after_commit": True},
    "dropped after commit": {"drop": True, "after_commit": True},
    "timeout after commit": {"status": 503, "after_commit": True, "delay_s": TIMEOUT_S + 1.5},
}


def wait_for_journal(emulator: EmulatorProcess, entries: int) -> None:
    """The journal records a request when its answer is complete: a request answered after the
    client gave up appears late."""
    deadline = time.monotonic() + 10
    while len(emulator.requests()) < entries and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("fault", LOST_CREATES.values(), ids=LOST_CREATES.keys())
def test_lost_create_answer_is_found_not_repeated(
    make_stack: Callable[..., StackDriver],
    clean_emulator: EmulatorProcess,
    live: Live,
    fault: dict[str, Any],
) -> None:
    """On both engines: the trunk is created exactly once, and the stack holds it."""
    emulator = clean_emulator
    stack = make_stack(
        trunks_program({"main": trunk_args()}),
        project="trunks",
        config={
            "autocalls:apiKey": Secret(emulator.api_keys[0]),
            "autocalls:baseUrl": emulator.base_url,
            "autocalls:timeout": str(TIMEOUT_S),
        },
    )
    emulator.add_fault(method="POST", **fault)

    assert stack.up().ops["main"] == "create"

    wait_for_journal(emulator, 3)
    calls = journal(emulator)
    assert emulator.faults() == []
    (record,) = live.trunks()
    lookup = [("GET", TRUNKS, 200), ("GET", trunk_path(str(record.id)), 200)]
    if "delay_s" in fault:  # journaled when the server answered, after the client gave up
        assert calls == [*lookup, ("POST", TRUNKS, 503)]
    else:
        assert calls == [("POST", TRUNKS, DROPPED if fault.get("drop") else 503), *lookup]
    assert stack.resource_names() == ["main"]
    assert records_live(stack.resource_id("main"), stack.resource_outputs("main"), record)


def test_refused_create_is_sent_again_once_the_lookup_finds_nothing(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    """A 503 that was not processed looks the same as a lost answer: the lookup tells them
    apart."""
    emulator = clean_emulator
    emulator.add_fault(503, method="POST")

    assert stack.up(trunks_program({"main": trunk_args()})).op("main") == "create"

    assert journal(emulator) == [
        ("POST", TRUNKS, 503),
        ("GET", TRUNKS, 200),
        ("POST", TRUNKS, 201),
    ]
    (record,) = live.trunks()
    (entry,) = trunk_states(stack)
    assert matches_live(entry, record)


def test_lost_create_answer_with_failed_lookup_is_reported_then_adopted(
    clean_emulator: EmulatorProcess, live: Live, tmp_path: Path
) -> None:
    """The one case the provider cannot settle alone: the answer is lost and so is every
    lookup. It says the trunk may exist; the next run names it; adopt_id takes it over."""
    emulator = clean_emulator
    stack = trunk_engine(emulator, tmp_path, config={"autocalls:maxRetries": "1"})
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    emulator.add_fault(method="POST", drop=True, after_commit=True)
    emulator.add_fault(503, method="GET", times=2)

    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    origin = emulator.base_url.removesuffix("/api")
    assert error_lines(failed.value.result) == [
        "pulumi_autocalls._exceptions.AutocallsError: create SIP trunk failed: could not reach "
        f"{origin} (connection closed before a complete response); looking the trunk up "
        "afterwards failed too (list SIP trunks failed: HTTP 503 Service Unavailable: Service "
        "Unavailable), so it may have been created: if it was, the next 'pulumi up' names it."
    ]
    assert journal(emulator) == [("POST", TRUNKS, DROPPED)] + [("GET", TRUNKS, 503)] * 2
    assert trunk_states(stack) == []
    assert emulator.faults() == []
    (orphan,) = live.trunks()

    emulator.clear_requests()
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        "pulumi_autocalls._exceptions.ConflictError: create SIP trunk failed: HTTP 409 Conflict: "
        "A SIP trunk with the same phone number, username, and address already exists. It is "
        f"SIP trunk {orphan.id}: if this resource should manage it (for example, an earlier run "
        f'created it and lost the answer), set adopt_id="{orphan.id}".'
    ]
    assert journal(emulator) == [("POST", TRUNKS, 409), ("GET", TRUNKS, 200)]
    assert trunk_states(stack) == []

    specs["main"] = trunk_args(adopt_id=str(orphan.id))
    emulator.clear_requests()
    assert stack.up(program).op("main") == "create"
    assert journal(emulator) == [("GET", trunk_path(str(orphan.id)), 200)]
    (record,) = live.trunks()
    assert record == orphan
    (entry,) = trunk_states(stack)
    assert matches_live(entry, record)


def voice_trunks(record: SipTrunkRecord) -> tuple[str | None, str | None]:
    return record.inbound_trunk_id, record.outbound_trunk_id


def state_voice_trunks(stack: Engine) -> tuple[Any, Any]:
    outputs = trunk_state(stack).outputs
    return outputs["inbound_trunk_id"], outputs["outbound_trunk_id"]


def watch_until(
    condition: Callable[[], SipTrunkRecord | None], done: threading.Event
) -> SipTrunkRecord | None:
    while not done.is_set():
        found = condition()
        if found is not None:
            return found
        time.sleep(0.05)
    return None


def test_lost_update_answer_retried_by_the_client_recreates_voice_trunks_once(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    """The PUT is carried out, its answer is a 503 asking for a 2 s wait, and the client sends
    the same PUT again. While the client waits, the test reads the voice trunk ids the first
    PUT made: the second PUT keeps them."""
    emulator = clean_emulator
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = trunk_state(stack).id
    before = voice_trunks(live.trunk(trunk_id))

    emulator.clear_requests()
    emulator.add_fault(503, method="PUT", after_commit=True, retry_after=2)
    specs["main"] = trunk_args(sip_password="n3w-pass")
    done = threading.Event()

    def first_put_done() -> SipTrunkRecord | None:
        record = live.trunk(trunk_id)
        return record if voice_trunks(record) != before else None

    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(stack.up, program)
        running.add_done_callback(lambda _: done.set())
        after_first_put = watch_until(first_put_done, done)
        assert running.result().op("main") == "update"

    assert after_first_put is not None
    recreated = voice_trunks(after_first_put)
    assert recreated[0] != before[0] and recreated[1] != before[1]
    puts = [call for call in journal(emulator) if call[0] == "PUT"]
    assert puts == [("PUT", trunk_path(trunk_id), 503), ("PUT", trunk_path(trunk_id), 200)]
    assert api_bodies(emulator, "PUT") == [{"sip_password": "***"}] * 2
    record = live.trunk(trunk_id)
    assert voice_trunks(record) == recreated
    assert state_voice_trunks(stack) == recreated
    assert matches_live(trunk_state(stack), record)


def test_lost_update_answer_is_finished_by_the_next_up_without_recreating_again(
    clean_emulator: EmulatorProcess, live: Live, tmp_path: Path
) -> None:
    emulator = clean_emulator
    stack = trunk_engine(emulator, tmp_path, config={"autocalls:maxRetries": "0"})
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = trunk_state(stack).id
    before = voice_trunks(live.trunk(trunk_id))

    emulator.clear_requests()
    emulator.add_fault(method="PUT", drop=True, after_commit=True)
    specs["main"] = trunk_args(sip_password="n3w-pass")
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    origin = emulator.base_url.removesuffix("/api")
    assert error_lines(failed.value.result) == [
        f"pulumi_autocalls._exceptions.APIConnectionError: update SIP trunk {trunk_id} failed: "
        f"could not reach {origin} (connection closed before a complete response)"
    ]
    assert emulator.faults() == []
    recreated = voice_trunks(live.trunk(trunk_id))
    assert recreated[0] != before[0] and recreated[1] != before[1]
    assert state_voice_trunks(stack) == before  # the stack still holds what it last heard

    up = stack.up(program)
    assert up.op("main") == "update"
    assert api_bodies(emulator, "PUT") == [{"sip_password": "***"}] * 2
    record = live.trunk(trunk_id)
    assert voice_trunks(record) == recreated
    assert state_voice_trunks(stack) == recreated
    assert matches_live(trunk_state(stack), record)
    assert trunk_state(stack).outputs["sip_password"].value == "n3w-pass"


def test_create_that_never_connected_is_retried_without_lookup(tmp_path: Path) -> None:
    """Connection refused: the API cannot have seen the POST, so there is nothing to look up and
    the error is the connection's."""
    with socket.socket() as placeholder:  # a loopback port with nothing listening
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    stack = Engine(
        tmp_path,
        project="trunks",
        config={
            "autocalls:apiKey": Secret("unused-key-0123456789"),
            "autocalls:baseUrl": f"http://127.0.0.1:{port}/api",
            "autocalls:maxRetries": "1",
        },
    )
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(trunks_program({"main": trunk_args()}))
    [line] = error_lines(failed.value.result)
    assert line.startswith(
        "pulumi_autocalls._exceptions.APIConnectionError: create SIP trunk failed: could not "
        f"reach http://127.0.0.1:{port} (Connection refused). Retried 1 time over "
    )
    assert trunk_states(stack) == []


def test_lost_delete_answer_ends_in_success(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    """The DELETE is carried out and its answer dropped; the client sends it again, the API says
    404, and that means gone: the destroy succeeds."""
    emulator = clean_emulator
    stack.up(trunks_program({"main": trunk_args()}))
    trunk_id = trunk_state(stack).id

    emulator.clear_requests()
    emulator.add_fault(method="DELETE", drop=True, after_commit=True)
    stack.destroy()
    deleted = f"/api/user/phone-numbers/{trunk_id}"
    assert journal(emulator) == [
        ("GET", trunk_path(trunk_id), 200),
        ("DELETE", deleted, DROPPED),
        ("DELETE", deleted, 404),
    ]
    assert live.trunks() == []
    assert len(stack.state) == 0
