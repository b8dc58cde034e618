"""Fixtures of the fault tests: a clean provider environment and a view of the emulator's trunks."""

from __future__ import annotations

import pytest
from faultkit import Live
from pulumi_autocalls._core.config import SETTINGS
from pulumi_autocalls.emulator import EmulatorProcess


@pytest.fixture(autouse=True)
def no_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider process inherits this process's environment (the harness passes os.environ):
    no AUTOCALLS_* variable may stand in for the stack configuration the tests set."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env_var, raising=False)


@pytest.fixture
def live(clean_emulator: EmulatorProcess) -> Live:
    """The trunks of the (reset) session emulator, read through the API."""
    return Live(clean_emulator)
