"""Stack config (to the program and to ``configure()``) and what the provider prints."""

from __future__ import annotations

import pulumi
from engine_harness import OutputLine, Secret

from harness_tests.tinyprov import Tiny

CONFIG = {
    "tiny:token": Secret("t0k3n"),
    "tiny:region": "eu",
    "aws:region": "us-east-1",
}


def program() -> None:
    config = pulumi.Config()
    Tiny("a")
    pulumi.export("region", config.require("region"))
    pulumi.export("token", config.require_secret("token"))
    pulumi.export("aws_region", pulumi.Config("aws").get("region"))


def test_config_reaches_the_program_and_configure_namespaced_with_secrets_unwrapped(world):
    engine = world.engine(config=CONFIG)

    result = engine.up(program)

    assert result.outputs == {"region": "eu", "token": Secret("t0k3n"), "aws_region": "us-east-1"}
    assert world.take_calls("configure") == [
        {
            "method": "configure",
            "config": {"tiny:token": "t0k3n", "tiny:region": "eu", "aws:region": "us-east-1"},
            "token": "t0k3n",  # Config.get("token") is prefixed with the project name
        }
    ]
    provider = engine.state["urn:pulumi:dev::tiny::pulumi:providers:pulumi-python::default"]
    assert provider.inputs == CONFIG
    assert engine.state.by_name("a").provider == f"{provider.urn}::{provider.id}"


def test_a_config_change_updates_only_the_hidden_default_provider(world):
    engine = world.engine(config=CONFIG)
    engine.up(program)
    world.take_calls()

    engine.config["tiny:region"] = "us"
    result = engine.up(program, expect_no_changes=True)

    assert [(step.op, step.name) for step in result.provider_steps] == [("update", "default")]
    assert result.ops()["a"] == "same"
    assert world.take_calls("configure")[0]["config"]["tiny:region"] == "us"
    assert result.outputs["region"] == "us"


def test_refresh_and_destroy_configure_with_the_config_stored_at_the_last_up(world):
    engine = world.engine(config=CONFIG)
    engine.up(program)
    world.take_calls()
    engine.config["tiny:token"] = Secret("rotated")

    engine.refresh()
    assert world.take_calls("configure")[0]["token"] == "t0k3n"

    engine.destroy()
    assert world.take_calls("configure")[0]["token"] == "t0k3n"


def test_everything_the_provider_prints_is_captured_as_diagnostics(world):
    engine = world.engine()

    up = engine.up(lambda: Tiny("a"))

    assert up.diagnostics == ["tinyprov: created tiny-1 for a"]
    assert up.provider_output == [OutputLine("stdout", "tinyprov: created tiny-1 for a")]
    assert (
        "Diagnostics:\n  pulumi:pulumi:Stack (tiny-dev):\n    tinyprov: created tiny-1 for a"
        in up.render()
    )

    destroy = engine.destroy()

    assert destroy.provider_output == [OutputLine("stderr", "tinyprov: deleted tiny-1")]


def test_program_log_messages_are_kept_and_rendered(world):
    engine = world.engine()

    def logging_program() -> None:
        pulumi.log.warn("careful")
        Tiny("a")

    result = engine.preview(logging_program)

    assert [(m.severity, m.message) for m in result.logs] == [("warning", "careful")]
    assert "    warning: careful" in result.render()
