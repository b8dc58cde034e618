"""Refresh (Read then Diff per resource) and destroy (reverse dependency order)."""

from __future__ import annotations

import pulumi
import pytest
from engine_harness import DeploymentFailed, ExpectedNoChanges, StepDiff

from harness_tests.tinyprov import Tiny, TinyProvider


def three_items() -> None:
    # Chained so that the ids (tiny-1, tiny-2, tiny-3) follow the names' order.
    steady = Tiny("steady", {"value": "s"})
    drifted = Tiny("drifted", {"value": "d"}, pulumi.ResourceOptions(depends_on=[steady]))
    Tiny("gone", {"value": "g"}, pulumi.ResourceOptions(depends_on=[drifted]))


def test_refresh_reports_unchanged_changed_and_gone_resources(world):
    engine = world.engine()
    engine.up(three_items)
    world.take_calls()
    world.drift("tiny-2", value="changed")
    world.vanish("tiny-3")

    preview = engine.refresh(preview=True)

    assert preview.ops() == {
        "tiny-dev": "same",
        "steady": "same",
        "drifted": "update",
        "gone": "delete",
    }
    assert engine.state.by_name("drifted").outputs["value"] == "d"  # a preview saves nothing
    world.take_calls()

    with pytest.raises(ExpectedNoChanges) as raised:
        engine.refresh(expect_no_changes=True)

    result = raised.value.result
    assert result.changes == {"update": 1, "delete": 1}
    assert result.steps_for("drifted")[0].display_keys == ("value",)
    calls = world.take_calls()
    reads = sorted((c["id"], c["props"]) for c in calls if c["method"] == "read")
    assert reads == [
        ("tiny-1", {"name": "steady", "value": "s", "serial": 1.0, "__provider": "P"}),
        ("tiny-2", {"name": "drifted", "value": "d", "serial": 2.0, "__provider": "P"}),
        ("tiny-3", {"name": "gone", "value": "g", "serial": 3.0, "__provider": "P"}),
    ]
    drifted_diff = [c for c in calls if c["method"] == "diff" and c["id"] == "tiny-2"]
    assert drifted_diff == [
        {
            "method": "diff",
            "id": "tiny-2",
            # The refreshed outputs go in the "old" slot, the last inputs in the "new" one.
            "olds": {"name": "drifted", "value": "changed", "serial": 2.0, "__provider": "P"},
            "news": {"name": "drifted", "value": "d", "__provider": "P"},
        }
    ]
    assert "tiny-3" not in [c.get("id") for c in calls if c["method"] == "diff"]
    drifted = engine.state.by_name("drifted")
    assert (drifted.outputs["value"], drifted.inputs["value"]) == ("changed", "d")
    assert [r.name for r in engine.state.custom_resources()] == ["steady", "drifted"]


def test_refresh_takes_the_inputs_read_returns_and_diffs_them_when_diff_is_unknown(world):
    engine = world.engine()
    provider = TinyProvider(diff="engine", read_inputs=True)
    engine.up(lambda: Tiny("a", {"value": "x"}, provider=provider))
    world.drift("tiny-1", value="y")

    result = engine.refresh()

    step = result.steps_for("a")[0]
    assert step.op == "update"
    assert step.diff == StepDiff("DIFF_UNKNOWN", changes=True, changed_keys=("value",))
    state = engine.state.by_name("a")
    assert (state.inputs["value"], state.outputs["value"]) == ("y", "y")
    assert engine.refresh(expect_no_changes=True).ops() == {"tiny-dev": "same", "a": "same"}


def chain() -> None:
    a = Tiny("a")
    b = Tiny("b", opts=pulumi.ResourceOptions(depends_on=[a]))
    Tiny("c", {"after": b.serial})


def test_destroy_deletes_in_reverse_dependency_order(world):
    engine = world.engine()
    engine.up(chain)
    world.take_calls()

    preview = engine.destroy(preview=True)

    expected_steps = [("delete", "c"), ("delete", "b"), ("delete", "a"), ("delete", "tiny-dev")]
    assert [(s.op, s.name) for s in preview.steps] == expected_steps
    assert world.take_calls() == []  # a destroy preview needs no provider process
    assert len(engine.state) == 5

    result = engine.destroy()

    assert [(s.op, s.name) for s in result.steps] == expected_steps
    assert [(s.op, s.name) for s in result.provider_steps] == [("delete", "default")]
    assert [(c["method"], c.get("id")) for c in world.take_calls()] == [
        ("configure", None),
        ("delete", "tiny-3"),
        ("delete", "tiny-2"),
        ("delete", "tiny-1"),
    ]
    assert len(engine.state) == 0
    assert world.items() == {}
    assert result.summary() == "Resources:\n    - 4 deleted"


def test_destroy_drops_retained_resources_and_refuses_protected_ones(world):
    engine = world.engine()

    def program() -> None:
        Tiny("kept", opts=pulumi.ResourceOptions(retain_on_delete=True))
        Tiny("guarded", opts=pulumi.ResourceOptions(protect=True))

    engine.up(program)
    world.take_calls()

    with pytest.raises(DeploymentFailed) as raised:
        engine.destroy()

    result = raised.value.result
    assert result.ops() == {"kept": "delete", "guarded": "delete"}
    assert result.steps_for("guarded")[0].error.startswith(
        'unable to delete resource "urn:pulumi:dev::tiny::pulumi-python:dynamic:Resource::guarded"'
    )
    assert world.take_calls() == []  # the retained one is dropped without a Delete
    assert [r.name for r in engine.state.custom_resources()] == ["guarded"]
    assert sorted(world.items()) == ["tiny-1", "tiny-2"]
