"""A local emulator of the autocalls.ai SIP trunk API (FastAPI + SQLite), with fault injection.

It is an independent model of the server, built from the API contract: it imports nothing from
the rest of pulumi_autocalls, so that a mistake in the provider is caught by it and vice versa.

- `create_app(api_keys, db_path, latency_ms=0, *, control_token=None)`: the ASGI app.
- `EmulatorProcess`: the emulator as a child process with control helpers (tests, tools).
- `python -m pulumi_autocalls.emulator` (`pulumi_autocalls.emulator.__main__.main(argv)`): the
  command line.

Validation messages: see `pulumi_autocalls.emulator._validation`. Faults: see
`pulumi_autocalls.emulator._faults`. Who may use the control routes: see
`pulumi_autocalls.emulator._control_guard`; body limits: `_bodies` and `_json_body`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._process import EmulatorControlError, EmulatorProcess, EmulatorStartError

if TYPE_CHECKING:
    from ._app import create_app

__all__ = ["EmulatorControlError", "EmulatorProcess", "EmulatorStartError", "create_app"]


def __getattr__(name: str) -> Any:
    # `create_app` needs FastAPI, which only the `emulator` extra installs: loaded on first use, so
    # that the command line (its --help, and its message about the missing extra) and
    # EmulatorProcess, which runs the server in a child process, import without it.
    if name == "create_app":
        from ._app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
