"""Fixtures of the secret tests: a clean provider environment, and DEBUG logging everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_autocalls._core.config import SETTINGS

# Imported by the provider process at start-up (``site`` imports ``sitecustomize`` from the
# path): every logger of that process, the provider's, httpx's, grpc's, writes DEBUG records to
# stderr, which the harness captures.
_DEBUG_LOGGING = """\
import logging
import sys

logging.basicConfig(
    level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
)
"""


@pytest.fixture(autouse=True)
def no_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AUTOCALLS_* variable reaches the provider process (the harness passes os.environ)."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env_var, raising=False)


@pytest.fixture
def debug_logging_env(tmp_path: Path) -> dict[str, str]:
    """Environment for ``Engine(env=...)`` that turns on DEBUG logging in the provider process."""
    site = tmp_path / "debug-logging"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_DEBUG_LOGGING)
    return {"PYTHONPATH": str(site)}
