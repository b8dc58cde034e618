"""Shared pytest fixtures for the whole test suite. Append new fixtures below; keep each small."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from trunk_samples import EMULATOR_API_KEY

if TYPE_CHECKING:
    from engine_harness import Engine
    from engines import StackDriver
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


# --- the real Pulumi CLI --------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
REAL_ENGINE_ENV = "AUTOCALLS_REAL_ENGINE"
"""Set to ``required`` (as .ci/run does) to make a run without the real-engine lane fail."""


def _real_engine_required() -> bool:
    return os.environ.get(REAL_ENGINE_ENV) == "required"


@functools.cache
def _pulumi_cli() -> tuple[Path | None, str]:
    """The CLI directory ``scripts/pulumi_cli.py`` finds (never builds), or why there is none."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "pulumi_cli.py"), "--no-build"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return Path(done.stdout.strip().splitlines()[-1]), ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return None, (lines[-1] if lines else f"exit code {done.returncode}").removeprefix(
        "pulumi-cli: "
    )


def _lane_description() -> str:
    bin_dir, why_not = _pulumi_cli()
    if bin_dir is None:
        return f"real engine: not available ({why_not})"
    how = (
        "Python programs run in their directories by pulumi-language-python"
        if (bin_dir / "pulumi-language-python").exists()
        else "Python programs run as Automation API inline programs (no pulumi-language-python)"
    )
    return f"real engine: the Pulumi CLI in {bin_dir}; {how}"


def pytest_report_header() -> str:
    return _lane_description()


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    """The directory of the real Pulumi CLI and its plugins; skips (or, where the lane is
    required, fails) the test when there is none."""
    bin_dir, why_not = _pulumi_cli()
    if bin_dir is None:
        message = f"no real Pulumi CLI: {why_not}"
        if _real_engine_required():
            pytest.fail(message)
        pytest.skip(message)
    return bin_dir


ENGINES = [
    pytest.param("harness", id="harness"),
    pytest.param("cli", id="cli", marks=pytest.mark.real_engine),
]


@pytest.fixture(params=ENGINES)
def make_stack(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., StackDriver]:
    """Builds a stack of a program on the engine of the test's parameter (harness or real CLI):
    ``make_stack(program, project=..., config={...})``."""
    from engines import CliDriver, HarnessDriver

    def make(program: Any, *, project: str, config: Mapping[str, Any]) -> StackDriver:
        if request.param == "cli":
            bin_dir = request.getfixturevalue("pulumi_cli")
            return CliDriver(bin_dir, tmp_path / "cli", program, project=project, config=config)
        return HarnessDriver(tmp_path, program, project=project, config=config)

    return make


_real_engine_outcomes: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "real_engine" in report.keywords and (report.when == "call" or report.skipped):
        _real_engine_outcomes[report.outcome] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _real_engine_required() or session.config.option.collectonly:
        return
    ran = _real_engine_outcomes["passed"] + _real_engine_outcomes["failed"]
    if ran == 0 or _real_engine_outcomes["skipped"]:
        session.config.get_terminal_writer().line(
            f"{REAL_ENGINE_ENV}=required, but the real-engine lane ran {ran} tests and skipped "
            f"{_real_engine_outcomes['skipped']}: {_lane_description()}",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
