"""A SipTrunkProvider configured for the session emulator, called directly (no engine)."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator import EmulatorProcess


def configured_provider(emulator: EmulatorProcess, **extra: str) -> SipTrunkProvider:
    provider = SipTrunkProvider()
    raw = {
        "autocalls:apiKey": emulator.api_keys[0],
        "autocalls:baseUrl": emulator.base_url,
        **extra,
    }
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


@pytest.fixture
def provider(clean_emulator: EmulatorProcess) -> SipTrunkProvider:
    return configured_provider(clean_emulator, **{"autocalls:timeout": "2"})
