"""Reads of existing resources (``ResourceOptions(id=...)``) and imports (which cannot work)."""

from __future__ import annotations

import pulumi
import pytest
from engine_harness import DeploymentFailed, Secret

from harness_tests.tinyprov import Tiny


def get_program() -> None:
    existing = Tiny("ext", {"value": "ignored"}, pulumi.ResourceOptions(id="tiny-1"))
    pulumi.export("value", existing.value)  # type: ignore[attr-defined]


def test_get_reads_without_check_or_diff_and_destroy_only_forgets_it(world):
    world.engine(state_path=world.state_path.with_name("owner.json")).up(
        lambda: Tiny("a", {"value": "x"})
    )
    world.take_calls()
    engine = world.engine()

    preview = engine.preview(get_program)

    assert preview.ops() == {"tiny-dev": "create", "ext": "read"}
    assert world.take_calls() == [
        {"method": "configure", "config": {}, "token": None},
        {
            "method": "read",
            "id": "tiny-1",
            "props": {"name": "ext", "value": "ignored", "__provider": "P"},
        },
    ]
    assert preview.outputs == {"value": "x"}

    up = engine.up(get_program)

    assert up.changes == {"create": 1}  # a first read is not counted as a change
    state = engine.state.by_name("ext")
    assert (state.external, state.id) == (True, "tiny-1")
    assert state.outputs == {
        "__provider": state.inputs["__provider"],
        "name": "a",
        "value": "x",
        "serial": 1.0,
    }
    assert isinstance(state.outputs["__provider"], Secret)
    assert engine.up(get_program, expect_no_changes=True).ops()["ext"] == "read"
    world.take_calls()

    destroy = engine.destroy()

    assert [(s.op, s.name) for s in destroy.steps] == [("discard", "ext"), ("delete", "tiny-dev")]
    assert world.take_calls() == []
    assert list(world.items()) == ["tiny-1"]


def test_import_fails_like_the_engine_because_read_gets_no_provider(world):
    engine = world.engine()

    def program() -> None:
        Tiny("a", opts=pulumi.ResourceOptions(import_="tiny-1"))

    for operation in (engine.preview, engine.up):
        with pytest.raises(DeploymentFailed) as raised:
            operation(program)
        result = raised.value.result
        assert result.steps_for("a")[0].op == "import"
        assert result.resource_calls() == [("Read", "a")]
        assert len(result.errors) == 1
        assert result.errors[0].rstrip().endswith("KeyError: '__provider'")
    assert [call["method"] for call in world.take_calls()] == []  # the server failed before
    assert "urn:pulumi:dev::tiny::pulumi-python:dynamic:Resource::a" not in engine.state
