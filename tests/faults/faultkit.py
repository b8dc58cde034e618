"""Helpers of the fault tests: the emulator's trunks, the journal, and the errors users see."""

from __future__ import annotations

from typing import Any

from engine_harness import Engine, OperationResult, ResourceState
from pulumi_autocalls import AutocallsClient, SipTrunkRecord
from pulumi_autocalls._core.retry import RetryPolicy
from pulumi_autocalls.emulator import EmulatorProcess

TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"
TRUNKS = "/api/user/phone-numbers/sip-trunks"
PHONE_NUMBERS = "/api/user/phone-numbers"


def trunk_path(trunk_id: str) -> str:
    return f"{TRUNKS}/{trunk_id}"


def delete_path(trunk_id: str) -> str:
    return f"{PHONE_NUMBERS}/{trunk_id}"


class Live:
    """What the emulator holds, read through the API without retries.

    Read it only once every injected fault is used up (assert ``emulator.faults() == []``
    first), and after taking what you need from the journal: these reads are journaled too.
    """

    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator

    def client(self) -> AutocallsClient:
        return AutocallsClient(
            self.emulator.api_keys[0],
            base_url=self.emulator.base_url,
            retry=RetryPolicy(max_retries=0),
        )

    def trunks(self) -> list[SipTrunkRecord]:
        """Every trunk, in full, by id."""
        with self.client() as api:
            return [api.get_sip_trunk(summary.id) for summary in api.list_sip_trunks()]

    def trunk(self, trunk_id: str) -> SipTrunkRecord:
        with self.client() as api:
            return api.get_sip_trunk(trunk_id)

    def delete(self, trunk_id: str) -> None:
        """Delete a trunk behind the stack's back."""
        with self.client() as api:
            api.delete_sip_trunk(trunk_id)


def journal(emulator: EmulatorProcess) -> list[tuple[str, str, int]]:
    """``(method, path, status)`` of every journaled request; status 0 is a dropped connection."""
    return [(r["method"], r["path"], r["status"]) for r in emulator.requests()]


def error_lines(result: OperationResult) -> list[str]:
    """The last line of each error: the exception the provider raised, as the CLI prints it
    under its traceback."""
    return [error.rstrip().splitlines()[-1] for error in result.errors]


def failed_resources(result: OperationResult) -> list[str]:
    """The names of the resources whose step failed, in order."""
    return [urn.rsplit("::", 1)[-1] for urn, _ in result.errors_by_urn]


def trunk_state(stack: Engine, name: str = "main") -> ResourceState:
    return stack.state.by_name(name, TYPE)


def trunk_states(stack: Engine) -> list[ResourceState]:
    return [entry for entry in stack.state.custom_resources() if entry.type == TYPE]


def plain_outputs(entry: ResourceState) -> dict[str, Any]:
    """A trunk's outputs with the password unwrapped and ``__provider`` left out."""
    outputs: dict[str, Any] = {}
    for key, value in entry.outputs.items():
        if key == "__provider":
            continue
        outputs[key] = getattr(value, "value", value)
    return outputs


def matches_live(entry: ResourceState, record: SipTrunkRecord) -> bool:
    """True if a trunk's state records exactly the live trunk (every field the API returns)."""
    return records_live(entry.id, plain_outputs(entry), record)


def records_live(trunk_id: str, outputs: dict[str, Any], record: SipTrunkRecord) -> bool:
    """True if a trunk's id and outputs are exactly the live trunk (every field the API returns)."""
    values = record.model_dump()
    return trunk_id == str(record.id) and all(
        outputs.get(key) == value for key, value in values.items() if key != "id"
    )
