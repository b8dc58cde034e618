"""A reference dynamic provider for the benchmark: the least a SIP trunk provider can do.

``BareTrunk`` has the same inputs and outputs as ``SipTrunk`` (so the SDK and the engine do the
same work per resource), but its provider does nothing of its own: ``check`` returns the inputs
as they came, and ``create`` sends them in one POST with a bare ``httpx.Client`` and returns the
API's answer. No validation, no normalization, no retries, no error handling, no identity lookup.
With the stack config ``benchmark:sleepInsteadOfApiMs`` set, ``create`` does not even call the
API: it sleeps that long (the emulator's latency) and makes up an id.

``benchmarks/run.py`` runs the same stack with it, on the same engine harness, emulator and
latency, right after the real create, in both modes. Real minus HTTP reference is what the real
provider's own work costs; HTTP minus sleep reference is what the API (the emulator on this
machine) costs beyond its latency; the sleep reference is what the platform alone costs: the
Pulumi SDK, the engine's serialized Checks, and the dynamic-provider server's 4 workers.

It is loaded by reference in the provider process: run.py puts this directory on its PYTHONPATH.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import httpx
import pulumi
from pulumi.dynamic import CheckResult, ConfigureRequest, CreateResult, Resource, ResourceProvider
from pulumi_autocalls._core.fields import COMPUTED_NAMES, INPUT_NAMES

TRUNKS_PATH = "/user/phone-numbers/sip-trunks"


SLEEP_CONFIG_KEY = "benchmark:sleepInsteadOfApiMs"


class BareTrunkProvider(ResourceProvider):
    _lock = threading.Lock()
    _client: httpx.Client | None = None
    _sleep_s: float | None = None
    _ids = itertools.count(1)

    def configure(self, req: ConfigureRequest) -> None:
        base_url = req.config.get("autocalls:baseUrl")
        api_key = req.config.get("autocalls:apiKey")
        sleep_ms = req.config.get(SLEEP_CONFIG_KEY)
        with self._lock:
            type(self)._client = httpx.Client(
                base_url=str(base_url), headers={"Authorization": f"Bearer {api_key}"}
            )
            type(self)._sleep_s = float(sleep_ms) / 1000 if sleep_ms else None

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, [])

    def create(self, props: dict[str, Any]) -> CreateResult:
        if self._sleep_s is not None:  # no API at all: the platform alone
            time.sleep(self._sleep_s)
            trunk_id = next(self._ids)
            return CreateResult(str(trunk_id), {**props, **dict.fromkeys(COMPUTED_NAMES, "-")})
        assert self._client is not None
        body = {key: value for key, value in props.items() if key in INPUT_NAMES}
        response = self._client.post(TRUNKS_PATH, json=body)
        response.raise_for_status()
        payload = response.json()
        data = payload.get("data", payload)
        outs = {**props, **{name: data.get(name) for name in COMPUTED_NAMES}}
        return CreateResult(str(data["id"]), outs)


class BareTrunk(Resource, module="benchmark", name="BareTrunk"):
    """Registers what SipTrunk registers: every input, the secret password, the outputs."""

    def __init__(self, name: str, **args: Any) -> None:
        # Imported here: the provider process loads this module too, and must not pay for
        # importing the real provider.
        from pulumi_autocalls._dynamic.resource import (
            registered_properties,
            sdk_pickler_patches_undone,
        )

        props, secrecy = registered_properties(args)
        with sdk_pickler_patches_undone():  # the same SDK workaround as SipTrunk's
            super().__init__(BareTrunkProvider(), name, props, secrecy)


def bare_trunks_program(specs: dict[str, dict[str, Any]]) -> Any:
    """The benchmark's stack (trunks_program in dev/trunk_samples.py) with BareTrunk instead."""

    def program() -> None:
        for name, args in specs.items():
            trunk = BareTrunk(name, **args)
            pulumi.export(f"{name}_id", trunk.id)
            pulumi.export(f"{name}_inbound_trunk_id", trunk.inbound_trunk_id)  # type: ignore[attr-defined]
            pulumi.export(f"{name}_outbound_trunk_id", trunk.outbound_trunk_id)  # type: ignore[attr-defined]

    return program
