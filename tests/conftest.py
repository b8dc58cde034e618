"""Shared pytest fixtures for the whole test suite. Append new fixtures below; keep each small."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from trunk_samples import EMULATOR_API_KEY

if TYPE_CHECKING:
    from engine_harness import Engine
    from pulumi_autocalls.emulator import EmulatorProcess


def _emulator_process() -> EmulatorProcess:
    # Imported lazily so that collecting tests that need no emulator never imports it.
    from pulumi_autocalls.emulator import EmulatorProcess

    return EmulatorProcess(api_keys=[EMULATOR_API_KEY], db_path=":memory:")


@pytest.fixture
def emulator() -> Iterator[EmulatorProcess]:
    """An emulator process of the test's own (in-memory store, key EMULATOR_API_KEY).

    Starting one costs about a second: prefer `clean_emulator` unless the test restarts or
    otherwise disturbs the process."""
    with _emulator_process() as process:
        yield process


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[EmulatorProcess]:
    """One emulator process for the whole session; request `clean_emulator` to get it reset."""
    with _emulator_process() as process:
        yield process


@pytest.fixture
def clean_emulator(emulator_session: EmulatorProcess) -> EmulatorProcess:
    """The session emulator, reset: no trunks, empty journal, no faults, start-up keys and
    latency. Trunk ids keep increasing across resets."""
    emulator_session.reset()
    return emulator_session


@pytest.fixture
def stack(clean_emulator: EmulatorProcess, tmp_path: Path) -> Engine:
    """A fresh stack (engine harness) whose provider talks to the reset session emulator."""
    from trunk_samples import trunk_engine

    return trunk_engine(clean_emulator, tmp_path)
