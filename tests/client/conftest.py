"""Fixtures of the client tests: the API key, the reset session emulator, and a client of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY, FAST_RETRIES


@pytest.fixture
def server(clean_emulator: EmulatorProcess) -> EmulatorProcess:
    return clean_emulator


@pytest.fixture
def client(server: EmulatorProcess) -> Iterator[AutocallsClient]:
    with AutocallsClient(EMULATOR_API_KEY, base_url=server.base_url) as api_client:
        yield api_client


@pytest.fixture
def fast_client(server: EmulatorProcess) -> Iterator[AutocallsClient]:
    """A client of the emulator that retries without waiting."""
    retry = FAST_RETRIES
    with AutocallsClient(EMULATOR_API_KEY, base_url=server.base_url, retry=retry) as api_client:
        yield api_client
