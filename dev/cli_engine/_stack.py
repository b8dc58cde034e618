"""A stack on the real Pulumi CLI, run hermetically, its program hosted in this process.

The CLI is the one ``scripts/pulumi_cli.py`` finds or builds. Python programs run as the
Automation API's inline programs: the Automation API starts a language server in this process and
passes its address to the CLI (``--client``), so the CLI, the engine, the state, the display and
the dynamic-provider plugin are all Pulumi's own; only the language host differs from a user's
``pulumi up`` in a project directory (no Python language host can be built from the Go module
proxy). Each stack has its own ``PULUMI_HOME`` and file backend, a fixed passphrase, no update
check and no plugin downloads.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pulumi import automation as auto
from sdk_state import sdk_defaults_restored

from ._result import CliResult

PASSPHRASE = "cli-engine-passphrase"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""The key that marks a secret in Pulumi's serialized properties (``pulumi stack export``)."""
Program = Callable[[], None] | Path
"""A program: a function, or a directory whose ``__main__.py`` is the program."""


class CliFailed(Exception):
    """A command exited with an error; ``result`` holds what it printed and its events."""

    def __init__(self, result: CliResult) -> None:
        super().__init__(f"pulumi {result.command} failed:\n{result.output}")
        self.result = result


class Secret(str):
    """A config value to set as a secret (``pulumi config set --secret``)."""

    __slots__ = ()


def program_function(program: Program) -> Callable[[], None]:
    if callable(program):
        return program
    main = program / "__main__.py"

    def run_directory() -> None:
        runpy.run_path(str(main), run_name="__main__")

    return run_directory


class CliStack:
    """One stack of ``project`` on the real CLI, its state and home under ``root``."""

    def __init__(
        self,
        bin_dir: Path,
        root: Path,
        *,
        project: str,
        stack: str = "dev",
        config: Mapping[str, str | Secret] | None = None,
        environment: Mapping[str, str] | None = None,
        echo: Callable[[str], None] | None = None,
        parallel: int | None = None,
    ) -> None:
        """``echo``, if given, receives every line the CLI prints, as it prints it; ``parallel``
        is every operation's ``--parallel`` (the CLI's default when None)."""
        self.bin_dir = bin_dir
        self._echo = echo
        self._parallel = parallel
        self.root = root
        self.project = project
        self.name = stack
        work_dir = root / "project"
        (root / "state").mkdir(parents=True, exist_ok=True)
        work_dir.mkdir(parents=True, exist_ok=True)
        self.environment = {
            "PULUMI_HOME": str(root / "home"),
            "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_PYTHON_CMD": sys.executable,
            "PATH": os.pathsep.join(
                [str(bin_dir), os.path.dirname(sys.executable), os.environ.get("PATH", "")]
            ),
            **(environment or {}),
        }
        workspace = auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            env_vars=self.environment,
            pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
            project_settings=auto.ProjectSettings(name=project, runtime="python"),
        )
        with _recording(CliResult("stack select")):
            self._stack = auto.create_or_select_stack(
                stack, project_name=project, program=lambda: None, opts=workspace
            )
            self._stack.set_all_config(
                {self._key(key): _config_value(value) for key, value in (config or {}).items()}
            )

    @property
    def work_dir(self) -> Path:
        return Path(self._stack.workspace.work_dir)

    # --- configuration --------------------------------------------------------------------------

    def _key(self, key: str) -> str:
        return key if ":" in key else f"{self.project}:{key}"

    def set_config(self, key: str, value: str | Secret) -> None:
        """``pulumi config set [--secret] key value``; a key without namespace is the project's."""
        self._stack.set_config(self._key(key), _config_value(value))

    def remove_config(self, key: str) -> None:
        self._stack.remove_config(self._key(key))

    # --- operations -----------------------------------------------------------------------------

    def preview(
        self, program: Program, *, expect_no_changes: bool = False, json_output: bool = False
    ) -> CliResult:
        result = CliResult("preview")
        with _recording(result):
            outcome = self._stack.preview(
                parallel=self._parallel,
                program=program_function(program),
                expect_no_changes=expect_no_changes or None,
                json=json_output or None,
                color="never",
                on_output=_collect(result, self._echo),
                on_error=_collect(result, self._echo),
                on_event=result.events.append,
            )
        if json_output:
            result.json_output = json.loads(outcome.stdout)
        return result

    def up(self, program: Program, *, expect_no_changes: bool = False) -> CliResult:
        result = CliResult("up")
        with _recording(result):
            self._stack.up(
                parallel=self._parallel,
                program=program_function(program),
                expect_no_changes=expect_no_changes or None,
                color="never",
                on_output=_collect(result, self._echo),
                on_error=_collect(result, self._echo),
                on_event=result.events.append,
            )
        return result

    def refresh(self, *, expect_no_changes: bool = False) -> CliResult:
        result = CliResult("refresh")
        with _recording(result):
            self._stack.refresh(
                parallel=self._parallel,
                expect_no_changes=expect_no_changes or None,
                color="never",
                on_output=_collect(result, self._echo),
                on_error=_collect(result, self._echo),
                on_event=result.events.append,
            )
        return result

    def destroy(self) -> CliResult:
        result = CliResult("destroy")
        with _recording(result):
            self._stack.destroy(
                parallel=self._parallel,
                color="never",
                on_output=_collect(result, self._echo),
                on_error=_collect(result, self._echo),
                on_event=result.events.append,
            )
        return result

    # --- state -----------------------------------------------------------------------------------

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """``pulumi <args>`` in this stack's project and environment, as a user would type it."""
        return subprocess.run(
            [str(self.bin_dir / "pulumi"), *args, "--non-interactive", "--stack", self.name],
            cwd=cwd or self.work_dir,
            env={**os.environ, **self.environment},
            capture_output=True,
            text=True,
            check=False,
        )

    def import_resources(self, import_file: Path) -> str:
        """``pulumi import --file import_file`` (unprotected, no code generated); what it printed.

        ``pulumi import`` loads the project's language host even when it generates no code, and
        no Python language host can be built here: it runs in a copy of the project that names
        the YAML runtime instead (the import itself involves no program).
        """
        directory = self.root / "import"
        directory.mkdir(exist_ok=True)
        (directory / "Pulumi.yaml").write_text(
            f"name: {self.project}\nruntime: yaml\n", encoding="utf-8"
        )
        stack_config = self.work_dir / f"Pulumi.{self.name}.yaml"
        if stack_config.exists():
            shutil.copyfile(stack_config, directory / stack_config.name)
        done = self.run(
            "import",
            "--file",
            str(import_file),
            "--yes",
            "--protect=false",
            "--generate-code=false",
            cwd=directory,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pulumi import failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def export(self) -> dict[str, Any]:
        """``pulumi stack export``: the state, secrets encrypted as stored."""
        done = self.run("stack", "export")
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack export failed: {done.stderr.strip()}")
        exported: dict[str, Any] = json.loads(done.stdout)
        return exported

    def reimport(self) -> None:
        """``pulumi stack export`` then ``pulumi stack import`` of what it printed."""
        exported = self.export()
        path = self.root / "exported.json"
        path.write_text(json.dumps(exported), encoding="utf-8")
        done = self.run("stack", "import", "--file", str(path))
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack import failed: {done.stderr.strip()}")

    def resources(self, *, show_secrets: bool = True) -> list[dict[str, Any]]:
        """The state's resources, as ``pulumi stack export [--show-secrets]`` shows them."""
        done = self.run("stack", "export", *(["--show-secrets"] if show_secrets else []))
        if done.returncode != 0:
            raise RuntimeError(f"pulumi stack export failed: {done.stderr.strip()}")
        resources: list[dict[str, Any]] = json.loads(done.stdout)["deployment"].get("resources", [])
        return resources

    def outputs_of(self, name: str) -> dict[str, Any]:
        """The outputs of the custom resource named ``name``, secrets shown as plain values."""
        for resource in self.resources():
            if resource["urn"].rsplit("::", 1)[-1] == name and resource.get("custom"):
                outputs: dict[str, Any] = unwrap_exported(resource.get("outputs", {}))
                return outputs
        raise KeyError(name)

    def stack_outputs(self) -> dict[str, Any]:
        return {key: value.value for key, value in self._stack.outputs().items()}


def unwrap_exported(value: Any) -> Any:
    """``value`` with every secret of a state exported with ``--show-secrets`` unwrapped."""
    if isinstance(value, dict):
        if SECRET_SIG in value and "plaintext" in value:
            return unwrap_exported(json.loads(value["plaintext"]))
        return {key: unwrap_exported(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap_exported(item) for item in value]
    return value


def _collect(result: CliResult, echo: Callable[[str], None] | None) -> Callable[[str], None]:
    def append(line: str) -> None:
        result.output += line + "\n"
        if echo is not None:
            echo(line)

    return append


def _config_value(value: str | Secret) -> auto.ConfigValue:
    return auto.ConfigValue(str(value), secret=isinstance(value, Secret))


@contextmanager
def _recording(result: CliResult) -> Iterator[None]:
    """Marks ``result`` failed and raises ``CliFailed`` when the command fails; leaves no state of
    the program (run in this process) in the SDK."""
    try:
        with sdk_defaults_restored():
            yield
    except auto.CommandError as error:
        result.failed = True
        if not result.output:
            result.output = str(error)
        raise CliFailed(result) from None
