"""Errors the API means: 500 provisioning failures, 422 validation, 401 and a missing key.

Each one fails the step with one sentence naming the operation (and the trunk, once it has an
id), the status and the API's own words. A create leaves nothing behind; an update leaves the
stack holding the values the trunk still has, so the next ``up`` sends the same request again.
"""

from __future__ import annotations

import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from faultkit import (
    TRUNKS,
    Live,
    error_lines,
    failed_resources,
    journal,
    matches_live,
    trunk_path,
    trunk_state,
    trunk_states,
)
from pulumi_autocalls._core.config import MISSING_API_KEY_MESSAGE
from pulumi_autocalls._core.validation import check_inputs
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, trunk_args, trunks_program

ERRORS = "pulumi_autocalls._exceptions"


def test_provisioning_error_on_create_leaves_nothing(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator = clean_emulator
    program = trunks_program({"main": trunk_args()})
    emulator.add_fault(500, method="POST")

    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"{ERRORS}.InternalServerError: create SIP trunk failed: HTTP 500 Internal Server Error: "
        "Failed to create SIP trunk. Please try again or contact support."
    ]
    assert failed_resources(failed.value.result) == ["main"]
    assert journal(emulator) == [("POST", TRUNKS, 500)]  # the API says: not created
    assert live.trunks() == []
    assert trunk_states(stack) == []

    emulator.clear_requests()
    assert stack.up(program).op("main") == "create"
    assert journal(emulator) == [("POST", TRUNKS, 201)]
    (record,) = live.trunks()
    assert matches_live(trunk_state(stack), record)


def test_provisioning_error_on_update_keeps_the_old_values(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator = clean_emulator
    specs = {"main": trunk_args()}
    program = trunks_program(specs)
    stack.up(program)
    trunk_id = trunk_state(stack).id
    before = live.trunk(trunk_id)

    emulator.clear_requests()
    emulator.add_fault(500, method="PUT")
    specs["main"] = trunk_args(sip_password="n3w-pass", sip_address="sip2.provider.com")
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"{ERRORS}.InternalServerError: update SIP trunk {trunk_id} failed: HTTP 500 Internal "
        "Server Error: Failed to update SIP trunk. Please try again or contact support."
    ]
    assert live.trunk(trunk_id) == before
    assert matches_live(trunk_state(stack), before)
    assert trunk_state(stack).outputs["sip_password"] == Secret("s3cret-pass")

    up = stack.up(program)
    assert up.op("main") == "update"
    path = trunk_path(trunk_id)
    assert [call for call in journal(emulator) if call[0] == "PUT"] == [
        ("PUT", path, 500),
        ("PUT", path, 200),
    ]
    same_request = {"sip_password": "***", "sip_address": "sip2.provider.com"}
    assert api_bodies(emulator, "PUT") == [same_request, same_request]
    after = live.trunk(trunk_id)
    assert after.sip_address == "sip2.provider.com"
    assert matches_live(trunk_state(stack), after)
    assert trunk_state(stack).outputs["sip_password"] == Secret("n3w-pass")


def test_validation_error_from_the_api_lists_its_field_messages(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    """A value check() accepts and the API refuses, because the rule depends on what the API
    holds: the program adopts an existing DID trunk but declares an extension, so check()
    validates "1000" as an extension while the API validates it against the stored type."""
    emulator = clean_emulator
    with live.client() as api:
        did = api.create_sip_trunk(
            {**trunk_args(sip_trunk_type="number", phone_number="+14155551234"), "nickname": None}
        )
    declared = trunk_args(adopt_id=str(did.id))  # an "extension" with phone_number "1000"
    assert check_inputs(declared).failures == ()
    program = trunks_program({"main": declared})

    emulator.clear_requests()
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"{ERRORS}.UnprocessableEntityError: update SIP trunk {did.id} failed: HTTP 422 "
        "Unprocessable Entity: The given data was invalid. (phone_number: The phone number must "
        "be a valid E.164 number.)"
    ]
    assert [call[:2] for call in journal(emulator)] == [
        ("GET", trunk_path(str(did.id))),
        ("PUT", trunk_path(str(did.id))),
    ]
    assert journal(emulator)[-1][2] == 422
    assert trunk_states(stack) == []  # not adopted
    assert live.trunks() == [did]  # not changed


def test_wrong_api_key_is_one_sentence_on_how_to_set_it(
    stack: Engine, clean_emulator: EmulatorProcess, live: Live
) -> None:
    emulator = clean_emulator
    program = trunks_program({"main": trunk_args()})
    emulator.set_api_keys(["a-key-the-stack-does-not-have"])

    stack.preview(program)
    assert journal(emulator) == []
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"{ERRORS}.AuthenticationError: create SIP trunk failed: HTTP 401 Unauthorized: "
        "Unauthenticated. Check the API key (autocalls:apiKey)."
    ]
    assert journal(emulator) == [("POST", TRUNKS, 401)]
    assert trunk_states(stack) == []
    emulator.set_api_keys(emulator.api_keys)
    assert live.trunks() == []


def test_missing_api_key_fails_before_any_request_and_preview_needs_none(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    """No ``autocalls:apiKey`` and no AUTOCALLS_API_KEY (the conftest clears the environment the
    provider process inherits)."""
    emulator = clean_emulator
    del stack.config["autocalls:apiKey"]
    program = trunks_program({"main": trunk_args()})

    assert stack.preview(program).op("main") == "create"
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert error_lines(failed.value.result) == [
        f"{ERRORS}.ConfigurationError: {MISSING_API_KEY_MESSAGE}"
    ]
    assert MISSING_API_KEY_MESSAGE == (
        "No autocalls API key is configured. Set it with 'pulumi config set --secret "
        "autocalls:apiKey <key>' or the AUTOCALLS_API_KEY environment variable."
    )
    assert failed_resources(failed.value.result) == ["main"]
    assert journal(emulator) == []
    assert trunk_states(stack) == []
