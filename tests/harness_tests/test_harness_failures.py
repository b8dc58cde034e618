"""Failures: what state keeps, what the result carries, and ``expect_no_changes``."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable

import pytest
from engine_harness import DeploymentFailed, ExpectedNoChanges

from harness_tests.tinyprov import Tiny, TinyProvider


def items(
    *names: str, value: str = "x", provider: TinyProvider | None = None
) -> Callable[[], None]:
    def program() -> None:
        for name in names:
            Tiny(name, {"value": value}, provider=provider)

    return program


def test_a_failed_create_leaves_nothing_in_state_and_keeps_the_error_text(world):
    engine = world.engine()
    world.fail("create", "b")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(items("a", "b"))

    result = raised.value.result
    step = result.steps_for("b")[0]
    assert step.op == "create"
    assert step.error.rstrip().endswith("RuntimeError: the cloud refused to create b")
    assert result.errors == [step.error]
    assert result.changes == {"create": 2}  # the stack and a
    assert "the cloud refused to create b" in str(raised.value)
    assert [r.name for r in engine.state.custom_resources()] == ["a"]
    assert "**create failed**" in result.render()

    world.heal()
    assert engine.up(items("a", "b")).ops() == {"tiny-dev": "same", "a": "same", "b": "create"}


def test_a_failed_update_keeps_the_old_inputs_and_outputs(world):
    engine = world.engine()
    engine.up(items("a", value="x"))
    world.fail("update", "a")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(items("a", value="y"))

    assert raised.value.result.steps_for("a")[0].op == "update"
    state = engine.state.by_name("a")
    assert (state.inputs["value"], state.outputs["value"]) == ("x", "x")


def test_a_failed_delete_keeps_the_resource_and_is_retried(world):
    engine = world.engine()
    engine.up(items("a", "b"))
    world.fail("delete", "b")

    with pytest.raises(DeploymentFailed):
        engine.up(items("a"))

    assert sorted(r.name for r in engine.state.custom_resources()) == ["a", "b"]
    world.heal()
    world.take_calls()
    assert engine.up(items("a")).ops() == {"tiny-dev": "same", "a": "same", "b": "delete"}
    assert [c["method"] for c in world.take_calls()] == ["configure", "check", "diff", "delete"]


def test_a_failed_delete_of_a_replaced_original_stays_pending_and_is_retried(world):
    engine = world.engine()
    replacing = TinyProvider(replace_on=["value"])
    engine.up(items("a", value="x", provider=replacing))
    world.fail("delete", "a")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(items("a", value="y", provider=replacing))

    result = raised.value.result
    assert [(s.op, s.failed) for s in result.steps_for("a")] == [
        ("create-replacement", False),
        ("replace", False),
        ("delete-replaced", True),
    ]
    assert engine.state.by_name("a").id == "tiny-2"
    assert [(p.id, p.delete) for p in engine.state.pending_deletes] == [("tiny-1", True)]
    assert '"delete": true' in world.state_path.read_text()

    world.heal()
    world.take_calls()
    retry = engine.up(items("a", value="y", provider=replacing))
    assert [s.op for s in retry.steps_for("a")] == ["same", "delete-replaced"]
    assert [(c["method"], c.get("id")) for c in world.take_calls("delete")] == [
        ("delete", "tiny-1")
    ]
    assert engine.state.pending_deletes == []


def test_a_failed_create_after_delete_before_replace_leaves_a_pending_replacement(world):
    engine = world.engine()
    replacing = TinyProvider(replace_on=["value"], delete_before_replace=True)
    engine.up(items("a", value="x", provider=replacing))
    world.fail("create", "a")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(items("a", value="y", provider=replacing))

    assert [(s.op, s.failed) for s in raised.value.result.steps_for("a")] == [
        ("delete-replaced", False),
        ("replace", False),
        ("create-replacement", True),
    ]
    original = engine.state.by_name("a")
    assert (original.id, original.pending_replacement) == ("tiny-1", True)
    assert world.items() == {}

    # Dropping it from the program just forgets it: it was deleted already.
    forgotten = world.state_path.with_name("forgotten.json")
    shutil.copy(world.state_path, forgotten)
    world.take_calls()
    dropped = world.engine(state_path=forgotten)
    assert dropped.up(items()).steps_for("a") == []
    assert world.take_calls("delete") == []
    assert dropped.state.custom_resources() == []

    world.heal()
    world.take_calls()
    retry = engine.up(items("a", value="y", provider=replacing))
    assert retry.op("a") == "create"
    assert [c["method"] for c in world.take_calls()] == ["configure", "check", "create"]
    assert (engine.state.by_name("a").id, engine.state.by_name("a").pending_replacement) == (
        "tiny-2",
        False,
    )


def test_check_failures_fail_the_resource_with_their_messages(world):
    engine = world.engine()

    def program() -> None:
        Tiny("a", {"invalid": "yes", "count": -1})

    for operation in (engine.preview, engine.up):
        with pytest.raises(DeploymentFailed) as raised:
            operation(program)
        result = raised.value.result
        assert result.errors == ["invalid: must not be set (got yes)\ncount: must not be negative"]
        assert result.resource_calls() == [("Check", "a")]
    assert engine.state.custom_resources() == []


def test_expect_no_changes_raises_after_the_operation_like_the_cli(world):
    engine = world.engine()
    engine.up(items("a", value="x"))

    with pytest.raises(ExpectedNoChanges) as raised:
        engine.preview(items("a", value="y"), expect_no_changes=True)
    assert str(raised.value) == (
        "no changes were expected but changes were proposed:\n"
        "  update pulumi-python:dynamic:Resource a [diff: value]"
    )
    assert engine.state.by_name("a").outputs["value"] == "x"

    with pytest.raises(ExpectedNoChanges):
        engine.up(items("a", value="y"), expect_no_changes=True)
    assert engine.state.by_name("a").outputs["value"] == "y"  # the update was still applied


def test_a_program_exception_fails_the_operation_and_skips_deletes(world):
    engine = world.engine()
    engine.up(items("old"))

    def program() -> None:
        Tiny("a")
        raise ValueError("boom")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(program)

    (error,) = raised.value.result.errors
    assert error.startswith("Program failed with an unhandled exception:\nTraceback")
    assert error.endswith("ValueError: boom")
    assert sorted(r.name for r in engine.state.custom_resources()) == ["a", "old"]


def test_preview_failures_save_nothing(world):
    engine = world.engine()
    world.fail("create", "a")  # a preview never creates, so this does not matter
    engine.preview(items("a"))

    with pytest.raises(DeploymentFailed):
        engine.preview(lambda: Tiny("a", {"invalid": "yes"}))
    assert not world.state_path.exists()


def test_a_provider_process_that_exits_before_its_port_fails_the_resource(world):
    engine = world.engine(python="false")

    with pytest.raises(DeploymentFailed) as raised:
        engine.up(items("a"))

    result = raised.value.result
    assert result.errors == [
        "could not read plugin [false -u -m pulumi.dynamic 127.0.0.1:0]: exit status 1"
    ]
    assert result.steps_for("a")[0].op == "create"


def test_a_failed_deployment_leaves_no_unobserved_failure_behind(
    world, caplog: pytest.LogCaptureFixture
):
    """The SDK leaves the futures of failed registrations unread; asyncio would log each one
    ("Future exception was never retrieved", with a second traceback) when it is collected."""
    engine = world.engine()
    for name in ("a", "b", "c"):
        world.fail("create", name)
    with pytest.raises(DeploymentFailed):
        engine.up(items("a", "b", "c"))
    gc.collect()
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []
