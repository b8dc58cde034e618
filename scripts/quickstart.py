"""``make quickstart``: deploy the quickstart stack to the bundled emulator, on a local backend.

What it does, in order:

1. starts the bundled emulator of the autocalls API (a SQLite file under the state directory, so
   a rerun sees the same trunks) on the port of ``autocalls:baseUrl`` in the root Pulumi.yaml
   (8787), or on a free port when that one is taken;
2. deploys ``examples/quickstart`` (the root Pulumi.yaml's ``main``) as the stack ``dev`` with a
   fixed passphrase: a preview, an up, a preview that must show no changes, then a preview of a
   password rotation, which is not applied, so that the re-provisioning notices show;
3. stops the emulator, whatever happened.

The engine is the real Pulumi CLI that ``scripts/pulumi_cli.py`` finds (``PULUMI_CLI``, PATH,
~/.pulumi/bin, a cached build) or builds once per machine from Go modules. With a Python language
host beside it (a Pulumi installation), the program runs in its directory as ``pulumi up`` runs
it; without one (a CLI built from Go modules), as an Automation API inline program on that CLI.
Pulumi's own installer (https://get.pulumi.com) runs only when asked for (``--install-pulumi``).
Where no CLI can be had, the same program runs through this project's engine harness
(dev/engine_harness), and the output says so. No Pulumi account and no autocalls account needed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
PROGRAM = REPO / "examples" / "quickstart"
STACK = "dev"
PASSPHRASE = "autocalls-quickstart"  # a local stack on an emulator: the secrets guard nothing
API_KEY = "quickstart-api-key"
SIP_PASSWORD = "quickstart-pass-1"
ROTATED_PASSWORD = "quickstart-pass-2"
INSTALLER_URL = "https://get.pulumi.com"


class QuickstartError(Exception):
    """A failure, said in one sentence."""


# --- the project -------------------------------------------------------------------------------


def project_settings() -> tuple[str, int]:
    """The project name and the emulator port that the root Pulumi.yaml declares."""
    text = (REPO / "Pulumi.yaml").read_text(encoding="utf-8")
    name = re.search(r"^name:\s*(\S+)", text, re.MULTILINE)
    url = re.search(r"autocalls:baseUrl:\s*\n\s+value:\s*(\S+)", text)
    if name is None or url is None:
        raise QuickstartError("the root Pulumi.yaml must declare a name and autocalls:baseUrl")
    return name.group(1), urlsplit(url.group(1)).port or 8787


# --- the Pulumi CLI ----------------------------------------------------------------------------


def find_cli() -> tuple[Path | None, str]:
    """The directory of the CLI ``scripts/pulumi_cli.py`` finds or builds, or why there is none.

    Its progress lines (a first build takes minutes) reach the user as they come."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "pulumi_cli.py")],
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
    )
    if done.returncode == 0:
        return Path(done.stdout.strip().splitlines()[-1]), ""
    return None, "scripts/pulumi_cli.py found none and could not build one: see the line above"


def install_pulumi() -> str:
    """Run Pulumi's official installer into ~/.pulumi; why it failed, or ``""``."""
    curl = shutil.which("curl")
    if curl is None:
        return f"curl is missing to fetch Pulumi's installer from {INSTALLER_URL}"
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "install.sh"
        fetch = [curl, "-fsSL", "--connect-timeout", "5", "--max-time", "60", INSTALLER_URL]
        try:
            got = subprocess.run(
                [*fetch, "-o", str(script)], capture_output=True, text=True, timeout=90
            )
        except subprocess.TimeoutExpired:
            return f"Pulumi's installer could not be fetched from {INSTALLER_URL} in time"
        if got.returncode != 0:
            reason = (got.stderr.strip().splitlines() or [f"curl exit code {got.returncode}"])[-1]
            return f"Pulumi's installer could not be fetched from {INSTALLER_URL}: {reason}"
        print(f"quickstart: installing the Pulumi CLI with Pulumi's installer ({INSTALLER_URL})")
        try:
            ran = subprocess.run(
                ["sh", str(script), "--no-edit-path"], capture_output=True, text=True, timeout=300
            )
        except subprocess.TimeoutExpired:
            return "Pulumi's installer did not finish within 5 minutes"
    if ran.returncode != 0:
        reason = (ran.stderr.strip().splitlines() or [f"exit code {ran.returncode}"])[-1]
        return f"Pulumi's installer failed: {reason}"
    return ""


def cli_version(pulumi: Path) -> str:
    try:
        out = subprocess.run(
            [str(pulumi), "version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise QuickstartError(f"`{pulumi} version` failed: {error}") from None
    return out.stdout.strip().removeprefix("v")


# --- the emulator ------------------------------------------------------------------------------


@contextmanager
def running_emulator(db_path: Path, port: int) -> Iterator[Any]:
    """The bundled emulator on ``port`` (or a free one if that is taken), stopped on exit."""
    from pulumi_autocalls.emulator import EmulatorProcess, EmulatorStartError

    emulator = EmulatorProcess(api_keys=[API_KEY], db_path=str(db_path), port=port)
    try:
        emulator.start()
    except EmulatorStartError as error:
        if port == 0 or "cannot listen" not in str(error):
            raise QuickstartError(f"the emulator did not start: {_last_line(error)}") from None
        emulator = EmulatorProcess(api_keys=[API_KEY], db_path=str(db_path), port=0)
        try:
            emulator.start()
        except EmulatorStartError as again:
            raise QuickstartError(f"the emulator did not start: {_last_line(again)}") from None
        print(f"quickstart: port {port} is taken; the emulator listens on {emulator.port} instead")
    try:
        yield emulator
    finally:
        emulator.stop()
        print("quickstart: emulator stopped")


def _last_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def _heading(text: str) -> None:
    print(f"\n==> {text}\n", flush=True)


# --- engine: the Pulumi CLI --------------------------------------------------------------------


def cli_emulator_db(state_dir: Path, stack_exists: bool) -> tuple[Path, bool]:
    """The emulator's database for the CLI's stack, and whether to refresh first.

    A stack whose trunks are gone (no database) is refreshed first; trunks of a stack that is
    gone would collide with the new ones, so that database goes."""
    db_path = state_dir / "emulator-cli.db"
    refresh_first = stack_exists and not db_path.exists()
    if db_path.exists() and not stack_exists:
        db_path.unlink()
    return db_path, refresh_first


def run_cli_in_project(bin_dir: Path, state_dir: Path, port: int, project: str) -> None:
    """``pulumi`` commands in the project directory, as a user with a Pulumi installation runs
    them (its Python language host runs the program)."""
    pulumi = bin_dir / "pulumi"
    print(f"engine: Pulumi CLI {cli_version(pulumi)}")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]),
        "PULUMI_BACKEND_URL": f"file://{state_dir}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
    stack_files = list((state_dir / ".pulumi" / "stacks").glob(f"**/{STACK}.json"))
    db_path, refresh_first = cli_emulator_db(state_dir, bool(stack_files))

    def pulumi_cmd(*args: str, show: bool = True) -> None:
        # A config value is the last argument of `config set`: never echo it.
        shown = args[:-1] if args[0] == "config" else args
        if show:
            _heading("pulumi " + " ".join(shown))
        done = subprocess.run([str(pulumi), *args, "--non-interactive"], cwd=REPO, env=env)
        if done.returncode != 0:
            raise QuickstartError(
                f"`pulumi {' '.join(shown)}` exited with code {done.returncode} "
                "(its output is above)"
            )

    with running_emulator(db_path, port) as emulator:
        print(f"quickstart: emulator at {emulator.base_url} (database {db_path})")
        print(f"quickstart: stack {project}/{STACK} on the local backend file://{state_dir}")
        pulumi_cmd("stack", "select", "--create", STACK, show=False)
        pulumi_cmd("config", "set", "--secret", "autocalls:apiKey", API_KEY, show=False)
        pulumi_cmd("config", "set", "autocalls:baseUrl", emulator.base_url, show=False)
        pulumi_cmd("config", "set", "--secret", "sipPassword", SIP_PASSWORD, show=False)
        if refresh_first:
            pulumi_cmd("refresh", "--yes", "--skip-preview")
        pulumi_cmd("preview")
        pulumi_cmd("up", "--yes", "--skip-preview")
        pulumi_cmd("preview", "--expect-no-changes")
        try:
            pulumi_cmd("config", "set", "--secret", "sipPassword", ROTATED_PASSWORD, show=False)
            _heading("pulumi preview  (sipPassword rotated; previewed, not applied)")
            pulumi_cmd("preview", show=False)
        finally:
            pulumi_cmd("config", "set", "--secret", "sipPassword", SIP_PASSWORD, show=False)


def run_cli_inline(bin_dir: Path, state_dir: Path, port: int, project: str) -> None:
    """The same commands on the same CLI, the program run as an Automation API inline program:
    a CLI built from Go modules has no Python language host."""
    from cli_engine import CliFailed, CliStack, Secret

    print(
        f"engine: Pulumi CLI {cli_version(bin_dir / 'pulumi')} ({bin_dir}), the program run "
        "through Pulumi's Automation API (no Python language host)"
    )
    root = state_dir / "cli"
    stack_exists = any((root / "state" / ".pulumi" / "stacks").glob(f"**/{STACK}.json"))
    db_path, refresh_first = cli_emulator_db(state_dir, stack_exists)
    with running_emulator(db_path, port) as emulator:
        print(f"quickstart: emulator at {emulator.base_url} (database {db_path})")
        print(f"quickstart: stack {project}/{STACK} on the local backend under {root}")
        try:
            stack = CliStack(
                bin_dir,
                root,
                project=project,
                stack=STACK,
                config={
                    "autocalls:apiKey": Secret(API_KEY),
                    "autocalls:baseUrl": emulator.base_url,
                    "sipPassword": Secret(SIP_PASSWORD),
                },
                echo=print,
            )
            if refresh_first:
                _heading("pulumi refresh --yes --skip-preview")
                stack.refresh()
            _heading("pulumi preview")
            stack.preview(PROGRAM)
            _heading("pulumi up --yes --skip-preview")
            stack.up(PROGRAM)
            _heading("pulumi preview --expect-no-changes")
            stack.preview(PROGRAM, expect_no_changes=True)
            _heading("pulumi preview  (sipPassword rotated; previewed, not applied)")
            stack.set_config("sipPassword", Secret(ROTATED_PASSWORD))
            try:
                stack.preview(PROGRAM)
            finally:
                stack.set_config("sipPassword", Secret(SIP_PASSWORD))
        except CliFailed as failed:
            if failed.result.command == "stack select":  # printed nothing while it ran
                print(failed.result.output)
            raise QuickstartError(
                f"`pulumi {failed.result.command}` failed (its output is above)"
            ) from None


# --- engine: the project's harness -------------------------------------------------------------


def run_harness(state_dir: Path, port: int, project: str) -> None:
    print("engine: pulumi-autocalls engine harness (no Pulumi CLI)")
    from engine_harness import DeploymentFailed, Engine, ExpectedNoChanges, Secret

    db_path = state_dir / "emulator-harness.db"
    state_path = state_dir / "harness" / project / f"{STACK}.json"
    if state_path.exists() != db_path.exists():
        # One without the other: the stack and the emulator's trunks no longer match.
        for orphan in (state_path, db_path):
            orphan.unlink(missing_ok=True)
    state_path.parent.mkdir(parents=True, exist_ok=True)

    with running_emulator(db_path, port) as emulator:
        print(f"quickstart: emulator at {emulator.base_url} (database {db_path})")
        print(f"quickstart: stack {project}/{STACK}, state {state_path}")
        engine = Engine(
            REPO,
            project=project,
            stack=STACK,
            config={
                "autocalls:apiKey": Secret(API_KEY),
                "autocalls:baseUrl": emulator.base_url,
                f"{project}:sipPassword": Secret(SIP_PASSWORD),
            },
            state_path=state_path,
            passphrase=PASSPHRASE,
        )
        try:
            _heading("preview")
            print(engine.preview(PROGRAM).render(), end="", flush=True)
            _heading("up")
            print(engine.up(PROGRAM).render(), end="", flush=True)
            _heading("preview, expecting no changes")
            print(engine.preview(PROGRAM, expect_no_changes=True).render(), end="", flush=True)
            _heading("preview of an edit, not applied: sipPassword rotated")
            engine.config[f"{project}:sipPassword"] = Secret(ROTATED_PASSWORD)
            print(engine.preview(PROGRAM).render(), end="", flush=True)
        except DeploymentFailed as failed:
            print(failed.result.render(), end="")
            first = next((e.strip().splitlines()[0] for e in failed.result.errors), "")
            raise QuickstartError(
                f"the {failed.result.operation} failed: {first.rstrip('.')} (details above)"
            ) from None
        except ExpectedNoChanges as changed:
            print(changed.result.render(), end="")
            raise QuickstartError(
                "the second preview proposed changes, though nothing was edited"
            ) from None


# --- main --------------------------------------------------------------------------------------


def _stop_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(143)  # unwinds through the emulator's context manager, which stops it


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=REPO / ".pulumi-state",
        help="where the stack state and the emulator's database live (default: .pulumi-state)",
    )
    parser.add_argument(
        "--port", type=int, help="the emulator's port (default: the one in Pulumi.yaml, 8787)"
    )
    parser.add_argument(
        "--install-pulumi",
        action="store_true",
        help=f"run Pulumi's installer ({INSTALLER_URL}) if no Pulumi CLI can be found or built",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    state_dir: Path = args.state_dir.resolve()
    try:
        project, default_port = project_settings()
        port = default_port if args.port is None else args.port
        state_dir.mkdir(parents=True, exist_ok=True)
        bin_dir, why_not = find_cli()
        if bin_dir is None and args.install_pulumi:
            failed = install_pulumi()
            bin_dir, why_not = (None, failed) if failed else find_cli()
        if bin_dir is None:
            print(
                f"quickstart: no Pulumi CLI ({why_not}); running the same program through this "
                "project's engine harness instead."
            )
            run_harness(state_dir, port, project)
        elif (bin_dir / "pulumi-language-python").exists():
            run_cli_in_project(bin_dir, state_dir, port, project)
        else:
            run_cli_inline(bin_dir, state_dir, port, project)
    except QuickstartError as error:
        print(f"quickstart failed: {error}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("quickstart: interrupted.", file=sys.stderr)
        return 130
    print(
        "\nquickstart: done. The trunks stay in the emulator's database and the stack state "
        f"under {state_dir}; run it again and nothing changes."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
