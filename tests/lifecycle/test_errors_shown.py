"""What a user sees when an operation fails, on both engines: the first line of the error on the
resource's row is our one sentence (``autocalls: <operation> failed: ...``), not the
``Traceback (most recent call last):`` that the dynamic-provider server sends first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_harness import Secret
from engines import StackDriver
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls._core.config import MISSING_API_KEY_MESSAGE
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import trunk_args, trunks_program

MakeStack = Callable[..., StackDriver]


def failed_create(make_stack: MakeStack, config: dict[str, str | Secret]) -> tuple[str, str]:
    """The first line of the error reported for the trunk, and everything the user saw."""
    stack = make_stack(trunks_program({"main": trunk_args()}), project="trunks", config=config)
    failed = stack.failure("up")
    assert stack.resource_names() == []
    return failed.errors["main"].splitlines()[0], failed.text


def emulator_config(emulator: EmulatorProcess) -> dict[str, str | Secret]:
    return {
        "autocalls:apiKey": Secret(emulator.api_keys[0]),
        "autocalls:baseUrl": emulator.base_url,
    }


def test_a_conflict_names_the_trunk_it_collides_with(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    with AutocallsClient(clean_emulator.api_keys[0], base_url=clean_emulator.base_url) as api:
        existing = api.create_sip_trunk(trunk_args())

    first_line, shown = failed_create(make_stack, emulator_config(clean_emulator))

    assert first_line == (
        "autocalls: create SIP trunk failed: HTTP 409 Conflict: A SIP trunk with the same phone "
        f"number, username, and address already exists. It is SIP trunk {existing.id}: if this "
        "resource should manage it (for example, an earlier run created it and lost the "
        f'answer), set adopt_id="{existing.id}".'
    )
    assert "s3cret-pass" not in shown


def test_a_validation_error_gives_the_apis_messages_per_field(
    make_stack: MakeStack, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(422, method="POST")

    first_line, _ = failed_create(make_stack, emulator_config(clean_emulator))

    assert first_line == (
        "autocalls: create SIP trunk failed: HTTP 422 Unprocessable Entity: The given data was "
        "invalid. (sip_address: SIP server address is required.; sip_calling_format: SIP calling "
        "format must be one of: +e164, e164, national.)"
    )


def test_a_missing_api_key_says_how_to_set_it(
    make_stack: MakeStack, clean_emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTOCALLS_API_KEY", raising=False)

    first_line, _ = failed_create(make_stack, {"autocalls:baseUrl": clean_emulator.base_url})

    assert first_line == f"autocalls: {MISSING_API_KEY_MESSAGE}"
    assert clean_emulator.requests() == []
