"""Step logic: create / same / update / replace (both orders) / delete, and the diff rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from engine_harness import Computed, Secret, StepDiff

from harness_tests.tinyprov import Tiny, TinyProvider, TinyWidget

Program = Callable[[], None]


def one(value: str = "x", provider: TinyProvider | None = None, **options: Any) -> Program:
    def program() -> None:
        resource = Tiny(
            "a",
            {"value": value},
            pulumi.ResourceOptions(**options) if options else None,
            provider=provider,
        )
        pulumi.export("value", resource.value)  # type: ignore[attr-defined]
        pulumi.export("serial", resource.serial)

    return program


def test_up_creates_then_a_second_up_is_same(world):
    engine = world.engine()

    first = engine.up(one())

    assert first.ops() == {"tiny-dev": "create", "a": "create"}
    assert first.changes == {"create": 2}
    assert world.take_calls() == [
        {"method": "configure", "config": {}, "token": None},
        {"method": "check", "olds": {}, "news": {"name": "a", "value": "x", "__provider": "P"}},
        {"method": "create", "props": {"name": "a", "value": "x", "__provider": "P"}},
    ]
    state = engine.state.by_name("a")
    provider = state.inputs["__provider"]
    assert isinstance(provider, Secret)
    assert state.id == "tiny-1"
    assert state.inputs == {"__provider": provider, "name": "a", "value": "x"}
    assert state.outputs == {"__provider": provider, "name": "a", "value": "x", "serial": 1.0}
    assert engine.outputs == {"value": "x", "serial": 1.0}

    second = engine.up(one(), expect_no_changes=True)

    assert second.ops() == {"tiny-dev": "same", "a": "same"}
    assert second.changes == {}
    assert second.resource_calls() == [("Check", "a"), ("Diff", "a")]
    assert world.take_calls() == [
        {"method": "configure", "config": {}, "token": None},
        {
            "method": "check",
            "olds": {"name": "a", "value": "x", "__provider": "P"},
            "news": {"name": "a", "value": "x", "__provider": "P"},
        },
        {
            "method": "diff",
            "id": "tiny-1",
            "olds": {"name": "a", "value": "x", "serial": 1.0, "__provider": "P"},
            "news": {"name": "a", "value": "x", "__provider": "P"},
        },
    ]
    assert second.steps_for("a")[0].diff == StepDiff("DIFF_NONE", changes=False)


def test_preview_of_a_create_checks_only_and_shows_inputs_as_outputs(world):
    engine = world.engine()

    result = engine.preview(one())

    assert result.ops() == {"tiny-dev": "create", "a": "create"}
    assert [call.method for call in result.rpc_calls] == [
        "Handshake",
        "GetPluginInfo",
        "CheckConfig",
        "Configure",
        "Check",
        "Cancel",
    ]
    assert [call["method"] for call in world.take_calls()] == ["configure", "check"]
    # The engine answers a preview create with the checked inputs: other outputs are unknown.
    assert result.outputs == {"value": "x", "serial": Computed()}
    assert len(engine.state) == 0
    assert not world.state_path.exists()


def test_update_in_place_preview_then_up(world):
    engine = world.engine()
    engine.up(one("x"))
    world.take_calls()

    preview = engine.preview(one("y"))

    assert preview.ops() == {"tiny-dev": "same", "a": "update"}
    assert preview.steps_for("a")[0].display_keys == ("value",)
    assert [call["method"] for call in world.take_calls()] == ["configure", "check", "diff"]
    assert preview.outputs == {"value": "y", "serial": Computed()}
    assert engine.state.by_name("a").outputs["value"] == "x"

    up = engine.up(one("y"))

    assert up.changes == {"update": 1}
    assert world.take_calls("update") == [
        {
            "method": "update",
            "id": "tiny-1",
            "olds": {"name": "a", "value": "x", "serial": 1.0, "__provider": "P"},
            "news": {"name": "a", "value": "y", "__provider": "P"},
        }
    ]
    state = engine.state.by_name("a")
    assert (state.id, state.inputs["value"], state.outputs["value"]) == ("tiny-1", "y", "y")
    assert state.outputs["serial"] == 1.0


def test_replace_creates_the_replacement_before_deleting_the_original(world):
    engine = world.engine()
    replacing = TinyProvider(replace_on=["value"])
    engine.up(one("x", replacing))
    world.take_calls()

    preview = engine.preview(one("y", replacing))

    assert [step.op for step in preview.steps_for("a")] == [
        "create-replacement",
        "replace",
        "delete-replaced",
    ]
    assert [c["method"] for c in world.take_calls()] == ["configure", "check", "diff", "check"]

    up = engine.up(one("y", replacing))

    assert up.op("a") == "replace"
    assert up.changes == {"replace": 1}
    calls = world.take_calls()
    assert [(c["method"], c.get("id")) for c in calls] == [
        ("configure", None),
        ("check", None),
        ("diff", "tiny-1"),
        ("check", None),
        ("create", None),
        ("delete", "tiny-1"),
    ]
    assert calls[3]["olds"] == {}  # the second Check recomputes defaults from scratch
    assert calls[5]["props"] == {"name": "a", "value": "x", "serial": 1.0, "__provider": "P"}
    assert up.steps_for("a")[0].diff == StepDiff(
        "DIFF_SOME", changes=True, replaces=("value",), delete_before_replace=False
    )
    assert engine.state.by_name("a").id == "tiny-2"
    assert engine.state.pending_deletes == []
    assert list(world.items()) == ["tiny-2"]


def test_replace_deletes_first_when_the_provider_asks(world):
    engine = world.engine()
    replacing = TinyProvider(replace_on=["value"], delete_before_replace=True)
    engine.up(one("x", replacing))
    world.take_calls()

    up = engine.up(one("y", replacing))

    assert [step.op for step in up.steps_for("a")] == [
        "delete-replaced",
        "replace",
        "create-replacement",
    ]
    assert [(c["method"], c.get("id")) for c in world.take_calls()] == [
        ("configure", None),
        ("check", None),
        ("diff", "tiny-1"),
        ("check", None),
        ("delete", "tiny-1"),
        ("create", None),
    ]
    assert engine.state.by_name("a").id == "tiny-2"


def test_program_delete_before_replace_option_overrides_the_provider(world):
    engine = world.engine()
    replacing = TinyProvider(replace_on=["value"], delete_before_replace=False)
    engine.up(one("x", replacing, delete_before_replace=True))
    world.take_calls()

    engine.up(one("y", replacing, delete_before_replace=True))

    methods = [c["method"] for c in world.take_calls()]
    assert methods.index("delete") < methods.index("create")


def test_removed_resources_are_deleted_after_the_program_in_reverse_dependency_order(world):
    engine = world.engine()

    def three() -> None:
        a = Tiny("a")
        b = Tiny("b", {"after": a.serial})
        Tiny("c", opts=pulumi.ResourceOptions(depends_on=[b]))

    engine.up(three)
    world.take_calls()

    preview = engine.preview(lambda: None)
    assert [(step.op, step.name) for step in preview.steps][1:] == [
        ("delete", "c"),
        ("delete", "b"),
        ("delete", "a"),
    ]
    assert world.take_calls() == []  # nothing to Check, and a preview never deletes

    result = engine.up(lambda: None)

    assert [(step.op, step.name) for step in result.steps] == [
        ("same", "tiny-dev"),
        ("delete", "c"),
        ("delete", "b"),
        ("delete", "a"),
    ]
    assert [(c["method"], c.get("id")) for c in world.take_calls()] == [
        ("configure", None),
        ("delete", "tiny-3"),
        ("delete", "tiny-2"),
        ("delete", "tiny-1"),
    ]
    # The default provider is dropped with its last resource (a hidden step, no RPC).
    assert [(step.op, step.name) for step in result.provider_steps] == [("delete", "default")]
    assert list(engine.state) == ["urn:pulumi:dev::tiny::pulumi:pulumi:Stack::tiny-dev"]


def test_diff_unknown_falls_back_to_the_engine_input_diff_including_provider(world):
    engine = world.engine()
    engine_diff = TinyProvider(diff="engine")
    engine.up(one("x", engine_diff))

    same = engine.up(one("x", engine_diff))
    assert same.op("a") == "same"
    assert same.steps_for("a")[0].diff == StepDiff("DIFF_UNKNOWN", changes=False)

    # Another provider instance state pickles differently: only __provider changes.
    code_change = engine.up(one("x", TinyProvider(diff="engine", read_inputs=True)))
    step = code_change.steps_for("a")[0]
    assert step.op == "update"
    assert step.diff == StepDiff("DIFF_UNKNOWN", changes=True, changed_keys=("__provider",))
    assert step.display_keys == ()  # the CLI hides internal keys

    value_change = engine.up(one("y", TinyProvider(diff="engine", read_inputs=True)))
    assert value_change.steps_for("a")[0].diff == StepDiff(
        "DIFF_UNKNOWN", changes=True, changed_keys=("value",)
    )


def test_replace_on_changes_applies_only_to_engine_diffed_keys(world):
    engine = world.engine()
    engine_diff = TinyProvider(diff="engine")
    engine.up(one("x", engine_diff, replace_on_changes=["value"]))
    result = engine.up(one("y", engine_diff, replace_on_changes=["value"]))
    assert result.op("a") == "replace"
    assert result.steps_for("a")[0].diff == StepDiff(
        "DIFF_UNKNOWN", changes=True, changed_keys=("value",), replaces=("value",)
    )

    other = world.engine(state_path=world.state_path.with_name("other.json"))
    explicit = TinyProvider(diff="inputs")
    other.up(one("x", explicit, replace_on_changes=["value"]))
    result = other.up(one("y", explicit, replace_on_changes=["value"]))
    assert result.op("a") == "update"  # an explicit diff carries no changed keys


def test_ignore_changes_resets_the_path_to_the_old_input_before_check(world):
    engine = world.engine()
    engine.up(one("x", ignore_changes=["value"]))
    world.take_calls()

    result = engine.up(one("y", ignore_changes=["value"]))

    assert result.op("a") == "same"
    check = world.take_calls("check")[0]
    assert check["news"] == {"name": "a", "value": "x", "__provider": "P"}
    assert engine.state.by_name("a").inputs["value"] == "x"


def test_components_prefix_child_urns_and_keep_registered_outputs(world):
    engine = world.engine()

    class Group(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("tiny:index:Group", name, {}, None)
            Tiny("child", opts=pulumi.ResourceOptions(parent=self))
            TinyWidget("widget", {"size": 2})
            self.register_outputs({"label": "group"})

    result = engine.up(lambda: Group("g"))

    assert result.ops() == {
        "tiny-dev": "create",
        "g": "create",
        "child": "create",
        "widget": "create",
    }
    child = "urn:pulumi:dev::tiny::tiny:index:Group$pulumi-python:dynamic:Resource::child"
    assert engine.state[child].parent == "urn:pulumi:dev::tiny::tiny:index:Group::g"
    assert engine.state.by_name("widget").type == "pulumi-python:dynamic/tiny:Widget"
    assert engine.state.by_name("g").outputs == {"label": "group"}
    assert engine.up(lambda: Group("g")).changes == {}
