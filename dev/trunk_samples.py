"""Sample SIP trunks, and stacks of them run through the engine harness against the emulator.

Shared by the tests, the benchmarks and the scripts: the one place a sample trunk is written out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pulumi
from engine_harness import Engine, Secret
from pulumi_autocalls import RetryPolicy, SipTrunk
from pulumi_autocalls.emulator import EmulatorProcess

EMULATOR_API_KEY = "test-key-0123456789"
"""The key the tests' emulators accept."""
TRUNKS_PATH = "/api/user/phone-numbers/sip-trunks"
"""The SIP trunk route as the emulator's journal shows it."""
FAST_RETRIES = RetryPolicy(max_retries=4, backoff_initial=0.01, backoff_max=0.01, jitter=False)
"""The default number of retries without the real backoff's waits."""

TRUNK_ARGS: dict[str, Any] = {
    "sip_trunk_type": "extension",
    "phone_number": "1000",
    "nickname": "Provider X - Main",
    "sip_username": "myuser",
    "sip_password": "s3cret-pass",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}


EDITS: dict[str, Any] = {
    "phone_number": "1001",
    "nickname": "Backup line",
    "sip_username": "otheruser",
    "sip_password": "n3w-pass",
    "sip_address": "sip2.provider.com",
    "sip_calling_format": "national",
    "country_code": "GB",
    "outbound_proxy": True,
}
"""One edit per updatable row of the field table, each value different from ``TRUNK_ARGS``."""
IP_AUTH = {"inbound_authorization_type": "ip", "allowed_inbound_ips": ["203.0.113.10"]}
"""The switch to ip authorization: the two fields that change together."""


def trunk_args(**changes: Any) -> dict[str, Any]:
    """Keyword arguments of a valid ``SipTrunk``; a change to ``None`` removes that argument."""
    args = {**TRUNK_ARGS, **changes}
    return {key: value for key, value in args.items() if value is not None}


def desired(**changes: Any) -> dict[str, Any]:
    """Checked inputs as the provider receives them from the engine (``__provider`` included)."""
    return trunk_args(outbound_proxy=False, __provider="serialized", **changes)


def trunk_engine(
    emulator: EmulatorProcess,
    root: Path,
    *,
    project: str = "trunks",
    config: Mapping[str, str | Secret] | None = None,
    **options: Any,
) -> Engine:
    """An engine for a stack whose provider talks to ``emulator``, state saved under ``root``."""
    stack_config: dict[str, str | Secret] = {
        "autocalls:apiKey": Secret(emulator.api_keys[0]),
        "autocalls:baseUrl": emulator.base_url,
        **(config or {}),
    }
    options.setdefault("state_path", root / "state" / "dev.json")
    return Engine(root, project=project, config=stack_config, **options)


def trunks_program(specs: Mapping[str, Mapping[str, Any]]) -> Callable[[], None]:
    """A program declaring one SipTrunk per entry of ``specs`` (read when the program runs, so a
    test edits the program by editing ``specs``), exporting each trunk's id and voice trunk ids."""

    def program() -> None:
        for name, args in specs.items():
            trunk = SipTrunk(name, **args)
            pulumi.export(f"{name}_id", trunk.id)
            pulumi.export(f"{name}_inbound_trunk_id", trunk.inbound_trunk_id)
            pulumi.export(f"{name}_outbound_trunk_id", trunk.outbound_trunk_id)

    return program


def api_calls(emulator: EmulatorProcess) -> list[tuple[str, str]]:
    """``(method, path)`` of every API request the emulator journaled, oldest first."""
    return [(request["method"], request["path"]) for request in emulator.requests()]


def api_bodies(emulator: EmulatorProcess, method: str) -> list[Any]:
    return [request["body"] for request in emulator.requests() if request["method"] == method]
