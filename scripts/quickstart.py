"""``make quickstart``: deploy the quickstart stack to the bundled emulator, on a local backend.

What it does, in order:

1. starts the bundled emulator of the autocalls API (a SQLite file under the state directory, so
   a rerun sees the same trunks) on the port of ``autocalls:baseUrl`` in the root Pulumi.yaml
   (8787), or on a free port when that one is taken;
2. deploys ``examples/quickstart`` (the root Pulumi.yaml's ``main``) as the stack ``dev`` with a
   fixed passphrase: a preview, an up, a preview that must show no changes, then a preview of a
   password rotation, which is not applied, so that the re-provisioning notices show;
3. stops the emulator, whatever happened.

The engine is the Pulumi CLI when it is on PATH or in ~/.pulumi/bin; when it is missing, Pulumi's
official installer (https://get.pulumi.com) is tried once, with short timeouts. Where the CLI
cannot be had, the same program runs through this project's engine harness (dev/engine_harness), and
the output says so. No Pulumi account and no autocalls account are needed.

Environment:
- ``AUTOCALLS_QUICKSTART_NO_INSTALL=1``: never run Pulumi's installer (a CLI already installed is
  still used). The tests set it.
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
NO_INSTALL_ENV = "AUTOCALLS_QUICKSTART_NO_INSTALL"
INSTALLER_URL = "https://get.pulumi.com"
SUPPORTED = ((3, 216), (4, 0))  # Pulumi >= 3.216, < 4 (pyproject.toml)


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


def find_pulumi() -> Path | None:
    found = shutil.which("pulumi")
    if found:
        return Path(found)
    home = Path.home() / ".pulumi" / "bin" / "pulumi"
    return home if home.is_file() and os.access(home, os.X_OK) else None


def install_pulumi() -> tuple[Path | None, str]:
    """Run Pulumi's official installer; the CLI, or why there is none."""
    if os.environ.get(NO_INSTALL_ENV):
        return None, f"{NO_INSTALL_ENV} is set, so Pulumi's installer was not run"
    curl = shutil.which("curl")
    if curl is None:
        return None, f"curl is missing to fetch Pulumi's installer from {INSTALLER_URL}"
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "install.sh"
        fetch = [curl, "-fsSL", "--connect-timeout", "5", "--max-time", "60", INSTALLER_URL]
        try:
            got = subprocess.run(
                [*fetch, "-o", str(script)], capture_output=True, text=True, timeout=90
            )
        except subprocess.TimeoutExpired:
            return None, f"Pulumi's installer could not be fetched from {INSTALLER_URL} in time"
        if got.returncode != 0:
            reason = (got.stderr.strip().splitlines() or [f"curl exit code {got.returncode}"])[-1]
            return None, f"Pulumi's installer could not be fetched from {INSTALLER_URL}: {reason}"
        print(f"quickstart: installing the Pulumi CLI with Pulumi's installer ({INSTALLER_URL})")
        try:
            ran = subprocess.run(
                ["sh", str(script), "--no-edit-path"], capture_output=True, text=True, timeout=300
            )
        except subprocess.TimeoutExpired:
            return None, "Pulumi's installer did not finish within 5 minutes"
    pulumi = find_pulumi()
    if ran.returncode != 0 or pulumi is None:
        reason = (ran.stderr.strip().splitlines() or [f"exit code {ran.returncode}"])[-1]
        return None, f"Pulumi's installer failed: {reason}"
    return pulumi, ""


def cli_version(pulumi: Path) -> str:
    try:
        out = subprocess.run(
            [str(pulumi), "version"], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise QuickstartError(f"`{pulumi} version` failed: {error}") from None
    return out.stdout.strip().removeprefix("v")


def _in_supported_range(version: str) -> bool:
    numbers = re.match(r"(\d+)\.(\d+)", version)
    if numbers is None:
        return True
    found = (int(numbers.group(1)), int(numbers.group(2)))
    return SUPPORTED[0] <= found < SUPPORTED[1]


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


def run_cli(pulumi: Path, version: str, state_dir: Path, port: int, project: str) -> None:
    print(f"engine: Pulumi CLI {version}")
    if not _in_supported_range(version):
        print(f"quickstart: warning: this provider supports Pulumi >=3.216,<4, not {version}")
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{state_dir}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    env.pop("PULUMI_CONFIG_PASSPHRASE_FILE", None)
    db_path = state_dir / "emulator-cli.db"
    stack_files = list((state_dir / ".pulumi" / "stacks").glob(f"**/{STACK}.json"))
    refresh_first = bool(stack_files) and not db_path.exists()
    if db_path.exists() and not stack_files:
        db_path.unlink()  # trunks of a stack that is gone would collide with the new ones

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
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    state_dir: Path = args.state_dir.resolve()
    try:
        project, default_port = project_settings()
        port = default_port if args.port is None else args.port
        state_dir.mkdir(parents=True, exist_ok=True)
        pulumi = find_pulumi()
        why_not = ""
        if pulumi is None:
            pulumi, why_not = install_pulumi()
        if pulumi is not None:
            run_cli(pulumi, cli_version(pulumi), state_dir, port, project)
        else:
            print(
                "quickstart: no Pulumi CLI (none on PATH or in ~/.pulumi/bin, and "
                f"{why_not}); running the same program through this project's engine harness "
                "instead."
            )
            run_harness(state_dir, port, project)
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
