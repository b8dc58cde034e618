"""429 storms: every route waits as long as the server asks, then succeeds.

The POST of a create is repeated by the provider itself (a 429 means the request was not
processed); GET, PUT and DELETE are repeated by the client. Each test counts the repeated
requests in the emulator's journal and checks both the stack and the emulator afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from engine_harness import Engine, Secret
from engines import StackDriver
from faultkit import (
    TRUNKS,
    Live,
    delete_path,
    journal,
    matches_live,
    records_live,
    trunk_path,
    trunk_states,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, trunk_args, trunks_program


def test_429_storm_on_every_route(
    make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess, live: Live
) -> None:
    """Each route is throttled twice in a row: first asking for the wait in a ``Retry-After``
    header, then in the body's ``retry_after`` field (Laravel's shape), 1 s each time. On both
    engines: every trunk is created exactly once."""
    emulator = clean_emulator

    def storm(method: str) -> None:
        emulator.clear_requests()
        emulator.add_fault(429, method=method, retry_after=1, retry_after_in="header")
        emulator.add_fault(429, method=method, retry_after=1, retry_after_in="body")

    specs = {"main": trunk_args()}
    stack = make_stack(
        trunks_program(specs),
        project="trunks",
        config={
            "autocalls:apiKey": Secret(emulator.api_keys[0]),
            "autocalls:baseUrl": emulator.base_url,
        },
    )

    # Create: the provider sends the POST again after each 429.
    storm("POST")
    up = stack.up()
    assert up.ops["main"] == "create"
    assert journal(emulator) == [("POST", TRUNKS, 429)] * 2 + [("POST", TRUNKS, 201)]
    assert emulator.faults() == []
    trunk_id = stack.resource_id("main")

    # Refresh: GET.
    storm("GET")
    stack.refresh(expect_no_changes=True)
    path = trunk_path(trunk_id)
    assert journal(emulator) == [("GET", path, 429)] * 2 + [("GET", path, 200)]

    # Update: PUT, the same body every time.
    storm("PUT")
    specs["main"] = trunk_args(nickname="Backup line")
    up = stack.up()
    assert up.ops["main"] == "update"
    assert journal(emulator) == [("PUT", path, 429)] * 2 + [("PUT", path, 200)]
    assert api_bodies(emulator, "PUT") == [{"nickname": "Backup line"}] * 3
    (record,) = live.trunks()
    assert record.nickname == "Backup line"
    assert records_live(trunk_id, stack.resource_outputs("main"), record)

    # Destroy: the confirming GET, then DELETE.
    storm("DELETE")
    stack.destroy()
    assert journal(emulator) == [
        ("GET", path, 200),
        *[("DELETE", delete_path(trunk_id), 429)] * 2,
        ("DELETE", delete_path(trunk_id), 200),
    ]
    assert emulator.faults() == []
    assert live.trunks() == []
    assert stack.resource_names() == []


MANY = 30


def test_many_trunks_under_rate_limiting(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    """30 trunks created, refreshed and destroyed in parallel while the API throttles a third of
    the requests of each phase: every trunk exists exactly once, in the API and in the stack."""
    emulator = clean_emulator
    throttled = MANY // 3
    specs = {f"trunk{n:02d}": trunk_args(phone_number=str(2000 + n)) for n in range(MANY)}
    program = trunks_program(specs)

    emulator.add_fault(429, method="POST", times=throttled, retry_after=1)
    up = stack.up(program)
    assert up.changes == {"create": MANY + 1}  # the trunks and the stack
    statuses = [status for method, _, status in journal(emulator) if method == "POST"]
    assert sorted(statuses) == [201] * MANY + [429] * throttled
    assert emulator.faults() == []
    records = live.trunks()
    assert sorted(r.phone_number for r in records) == sorted(
        a["phone_number"] for a in specs.values()
    )
    states = {entry.id: entry for entry in trunk_states(stack)}
    assert sorted(states) == sorted(str(r.id) for r in records)
    assert all(matches_live(states[str(r.id)], r) for r in records)

    emulator.clear_requests()
    emulator.add_fault(429, method="GET", times=throttled, retry_after=1)
    stack.refresh(expect_no_changes=True)
    assert sorted(status for _, _, status in journal(emulator)) == [200] * MANY + [429] * throttled

    emulator.clear_requests()
    emulator.add_fault(429, method="DELETE", times=throttled, retry_after=1)
    destroyed = stack.destroy()
    assert destroyed.changes == {"delete": MANY + 1}  # the trunks and the stack
    deletes = [status for method, _, status in journal(emulator) if method == "DELETE"]
    assert sorted(deletes) == [200] * MANY + [429] * throttled
    assert emulator.faults() == []
    assert live.trunks() == []
    assert len(stack.state) == 0
