"""`python -m pulumi_autocalls.emulator`: run the local autocalls SIP trunk API emulator."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence

DEFAULT_API_KEY = "emulator-key"
DEFAULT_DB_PATH = "autocalls-emulator.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog or "python -m pulumi_autocalls.emulator",
        description=(
            "Run a local emulator of the autocalls.ai SIP trunk API. Once it accepts connections "
            "it prints 'Autocalls emulator ready at http://HOST:PORT/api'."
        ),
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})"
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
        metavar="KEY",
        help=f"an accepted API key; repeat for several (default: {DEFAULT_API_KEY})",
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB_PATH,
        help=(
            "SQLite file that keeps the trunks across restarts; ':memory:' for a throwaway "
            f"store (default: {DEFAULT_DB_PATH})"
        ),
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="latency added to every /api request, in milliseconds",
    )
    return parser


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Runs the emulator until interrupted; returns the process exit code."""
    args = build_parser(prog).parse_args(argv)
    if args.latency_ms < 0:
        print("error: --latency-ms must not be negative", file=sys.stderr)
        return 2
    # Imported here so that `--help` works without the emulator extra installed.
    from ._app import create_app
    from ._server import bind_socket, serve

    try:
        sock = bind_socket(args.host, args.port)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    try:
        app = create_app(args.api_keys or [DEFAULT_API_KEY], args.db, args.latency_ms)
    except sqlite3.Error as error:
        sock.close()
        print(f"error: cannot open the database {args.db}: {error}", file=sys.stderr)
        return 1
    try:
        serve(app, sock, args.host)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
