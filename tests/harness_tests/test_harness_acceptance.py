"""The ProgramTest-like acceptance sequence."""

from __future__ import annotations

import itertools

import pytest
from engine_harness import ExpectedNoChanges, acceptance_sequence

from harness_tests.tinyprov import Tiny


def test_the_acceptance_sequence_runs_every_command_and_checks_for_no_changes(world):
    engine = world.engine()

    run = acceptance_sequence(
        engine,
        lambda: Tiny("a", {"value": "x"}),
        edits=[lambda: Tiny("a", {"value": "y"})],
    )

    assert [(command, result.ops().get("a")) for command, result in run.results] == [
        ("preview", "create"),
        ("up", "create"),
        ("preview --expect-no-changes", "same"),
        ("up --expect-no-changes", "same"),
        ("refresh --expect-no-changes", "same"),
        ("preview", "update"),
        ("up", "update"),
        ("destroy", "delete"),
    ]
    assert run["destroy"].changes == {"delete": 2}
    assert len(engine.state) == 0


def test_the_acceptance_sequence_fails_when_a_second_run_is_not_clean(world):
    runs = itertools.count()

    def unstable() -> None:
        Tiny("a", {"run": next(runs)})

    with pytest.raises(ExpectedNoChanges, match="update pulumi-python:dynamic:Resource a"):
        acceptance_sequence(world.engine(), unstable)
