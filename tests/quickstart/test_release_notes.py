"""The version the package reports is the one the CHANGELOG and the README name."""

from __future__ import annotations

import re
from pathlib import Path

from pulumi_autocalls import __version__

REPO = Path(__file__).resolve().parents[2]


def test_the_changelog_releases_the_reported_version() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.MULTILINE)
    assert releases[0] == __version__
    assert "## [Unreleased]" in changelog


def test_the_readme_names_the_reported_version_and_the_supported_pulumi_range() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f"Version {__version__} " in readme
    assert '"pulumi>=3.216,<4"' in pyproject
    assert "Pulumi 3.216 or newer, below 4 (`pulumi>=3.216,<4`" in readme


def test_the_readme_starts_with_its_two_commands() -> None:
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```bash",
        "make quickstart   # sets up .venv, then deploys the quickstart stack against the "
        "bundled emulator",
        "make test         # sets up .venv, then runs lint, type checks and the whole test suite",
        "```",
    ]
