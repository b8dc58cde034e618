"""`python -m pulumi_autocalls.emulator`: run the local autocalls SIP trunk API emulator."""

from __future__ import annotations

import argparse
import os
import secrets
import sqlite3
import sys
import textwrap
from collections.abc import Mapping, Sequence

from ._hosts import is_loopback_host
from ._secrets_input import API_KEYS_VARIABLE, CONTROL_TOKEN_VARIABLE, keys_of_lines
from ._settings import MAX_LATENCY_MS

DEFAULT_API_KEY = "emulator-key"
DEFAULT_DB_PATH = "autocalls-emulator.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
INSTALL_EXTRA = "pip install 'pulumi-autocalls[emulator]'"
MISSING_EXTRA_MESSAGE = (
    f"error: the emulator needs the 'emulator' extra, which is not installed: {INSTALL_EXTRA}"
)
# The distributions of the extra; without them the server cannot be imported.
_EXTRA_MODULES = frozenset({"fastapi", "starlette", "uvicorn"})

_DESCRIPTION = (
    "Run a local emulator of the autocalls.ai SIP trunk API. Once it accepts connections it "
    "prints 'Autocalls emulator ready at http://HOST:PORT/api'. It stores what it is given, SIP "
    "passwords included, in plain text: never give it real credentials. "
    + "It needs the 'emulator' extra: "
    + INSTALL_EXTRA
    + "."
)
_EPILOG = (
    f"Environment: {API_KEYS_VARIABLE} adds accepted API keys, one a line; "
    f"{CONTROL_TOKEN_VARIABLE} sets the control token. Unlike options, neither is visible to "
    "other users of the machine in the process list."
)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, without breaking lines at hyphens: the help names a command to copy,
    ``pip install 'pulumi-autocalls[emulator]'``."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(
            " ".join(text.split()),
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m pulumi_autocalls.emulator",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=(
            f"address to listen on (default: {DEFAULT_HOST}); any address but a loopback one "
            "makes the emulator reachable from the network, and its control routes then always "
            "need a control token"
        ),
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on; 0 picks a free port (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--api-key",
        dest="api_keys",
        action="append",
        default=[],
        metavar="KEY",
        help=(
            "an accepted API key; repeat for several. Other local users can read it in the "
            f"process list: prefer --api-key-file or {API_KEYS_VARIABLE}. Without any key the "
            f"emulator accepts the well-known {DEFAULT_API_KEY!r}"
        ),
    )
    parser.add_argument(
        "--api-key-file",
        metavar="PATH",
        help="a file of accepted API keys, one a line",
    )
    parser.add_argument(
        "--control-token",
        metavar="TOKEN",
        help=(
            "require 'Authorization: Bearer TOKEN' on every /_emulator control request (else "
            "they need a loopback Host). Visible in the process list: prefer "
            f"{CONTROL_TOKEN_VARIABLE}. Listening on a non-loopback address without one, the "
            "emulator makes up a random token and prints it at start"
        ),
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB_PATH,
        help=(
            "SQLite file that keeps the trunks across restarts, passwords in plain text; "
            "created readable by its owner only. ':memory:' for a throwaway store "
            f"(default: {DEFAULT_DB_PATH})"
        ),
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help=f"latency added to every /api request, in milliseconds (0 to {MAX_LATENCY_MS})",
    )
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Runs the emulator until interrupted; returns the process exit code."""
    args = build_parser(prog).parse_args(argv)
    # Imported here so that `--help` works without the emulator extra installed.
    try:
        from ._app import create_app
        from ._server import bind_socket, serve
    except ModuleNotFoundError as missing:
        if (missing.name or "").partition(".")[0] not in _EXTRA_MODULES:
            raise
        print(MISSING_EXTRA_MESSAGE, file=sys.stderr)
        return 1
    if not 0 <= args.latency_ms <= MAX_LATENCY_MS:
        print(f"error: --latency-ms must be between 0 and {MAX_LATENCY_MS}", file=sys.stderr)
        return 2
    try:
        api_keys = accepted_api_keys(args.api_keys, args.api_key_file, os.environ)
    except OSError as error:
        print(
            f"error: cannot read --api-key-file {args.api_key_file}: {error.strerror}",
            file=sys.stderr,
        )
        return 2
    except UnicodeDecodeError:
        print(f"error: --api-key-file {args.api_key_file} is not UTF-8 text", file=sys.stderr)
        return 2
    control_token = args.control_token or os.environ.get(CONTROL_TOKEN_VARIABLE) or None
    # Said once the emulator is sure to start, after any error.
    notices: list[str] = []
    if not is_loopback_host(args.host):
        notices.append(
            f"warning: listening on {args.host}, the emulator is reachable from the network; "
            "its control routes need the control token"
        )
        if control_token is None:
            control_token = secrets.token_urlsafe(32)
            notices.append(
                "Control token (send 'Authorization: Bearer <token>' to /_emulator routes): "
                + control_token
            )
    if not api_keys:
        api_keys = [DEFAULT_API_KEY]
        notices.append(
            f"notice: no API key given, so the emulator accepts the well-known {DEFAULT_API_KEY!r}"
            f" (set keys with --api-key-file or {API_KEYS_VARIABLE})"
        )
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    try:
        app = create_app(api_keys, args.db, args.latency_ms, control_token=control_token)
    except (sqlite3.Error, OSError) as error:
        sock.close()
        print(f"error: cannot open the database {args.db}: {error}", file=sys.stderr)
        return 1
    for notice in notices:
        print(notice, file=sys.stderr)
    try:
        serve(app, sock, args.host)
    except KeyboardInterrupt:
        return 130
    return 0


def accepted_api_keys(
    given: Sequence[str], key_file: str | None, environment: Mapping[str, str]
) -> list[str]:
    """The keys of --api-key, of the --api-key-file and of the environment variable, in that
    order."""
    keys = list(given)
    if key_file is not None:
        with open(key_file, encoding="utf-8") as file:
            keys += keys_of_lines(file.read())
    keys += keys_of_lines(environment.get(API_KEYS_VARIABLE, ""))
    return keys


if __name__ == "__main__":
    raise SystemExit(main())
