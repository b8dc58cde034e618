"""``pulumi-autocalls doctor``: its arguments, the confirmation of ``--write``, the run, and the
exit status."""

from __future__ import annotations

import argparse
import sys

from .._core.config import API_KEY, SETTINGS, ProviderSettings
from .._core.redact import Scrubber, api_key_variants
from .._exceptions import ConfigurationError
from .observe import Recorder
from .report import Report, not_run

EXIT_MATCHED = 0
EXIT_DIFFERS = 1
EXIT_NOTHING_CHECKED = 2
EXIT_INTERRUPTED = 130

_PROG = "pulumi-autocalls doctor"
_SETTINGS_HELP = "\n".join(f"  {s.env_var:<23} (stack config {s.config_key})" for s in SETTINGS)
_DESCRIPTION = f"""\
Check the autocalls API the provider would talk to against the provider's model of it: the key,
the list of trunks, each trunk's fields, and the documented errors. Each line of the report says
what the model expects, what the API did, and whether the provider would still behave correctly.
Read-only unless --write.

It reads the provider's settings from the environment only:
{_SETTINGS_HELP}
It cannot read a stack's configuration; export the values first, for example
  export {API_KEY.env_var}="$(pulumi config get {API_KEY.config_key})"

Exit status: {EXIT_MATCHED} every check matched; {EXIT_DIFFERS} something differs (the report \
says what);
{EXIT_NOTHING_CHECKED} nothing was checked (the settings, or --write not confirmed); \
{EXIT_INTERRUPTED} interrupted by Ctrl-C.
When something differs, open an issue in the project's issue tracker with the --json report."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "doctor",
        help="check the real API against the provider's model of it",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help=(
            "also create one throwaway trunk, walk it through the documented behaviour (updates, "
            "errors, delete) and delete it, also on failure or Ctrl-C"
        ),
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before --write")
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON, to attach to an issue"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here: the checks load the provider's validation (the Pulumi SDK, the country
    # table), which the command's other subcommands never need.
    from .readonly import check_read_only
    from .throwaway import Throwaway
    from .walk import Walk

    settings = _settings()
    if settings is None:
        return EXIT_NOTHING_CHECKED
    recorder = Recorder()
    try:
        client = settings.client(observer=recorder)
    except ConfigurationError as error:
        print(f"{_PROG}: {error}", file=sys.stderr)
        return EXIT_NOTHING_CHECKED
    throwaway = Throwaway.new() if args.write else None
    if throwaway is not None and not args.yes:
        confirmed = _confirmed(throwaway.plan(settings.base_url))
        if confirmed is not True:
            print(f"{_PROG}: nothing was checked or created.", file=sys.stderr)
            client.close()
            return EXIT_NOTHING_CHECKED if confirmed is False else EXIT_INTERRUPTED
    progress = sys.stderr if sys.stderr.isatty() else None
    report = Report(settings.base_url, write=args.write, progress=progress)
    with client:
        try:
            numbers = check_read_only(client, recorder, report)
            if throwaway is not None and numbers is None:
                report.add(*not_run(["create"], "the key check failed"))
            elif throwaway is not None and numbers is not None:
                throwaway.avoid(numbers)
                Walk(client, recorder, throwaway, report).walk()
        except KeyboardInterrupt:
            report.interrupted = True
    passwords = throwaway.passwords if throwaway is not None else []
    scrubber = Scrubber([*api_key_variants(settings.api_key or ""), *passwords])
    sys.stdout.write(report.as_json(scrubber) if args.json else report.as_table(scrubber))
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_MATCHED if report.matched else EXIT_DIFFERS


def _settings() -> ProviderSettings | None:
    try:
        settings = ProviderSettings.load(lambda _config_key: None)
    except ConfigurationError as error:
        print(f"{_PROG}: {error}", file=sys.stderr)
        return None
    if not settings.api_key:
        print(
            f"{_PROG}: set {API_KEY.env_var} to the API key (the doctor reads the environment, "
            "not the stack's configuration).",
            file=sys.stderr,
        )
        return None
    return settings


def _confirmed(plan: str) -> bool | None:
    """Whether the person running the doctor said yes to ``plan``; None on Ctrl-C."""
    print(plan, file=sys.stderr)
    print("Create it? [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = None
    if answer is None or not sys.stdin.isatty():
        print(file=sys.stderr)  # the prompt's line, which no typed answer ended
    return None if answer is None else answer.strip().lower() in ("y", "yes")
