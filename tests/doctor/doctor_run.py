"""``pulumi-autocalls doctor`` run as a user runs it, and the emulator's state to compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import EMULATOR_API_KEY, TRUNKS_PATH

COMMAND = Path(sys.executable).with_name("pulumi-autocalls")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        """The --json report."""
        document: dict[str, Any] = json.loads(self.stdout)
        return document

    @property
    def checks(self) -> dict[str, dict[str, Any]]:
        return {check["name"]: check for check in self.report["checks"]}

    @property
    def differing(self) -> set[str]:
        return {name for name, check in self.checks.items() if not check["matched"]}


def doctor_env(base_url: str, key: str = EMULATOR_API_KEY, retries: str = "") -> dict[str, str]:
    """The environment of a user who exported the provider's settings (and nothing else)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AUTOCALLS_")}
    environment.update({"AUTOCALLS_API_KEY": key, "AUTOCALLS_BASE_URL": base_url})
    if retries:
        environment["AUTOCALLS_MAX_RETRIES"] = retries
    return environment


def run_doctor(
    *args: str,
    base_url: str,
    key: str = EMULATOR_API_KEY,
    retries: str = "",
    answer: str | None = None,
) -> Run:
    """``pulumi-autocalls doctor ARGS`` in a subprocess, ``answer`` typed at its prompt."""
    done = subprocess.run(
        [str(COMMAND), "doctor", *args],
        input=answer or "",
        capture_output=True,
        text=True,
        env=doctor_env(base_url, key, retries),
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def trunks_state(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    """Every trunk of the emulator as get returns it (voice trunk ids and times included)."""
    headers = {"Authorization": f"Bearer {EMULATOR_API_KEY}", "Accept": "application/json"}
    with httpx.Client(base_url=emulator.root_url, headers=headers) as client:
        listed = client.get(TRUNKS_PATH).json()["data"]
        return [client.get(f"{TRUNKS_PATH}/{trunk['id']}").json()["data"] for trunk in listed]
