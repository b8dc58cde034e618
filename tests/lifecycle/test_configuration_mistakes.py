"""Configuration mistakes as a user meets them, on both engines: the preview warns about each in
one line that names the setting and the fix (and needs no key at all), and the up that follows
fails with a message naming the setting."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from typing import Any

import pytest
from engine_harness import Secret
from engines import StackDriver
from pulumi_autocalls._core.config import SETTINGS
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_calls, trunk_args, trunks_program

MakeStack = Callable[..., StackDriver]

MISSING_KEY = (
    "autocalls: warning: No autocalls API key is configured (autocalls:apiKey or "
    "AUTOCALLS_API_KEY): a preview needs none, but 'pulumi up' does; set it with "
    "'pulumi config set --secret autocalls:apiKey <key>'."
)


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env_var, raising=False)


def stack_with(make_stack: MakeStack, config: dict[str, Any]) -> StackDriver:
    return make_stack(trunks_program({"main": trunk_args()}), project="trunks", config=config)


def preview_warnings(make_stack: MakeStack, config: dict[str, Any]) -> list[str]:
    """What the provider says in the preview of a new stack with ``config``."""
    return stack_with(make_stack, config).preview().notices


def test_a_preview_without_any_key_works_and_says_how_to_set_one(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    stack = stack_with(make_stack, {"autocalls:baseUrl": clean_emulator.base_url})
    preview = stack.preview()
    assert preview.ops["main"] == "create"
    assert preview.notices == [MISSING_KEY]
    assert api_calls(clean_emulator) == []
    assert "No autocalls API key is configured. Set it with " in stack.failure("up").text
    assert api_calls(clean_emulator) == []


def test_a_misspelt_key_is_named_with_the_setting_it_meant(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    config = {
        "autocalls:apikey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": clean_emulator.base_url,
    }
    preview = preview_warnings(make_stack, config)
    assert preview == [
        "autocalls: warning: autocalls:apikey is not a setting of the autocalls provider: "
        "did you mean autocalls:apiKey?",
        MISSING_KEY,
    ]


def test_plain_http_to_a_remote_host_is_pointed_out_in_preview(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    config = {
        "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": "http://api.example.com/api",
    }
    stack = stack_with(make_stack, config)
    refusal = (
        "Refusing to send the autocalls API key over plain http to api.example.com "
        "(autocalls:baseUrl); use https:// (plain http is allowed only for loopback addresses)."
    )
    assert stack.preview().notices == [f"autocalls: warning: {refusal}"]
    assert refusal in stack.failure("up").text


def test_a_correct_configuration_gets_no_warning(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    config = {
        "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": clean_emulator.base_url,
        "autocalls:timeout": "10",
        "autocalls:maxRetries": "2",
    }
    assert preview_warnings(make_stack, config) == []


def test_a_base_url_without_api_says_to_check_it(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    root = clean_emulator.base_url.removesuffix("/api")
    config = {"autocalls:apiKey": Secret(clean_emulator.api_keys[0]), "autocalls:baseUrl": root}
    shown = stack_with(make_stack, config).failure("up").text
    assert (
        f"create SIP trunk failed: HTTP 404 Not Found. Check the base URL (autocalls:baseUrl is "
        f"{root}): it usually ends in /api."
    ) in shown


def test_an_unreachable_api_says_how_long_it_was_tried_and_what_to_check(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        origin = f"http://127.0.0.1:{probe.getsockname()[1]}"
    # Nothing listens on the port any more.
    config = {
        "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": f"{origin}/api",
        "autocalls:maxRetries": "1",
    }
    shown = " ".join(stack_with(make_stack, config).failure("up").text.split())
    message = (
        f"create SIP trunk failed: could not reach {origin} (Connection refused). Retried 1 time "
        f"over SECONDS s; check the base URL (autocalls:baseUrl) and that {origin} is reachable."
    )
    assert re.search(re.escape(message).replace("SECONDS", r"\d+\.\d"), shown), shown
