"""The serialized provider (``__provider``, stored with every trunk) carries no configuration,
so the API key lives only in the stack configuration and can be rotated there."""

from __future__ import annotations

import base64
import pickletools
from pathlib import Path

import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunk_engine, trunks_program

TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"
FIRST_KEY = "first-key-0123456789"
SECOND_KEY = "second-key-9876543210"


def serialized_providers(stack: Engine) -> set[str]:
    """Every ``__provider`` string the stack holds (inputs and outputs of every trunk)."""
    found = set()
    for entry in stack.state.custom_resources():
        if entry.type == TYPE:
            for properties in (entry.inputs, entry.outputs):
                value = properties["__provider"]
                assert isinstance(value, Secret)  # the SDK always marks it secret
                found.add(value.value)
    return found


def pickled_strings(serialized: str) -> list[str]:
    """The string arguments of the pickle's opcodes, and check every opcode is one of those that
    rebuild a class instance from a module-level class reference and an empty state."""
    allowed = {
        "PROTO",
        "FRAME",
        "SHORT_BINUNICODE",
        "MEMOIZE",
        "STACK_GLOBAL",
        "EMPTY_TUPLE",
        "NEWOBJ",
        "EMPTY_DICT",
        "BUILD",
        "STOP",
    }
    strings = []
    for opcode, argument, _ in pickletools.genops(base64.b64decode(serialized)):
        assert opcode.name in allowed, opcode.name
        if isinstance(argument, str):
            strings.append(argument)
    return strings


def test_serialized_provider_is_a_bare_class_reference(
    clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """Two stacks with different keys, settings and trunks, before and after an update: one and
    the same tiny ``__provider`` everywhere."""
    emulator = clean_emulator
    emulator.set_api_keys([FIRST_KEY, SECOND_KEY])
    for project in ("first", "second"):
        (tmp_path / project).mkdir()
    first = trunk_engine(
        emulator, tmp_path / "first", config={"autocalls:apiKey": Secret(FIRST_KEY)}
    )
    second = trunk_engine(
        emulator,
        tmp_path / "second",
        config={
            "autocalls:apiKey": Secret(SECOND_KEY),
            "autocalls:timeout": "7",
            "autocalls:maxRetries": "2",
        },
    )
    first_specs = {"main": trunk_args()}
    first.up(trunks_program(first_specs))
    after_create = serialized_providers(first)
    second.up(trunks_program({"other": trunk_args(phone_number="1001", sip_password="0ther")}))
    first_specs["main"] = trunk_args(sip_password="n3w-pass")
    first.up(trunks_program(first_specs))

    assert len(after_create) == 1
    assert serialized_providers(first) == serialized_providers(second) == after_create
    (serialized,) = after_create
    assert len(serialized) < 200
    assert pickled_strings(serialized) == ["pulumi_autocalls._provider", "SipTrunkProvider"]
    for secret in (FIRST_KEY, SECOND_KEY, "s3cret-pass", "n3w-pass", "0ther"):
        assert secret.encode() not in base64.b64decode(serialized)


def test_api_key_rotation(clean_emulator: EmulatorProcess, tmp_path: Path) -> None:
    """The key is rotated on the API and in the stack config. ``refresh`` and ``destroy`` run
    with the config saved at the last ``up`` (as the real engine does), so until an ``up`` they
    still use the old key; after one, everything uses the new key."""
    emulator = clean_emulator
    emulator.set_api_keys([FIRST_KEY])
    stack = trunk_engine(emulator, tmp_path, config={"autocalls:apiKey": Secret(FIRST_KEY)})
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = stack.state.by_name("main", TYPE).id

    emulator.set_api_keys([SECOND_KEY])
    stack.config["autocalls:apiKey"] = Secret(SECOND_KEY)
    assert stack.preview(program).op("main") == "same"  # nothing of the key is in the trunk

    with pytest.raises(DeploymentFailed) as failed:
        stack.refresh()
    assert failed.value.result.errors[0].rstrip().splitlines()[-1] == (
        f"pulumi_autocalls._exceptions.AuthenticationError: get SIP trunk {trunk_id} failed: "
        "HTTP 401 Unauthorized: Unauthenticated. Check the API key (autocalls:apiKey)."
    )

    specs["main"] = trunk_args(nickname="Rotated")
    emulator.clear_requests()
    assert stack.up(program).op("main") == "update"
    assert [(r["method"], r["status"]) for r in emulator.requests()] == [("PUT", 200)]
    stored = stack.state.by_name("default").inputs["autocalls:apiKey"]
    assert stored == Secret(SECOND_KEY)

    stack.refresh(expect_no_changes=True)
    stack.destroy()
    assert len(stack.state) == 0
    assert [r["status"] for r in emulator.requests()][-2:] == [200, 200]  # GET, DELETE
