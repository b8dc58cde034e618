"""``pulumi-autocalls``: the bundled emulator, code for adopting existing trunks, and the doctor."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import _doctor
from ._adopt_code import adoption_program, resource_names
from ._core.config import BASE_URL, SETTINGS, Given, ProviderSettings
from ._core.constants import DEFAULT_BASE_URL
from ._exceptions import AutocallsError
from ._version import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-autocalls",
        description="Tools for the autocalls.ai SIP trunk Pulumi provider.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    emulator = commands.add_parser(
        "emulator",
        help="run the local emulator of the autocalls SIP trunk API (needs the emulator extra)",
        description="Run the local emulator of the autocalls SIP trunk API (FastAPI + SQLite).",
        add_help=False,
    )
    emulator.add_argument("-h", "--help", action="store_true", help="show the emulator's options")

    adopt = commands.add_parser(
        "adopt",
        help="print a Pulumi program fragment that adopts existing trunks",
        description=(
            "Read existing SIP trunks through the API and print Python code that brings them "
            "under Pulumi (one SipTrunk with adopt_id per trunk). It reads the settings the "
            "provider falls back to when the stack config leaves them unset, from the "
            f"environment: {', '.join(s.env_var for s in SETTINGS)}; --base-url wins over "
            f"{BASE_URL.env_var}."
        ),
    )
    which = adopt.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="adopt every SIP trunk of the account")
    which.add_argument("ids", nargs="*", default=[], metavar="ID", help="ids of trunks to adopt")
    adopt.add_argument(
        "--base-url",
        help=f"the API's base URL (default: ${BASE_URL.env_var}, else {DEFAULT_BASE_URL})",
    )
    adopt.add_argument(
        "--import-file",
        metavar="PATH",
        help=(
            "write the trunks to PATH for 'pulumi import --file PATH' (Pulumi 3.254 or newer), "
            "and print code that declares them without adopt_id"
        ),
    )
    _doctor.register(commands)
    return parser


def _adopt(args: argparse.Namespace) -> int:
    given = {BASE_URL: Given("--base-url", args.base_url)}
    settings = ProviderSettings.load(None, os.environ, given=given)
    with settings.client() as client:
        ids = [summary.id for summary in client.list_sip_trunks()] if args.all else args.ids
        # In full (with the voice trunk ids), which an import file records as outputs.
        trunks = [client.get_sip_trunk(trunk_id) for trunk_id in ids]
    if not trunks:
        print("pulumi-autocalls: the account has no SIP trunks to adopt.", file=sys.stderr)
        return 1
    if args.import_file is not None:
        from ._dynamic.import_file import import_file

        names = resource_names(trunks)
        content = import_file({names[t.id]: t for t in trunks}, settings.base_url)
        Path(args.import_file).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(adoption_program(trunks, import_file=args.import_file))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["emulator"]:
        from .emulator.__main__ import main as emulator_main

        return emulator_main(arguments[1:], prog="pulumi-autocalls emulator")
    args = _parser().parse_args(arguments)
    if args.command == "doctor":
        return _doctor.run(args)
    try:
        return _adopt(args)
    except (AutocallsError, ValueError) as error:
        print(f"pulumi-autocalls: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
