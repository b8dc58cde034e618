"""A whole lifecycle with a recognizable password and API key, logging at DEBUG everywhere:
afterwards the canaries appear only inside Pulumi secrets.

Searched: the state file on disk and the state in memory after every operation (every value not
inside a secret), the serialized provider of every trunk, every stack output, everything the
provider process wrote (DEBUG logs of every library, notices), every error and exception text,
what the CLI would print, the log records of this process, and the emulator's journal and log.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_harness import DeploymentFailed, Engine, OperationResult, Secret, StackState
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunk_engine, trunks_program

PASSWORD = "PW-canary-8d1f2"
API_KEY = "KEY-canary-77c1"
CANARIES = ("canary-8d1f2", "canary-77c1")
TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"


def plain_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every string in a state value that is not inside a Secret."""
    if isinstance(value, Secret):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from plain_strings(key, f"{path}/<key>")
            yield from plain_strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from plain_strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def secret_strings(value: Any) -> Iterator[str]:
    """Every string inside a Secret, at any depth."""
    if isinstance(value, Secret):
        yield json.dumps(value.value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from secret_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from secret_strings(item)


def state_exposure(state: StackState) -> list[tuple[str, str]]:
    found = []
    for entry in [*state.resources.values(), *state.pending_deletes]:
        for part in ("inputs", "outputs"):
            for path, text in plain_strings(getattr(entry, part)):
                found.append((f"state {entry.name} {part}{path}", text))
        found.append((f"state {entry.name} id", entry.id))
    return found


class Exposure:
    """Everything the run showed or wrote outside Pulumi secrets, by where it was seen."""

    def __init__(self, stack: Engine) -> None:
        self.stack = stack
        self.seen: list[tuple[str, str]] = []

    def add(self, where: str, text: str) -> None:
        self.seen.append((where, text))

    def run(self, name: str, operation: Callable[[], OperationResult]) -> OperationResult:
        try:
            result = operation()
        except DeploymentFailed as failed:
            self.add(f"{name}: exception", str(failed))
            result = failed.result
        self.result(name, result)
        return result

    def result(self, name: str, result: OperationResult) -> None:
        for line in result.provider_output:
            self.add(f"{name}: provider {line.stream}", line.text)
        self.seen += [(f"{name}: diagnostic", text) for text in result.diagnostics]
        self.seen += [(f"{name}: error", text) for text in result.errors]
        self.seen += [(f"{name}: program log", log.message) for log in result.logs]
        self.add(f"{name}: rendered", result.render())
        for key, value in result.outputs.items():
            self.seen += [(f"{name}: output {key}{p}", t) for p, t in plain_strings(value)]
        if not result.dry_run and self.stack.state_path is not None:
            self.add(f"{name}: state file", self.stack.state_path.read_text())
            self.seen += [(f"{name}: {w}", t) for w, t in state_exposure(self.stack.state)]
            for entry in self.stack.state.custom_resources():
                for part in (entry.inputs, entry.outputs):
                    if "__provider" in part:
                        pickled = base64.b64decode(part["__provider"].value)
                        self.add(f"{name}: __provider of {entry.name}", pickled.decode("latin-1"))

    def leaks(self) -> list[tuple[str, str]]:
        return [(where, text) for where, text in self.seen if any(c in text for c in CANARIES)]


def test_canaries_stay_inside_secrets(
    clean_emulator: EmulatorProcess,
    tmp_path: Path,
    debug_logging_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator = clean_emulator
    emulator.set_api_keys([API_KEY])
    stack = trunk_engine(
        emulator,
        tmp_path,
        config={"autocalls:apiKey": Secret(API_KEY), "autocalls:maxRetries": "1"},
        env=debug_logging_env,
    )
    exposure = Exposure(stack)
    specs = {"main": trunk_args(sip_password=PASSWORD)}
    program = trunks_program(specs)

    exposure.run("preview", lambda: stack.preview(program))
    exposure.run("up", lambda: stack.up(program))
    exposure.run("no-change preview", lambda: stack.preview(program, expect_no_changes=True))

    emulator.add_fault(503, method="PUT")  # retried: the client logs the retry
    specs["main"] = trunk_args(sip_password=PASSWORD + "-second")
    edited = exposure.run("edit", lambda: stack.up(program))
    assert edited.op("main") == "update"
    assert any("re-creates" in text for text in edited.diagnostics)  # the notice was searched
    exposure.run("refresh", lambda: stack.refresh(expect_no_changes=True))

    emulator.add_fault(500, method="PUT")
    specs["main"] = trunk_args(sip_password=PASSWORD + "-third")
    failed = exposure.run("failed edit", lambda: stack.up(program))
    assert failed.errors and "update SIP trunk" in failed.errors[0]
    emulator.add_fault(503, method="POST", after_commit=True)  # a lost create answer, found
    specs["other"] = trunk_args(sip_password=PASSWORD + "-other", phone_number="1001")
    specs["main"] = trunk_args(sip_password=PASSWORD + "-second")
    exposure.run("lost create", lambda: stack.up(program))
    exposure.run("destroy", lambda: stack.destroy())
    assert emulator.faults() == []

    assert any("__provider of main" in where for where, _ in exposure.seen)
    provider_lines = [text for where, text in exposure.seen if "provider stderr" in where]
    assert any(text.startswith("DEBUG pulumi_autocalls: PUT ") for text in provider_lines)
    assert any(
        text.startswith("INFO pulumi_autocalls: update SIP trunk") for text in provider_lines
    )
    for record in caplog.records:
        exposure.add(f"log record {record.name}", record.getMessage())
        exposure.add(f"log record {record.name} args", repr(record.args))
    exposure.add("captured log", caplog.text)
    journal = emulator.requests()
    exposure.add("emulator journal", json.dumps(journal))
    exposure.add("emulator log", emulator.stderr_text())

    assert exposure.leaks() == []
    passwords = [r["body"]["sip_password"] for r in journal if r["method"] in ("POST", "PUT")]
    assert passwords and set(passwords) == {"***"}


def test_canaries_are_inside_the_state_files_secrets(
    clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """The other half: the canaries are in the stack, as secrets (ciphertext on disk)."""
    emulator = clean_emulator
    emulator.set_api_keys([API_KEY])
    stack = trunk_engine(emulator, tmp_path, config={"autocalls:apiKey": Secret(API_KEY)})
    stack.up(trunks_program({"main": trunk_args(sip_password=PASSWORD)}))

    trunk = stack.state.by_name("main", TYPE)
    assert trunk.outputs["sip_password"] == Secret(PASSWORD)
    assert trunk.inputs["sip_password"] == Secret(PASSWORD)
    provider = stack.state.by_name("default")
    assert provider.inputs["autocalls:apiKey"] == Secret(API_KEY)
    everything = [
        text
        for entry in stack.state.resources.values()
        for text in secret_strings({**entry.inputs, **entry.outputs})
    ]
    assert any(PASSWORD in text for text in everything)
    assert any(API_KEY in text for text in everything)
    assert state_exposure(stack.state) and not any(
        canary in text for _, text in state_exposure(stack.state) for canary in CANARIES
    )
    assert stack.state_path is not None
    document = json.loads(stack.state_path.read_text())
    resources = document["checkpoint"]["latest"]["resources"]
    (saved,) = [r for r in resources if r["type"] == TYPE]
    assert set(saved["outputs"]["sip_password"]) == {
        "4dabf18193072939515e22adb298388d",
        "ciphertext",
    }
    assert not any(canary in stack.state_path.read_text() for canary in CANARIES)


def test_the_search_sees_a_canary_outside_a_secret() -> None:
    """The search itself: a canary in plain text is found, one inside a Secret is not."""
    value = {"plain": PASSWORD, "secret": Secret(PASSWORD), "list": [Secret(API_KEY), API_KEY]}
    assert list(plain_strings(value)) == [
        ("/<key>", "plain"),
        ("/plain", PASSWORD),
        ("/<key>", "secret"),
        ("/<key>", "list"),
        ("/list[1]", API_KEY),
    ]
    assert sorted(secret_strings(value)) == sorted([json.dumps(PASSWORD), json.dumps(API_KEY)])
