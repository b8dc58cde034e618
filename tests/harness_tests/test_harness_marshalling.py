"""Marshalling: unknowns, numbers and secrets between program, engine, provider and state."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
import pytest
from engine_harness import Computed, IncorrectPassphraseError, Secret

from harness_tests.tinyprov import Tiny

UNKNOWN = {"$unknown": True}


def chained(value: str) -> Callable[[], None]:
    def program() -> None:
        a = Tiny("a", {"value": value})
        Tiny(
            "b",
            {"ref": a.serial, "nested": {"ref": a.serial, "keep": "k"}, "items": [a.serial, "z"]},
        )

    return program


def test_unknowns_reach_only_preview_check_and_diff(world):
    engine = world.engine()

    engine.preview(chained("x"))
    b_check = world.take_calls("check")[1]
    assert b_check["news"] == {
        "name": "b",
        "ref": UNKNOWN,
        "nested": {"ref": UNKNOWN, "keep": "k"},
        "items": [UNKNOWN, "z"],
        "__provider": "P",
    }

    engine.up(chained("x"))
    assert "$unknown" not in json.dumps(world.take_calls())

    preview = engine.preview(chained("y"))
    assert preview.ops() == {"tiny-dev": "same", "a": "update", "b": "update"}
    calls = world.take_calls()
    b_diff = next(c for c in calls if c["method"] == "diff" and c["id"] == "tiny-2")
    assert b_diff["olds"]["ref"] == 1.0
    assert b_diff["news"]["ref"] == UNKNOWN
    assert b_diff["news"]["items"] == [UNKNOWN, "z"]
    assert not [c for c in calls if c["method"] in ("create", "update", "delete")]

    up = engine.up(chained("y"))
    assert up.ops() == {"tiny-dev": "same", "a": "update", "b": "same"}
    assert "$unknown" not in json.dumps(world.take_calls())


def test_numbers_reach_the_provider_as_floats(world):
    engine = world.engine()

    def program() -> None:
        a = Tiny(
            "a",
            {"count": 3, "ratio": 0.5, "items": [1, None, "a"], "deep": {"n": 2, "gone": None}},
        )
        pulumi.export("serial", a.serial)

    engine.up(program)

    check, create = world.take_calls("check", "create")
    expected = {
        "name": "a",
        "count": 3.0,
        "ratio": 0.5,
        "items": [1.0, None, "a"],
        "deep": {"n": 2.0},  # the server drops nested None before user code sees it
        "__provider": "P",
    }
    assert check["news"] == expected
    assert create["props"] == expected
    assert type(check["news"]["count"]) is float
    assert type(create["props"]["deep"]["n"]) is float
    state = engine.state.by_name("a")
    assert type(state.inputs["count"]) is float
    assert type(state.outputs["serial"]) is float  # the provider returned the int 1
    assert engine.outputs == {"serial": 1.0}


def password_program() -> None:
    config = pulumi.Config()
    password = config.require_secret("password")
    a = Tiny("a", {"password": password, "nested": {"pw": password, "plain": "p"}})
    pulumi.export("password", a.password)  # type: ignore[attr-defined]
    pulumi.export("serial", a.serial)


def test_secrets_are_plaintext_to_the_provider_and_secret_again_in_state(world):
    engine = world.engine(config={"tiny:password": Secret("s3cret")})

    engine.up(password_program)

    configure, check, create = world.take_calls()
    assert configure["config"] == {"tiny:password": "s3cret"}
    assert check["news"]["password"] == "s3cret"
    assert check["news"]["nested"] == {"pw": "s3cret", "plain": "p"}
    assert create["props"]["password"] == "s3cret"

    state = engine.state.by_name("a")
    assert state.inputs["password"] == Secret("s3cret")
    assert state.inputs["nested"] == {"pw": Secret("s3cret"), "plain": "p"}
    assert state.outputs["password"] == Secret("s3cret")
    assert state.outputs["nested"] == {"pw": Secret("s3cret"), "plain": "p"}
    assert state.outputs["serial"] == 1.0
    assert isinstance(state.outputs["__provider"], Secret)
    assert engine.outputs == {"password": Secret("s3cret"), "serial": 1.0}
    provider_urn = "urn:pulumi:dev::tiny::pulumi:providers:pulumi-python::default"
    assert engine.state[provider_urn].inputs == {"tiny:password": Secret("s3cret")}


def test_the_state_file_has_no_plaintext_secret_and_reloads_them(world):
    engine = world.engine(config={"tiny:password": Secret("s3cret")})
    engine.up(password_program)
    text = world.state_path.read_text()
    provider_code = engine.state.by_name("a").inputs["__provider"].value  # type: ignore[union-attr]

    assert "s3cret" not in text
    assert provider_code not in text
    # __provider, password and nested.pw in inputs and in outputs, the stack output, and the
    # stack config as the provider resource's inputs and outputs.
    assert text.count('"ciphertext"') == 9

    reloaded = world.engine(config={"tiny:password": Secret("s3cret")})
    assert reloaded.state == engine.state
    assert reloaded.outputs == {"password": Secret("s3cret"), "serial": 1.0}
    reloaded.up(password_program, expect_no_changes=True)
    with pytest.raises(IncorrectPassphraseError):
        world.engine(passphrase="not the passphrase")


def test_additional_secret_outputs_mark_outputs_secret(world):
    engine = world.engine()

    def program() -> None:
        a = Tiny("a", {"value": "x"}, pulumi.ResourceOptions(additional_secret_outputs=["serial"]))
        pulumi.export("serial", a.serial)

    result = engine.up(program)

    state = engine.state.by_name("a")
    assert state.outputs["serial"] == Secret(1.0)
    assert state.inputs["value"] == "x"
    assert state.additional_secret_outputs == ["serial"]
    assert result.outputs == {"serial": Secret(1.0)}
    assert engine.up(program).outputs == {"serial": Secret(1.0)}


def test_preview_outputs_keep_unknowns_and_secrets(world):
    engine = world.engine(config={"tiny:password": Secret("s3cret")})
    result = engine.preview(password_program)
    assert result.outputs == {"password": Secret("s3cret"), "serial": Computed()}
