"""Programs from a project directory, SDK isolation between runs, and concurrency."""

from __future__ import annotations

import base64
import itertools
import threading
from pathlib import Path

import pulumi
import pulumi.runtime
from engine_harness import Engine, Secret, StepDiff

from harness_tests.tinyprov import Tiny

MAIN = """\
import os

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class EchoProvider(ResourceProvider):
    def create(self, props):
        print("echo: creating in", os.getcwd())
        return CreateResult("echo-1", dict(props))


class Echo(Resource):
    def __init__(self, name, props):
        super().__init__(EchoProvider(), name, props)


config = pulumi.Config()
echo = Echo("echo", {"greeting": config.require("greeting")})
pulumi.export("greeting", echo.greeting)
pulumi.export("cwd", os.getcwd())
"""


def test_a_project_directory_program_runs_as_main_like_the_language_host(tmp_path: Path):
    project = tmp_path / "echo"
    project.mkdir()
    (project / "__main__.py").write_text(MAIN)
    engine = Engine(project, project="echo", config={"echo:greeting": "hello"})

    first = engine.up(project)

    assert first.outputs == {"greeting": "hello", "cwd": str(project)}
    assert first.diagnostics == [f"echo: creating in {project}"]
    provider = engine.state.by_name("echo").inputs["__provider"]
    assert isinstance(provider, Secret)
    # A class defined in __main__ is pickled by value (its code travels in the pickle).
    assert b"_create_type" in base64.b64decode(provider.value)
    engine.up(project, expect_no_changes=True)

    # Moving a line changes the pickled code; the default diff() leaves it to the engine,
    # which sees __provider change, and the default update() wipes the outputs.
    (project / "__main__.py").write_text("\n" + MAIN)
    edited = engine.up(project)

    step = edited.steps_for("echo")[0]
    assert step.op == "update"
    assert step.diff == StepDiff("DIFF_UNKNOWN", changes=True, changed_keys=("__provider",))
    assert list(engine.state.by_name("echo").outputs) == ["__provider"]


LOCAL_PROVIDER = """\
from pulumi.dynamic import CreateResult, Resource, ResourceProvider, UpdateResult

LABEL = "{label}"


class LabelProvider(ResourceProvider):
    def create(self, props):
        return CreateResult("label-1", {{**props, "by": LABEL}})

    def update(self, id_, olds, news):
        return UpdateResult({{**news, "by": LABEL}})


class Labelled(Resource):
    def __init__(self, name):
        super().__init__(LabelProvider(), name, {{"label": LABEL, "by": None}})
"""


def test_a_provider_in_a_project_module_is_pickled_by_reference_and_reloaded(tmp_path: Path):
    project = tmp_path / "labels"
    project.mkdir()
    (project / "__main__.py").write_text(
        'import pulumi\nfrom labels import Labelled\n\npulumi.export("by", Labelled("l").by)\n'
    )
    (project / "labels.py").write_text(LOCAL_PROVIDER.format(label="v1"))
    engine = Engine(project, project="labels")

    assert engine.up(project).outputs == {"by": "v1"}
    provider = engine.state.by_name("l").inputs["__provider"]
    assert isinstance(provider, Secret)
    assert b"labels" in base64.b64decode(provider.value)
    assert len(provider.value) < 200  # module and class name only

    (project / "__main__.py").write_text("\n" + (project / "__main__.py").read_text())
    engine.up(project, expect_no_changes=True)  # by reference: edits do not touch __provider

    (project / "labels.py").write_text(LOCAL_PROVIDER.format(label="v2"))
    result = engine.up(project)  # the module is imported afresh, as by a new language host
    assert result.op("l") == "update"
    assert result.outputs == {"by": "v2"}


def test_operations_leave_no_sdk_state_behind(world):
    engine = world.engine()
    engine.preview(lambda: Tiny("a"))
    engine.up(lambda: Tiny("a"))

    seen: dict[str, object] = {}

    def look() -> None:
        seen["monitor"] = pulumi.runtime.settings.get_monitor()
        seen["dry_run"] = pulumi.runtime.is_dry_run()
        seen["root"] = pulumi.runtime.settings.get_root_resource()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert seen == {"monitor": None, "dry_run": False, "root": None}


def test_check_and_diff_run_one_at_a_time_and_creates_in_parallel(world):
    def program() -> None:
        for index in range(4):
            Tiny(f"r{index}", {"slow": 0.3, "slow_check": 0.05})

    def overlaps(calls: list[dict[str, float]]) -> bool:
        spans = sorted((call["started"], call["ended"]) for call in calls)
        return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))

    world.engine().up(program)
    calls = world.take_calls(timing=True)
    assert not overlaps([c for c in calls if c["method"] == "check"])
    assert overlaps([c for c in calls if c["method"] == "create"])

    world.engine(parallel=1, state_path=world.state_path.with_name("serial.json")).up(program)
    calls = world.take_calls(timing=True)
    assert not overlaps([c for c in calls if c["method"] == "create"])
