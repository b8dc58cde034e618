"""``pulumi-autocalls emulator`` exits with the emulator's own exit code, under its own name."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

COMMAND = Path(sys.executable).with_name("pulumi-autocalls")


def test_the_emulator_command_fails_when_its_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(COMMAND), "emulator", "--port", str(port), "--db", ":memory:"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")


def test_the_emulator_command_names_itself_in_its_help() -> None:
    result = subprocess.run(
        [str(COMMAND), "emulator", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: pulumi-autocalls emulator ")
