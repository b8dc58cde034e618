"""The command line after a plain ``pip install pulumi-autocalls``, as a user meets it: the wheel
built from this checkout, installed with its dependencies from PyPI into a virtualenv of its own,
without the ``emulator`` extra (no FastAPI, no uvicorn).

The virtualenv is kept per machine (``$XDG_CACHE_HOME/pulumi-autocalls``), keyed on the
interpreter and the wheel's dependencies, so only the first run downloads them; every run
reinstalls the freshly built wheel into it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_autocalls.emulator.__main__ import MISSING_EXTRA_MESSAGE

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pulumi-autocalls"


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", "-q", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


def _requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    return sorted(
        line for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line
    )


@pytest.fixture(scope="module")
def plain_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ``bin`` directory of a virtualenv holding this checkout's wheel and nothing else."""
    wheels = tmp_path_factory.mktemp("wheel")
    _pip(Path(sys.executable), "wheel", "--no-deps", "--wheel-dir", str(wheels), str(REPO))
    wheel = next(wheels.glob("pulumi_autocalls-*.whl"))
    key = hashlib.sha256("\n".join([sys.version, *_requirements(wheel)]).encode()).hexdigest()[:16]
    venv = CACHE / f"plain-install-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "plain-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # other test sessions on this machine share the venv
        python = venv / "bin" / "python"
        if not (venv / ".complete").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            _pip(python, "install", str(wheel))
            (venv / ".complete").touch()
        _pip(python, "install", "--no-deps", "--force-reinstall", str(wheel))
        yield venv / "bin"


def run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AUTOCALLS_")}
    environment.pop("PYTHONPATH", None)
    environment["COLUMNS"] = "80"
    return subprocess.run(
        [str(bin_dir / "pulumi-autocalls"), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_the_install_has_no_emulator_extra(plain_install: Path) -> None:
    probe = subprocess.run(
        [str(plain_install / "python"), "-c", "import fastapi"], capture_output=True, text=True
    )
    assert "No module named 'fastapi'" in probe.stderr


def test_the_emulator_help_works_and_names_the_extra(plain_install: Path) -> None:
    result = run(plain_install, "emulator", "--help")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: pulumi-autocalls emulator ")
    sentence = "It needs the 'emulator' extra: pip install 'pulumi-autocalls[emulator]'."
    assert sentence in " ".join(result.stdout.split())
    assert "'pulumi-autocalls[emulator]'" in result.stdout  # a command to copy, never hyphenated


def test_the_emulator_says_which_extra_to_install(plain_install: Path) -> None:
    result = run(plain_install, "emulator", "--port", "0", "--db", ":memory:")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == MISSING_EXTRA_MESSAGE + "\n"
    assert result.stderr == (
        "error: the emulator needs the 'emulator' extra, which is not installed: "
        "pip install 'pulumi-autocalls[emulator]'\n"
    )


@pytest.mark.parametrize("args", [("--help",), ("adopt", "--help")])
def test_the_other_commands_work_without_the_extra(plain_install: Path, args: tuple[str]) -> None:
    result = run(plain_install, *args)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage: pulumi-autocalls")
