"""Fixtures of the SDK tests: each language's toolchain, and the builds the tests share."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .toolchains import build_go_runner, build_typescript


def need(*programs: str) -> None:
    """Skip the test when a toolchain is missing, saying which; in CI (the real-engine lane
    required, as on every polyglot machine) fail instead."""
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        message = f"{', '.join(missing)} not found: install Node.js 20 with npm, and Go 1.26"
        if os.environ.get("AUTOCALLS_REAL_ENGINE") == "required":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def typescript_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/typescript compiled by tsc against the SDK compiled by tsc (a scratch copy)."""
    need("node", "npm")
    return build_typescript(tmp_path_factory.mktemp("typescript"))


@pytest.fixture(scope="session")
def go_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of examples/go, on sdk/go, with the Automation API runner compiled in."""
    need("go")
    return build_go_runner(tmp_path_factory.mktemp("go"))
