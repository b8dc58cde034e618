"""Fixtures of the doctor tests: an emulator with one trunk of the user's own, whose state the
doctor must leave as it was."""

from __future__ import annotations

import pytest
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY, desired


@pytest.fixture
def users_trunk(clean_emulator: EmulatorProcess) -> int:
    """One trunk the user made before running the doctor; its id."""
    fields = {k: v for k, v in desired().items() if not k.startswith("__")}
    with AutocallsClient(EMULATOR_API_KEY, base_url=clean_emulator.base_url) as client:
        trunk = client.create_sip_trunk(fields)
    clean_emulator.clear_requests()
    return trunk.id
