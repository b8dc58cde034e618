"""How API keys and the control token reach the emulator without its command line, which every
user of the machine can read (`ps`): environment variables, and a key file."""

from __future__ import annotations

API_KEYS_VARIABLE = "AUTOCALLS_EMULATOR_API_KEYS"
CONTROL_TOKEN_VARIABLE = "AUTOCALLS_EMULATOR_CONTROL_TOKEN"


def keys_of_lines(text: str) -> list[str]:
    """The keys in `text`, one a line; blanks around a key and empty lines are ignored (no HTTP
    header could carry them)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
