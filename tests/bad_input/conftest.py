"""Fixtures of the bad-input tests: an authenticated client of the (reset) session emulator."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pulumi_autocalls.emulator import EmulatorProcess


@pytest.fixture
def emulator_api(clean_emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """A client of the reset session emulator's API, sending its first key as a bearer token."""
    with httpx.Client(
        base_url=clean_emulator.base_url,
        headers={
            "Authorization": f"Bearer {clean_emulator.api_keys[0]}",
            "Accept": "application/json",
        },
        timeout=10.0,
        trust_env=False,
        verify=False,
    ) as client:
        yield client
