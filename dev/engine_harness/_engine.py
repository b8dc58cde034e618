"""The ``Engine``: a stack (config + state) and the four CLI operations over it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._crypto import PassphraseCipher
from ._deployment import Deployment, RunContext, StepFailed
from ._destroy import destroy
from ._host import ProviderHost
from ._monitor import EngineLog, EngineMonitor
from ._program import Program, ProgramFailure, run_program
from ._properties import PropertyMap, Secret
from ._refresh import refresh
from ._result import DeploymentFailed, ExpectedNoChanges, OperationResult
from ._server import provider_environment
from ._state import STACK_TYPE, StackState, make_urn, read_checkpoint, write_checkpoint
from ._update import ProgramDeployment

DEFAULT_PASSPHRASE = "pulumi-autocalls-harness-passphrase"


class Engine:
    """Plays the Pulumi engine for one stack of a project whose resources are Python dynamic
    resources. ``config`` may be changed between operations (like ``pulumi config set``)."""

    def __init__(
        self,
        project_dir: Path | str,
        *,
        project: str,
        stack: str = "dev",
        config: Mapping[str, str | Secret] | None = None,
        python: str = sys.executable,
        env: Mapping[str, str] | None = None,
        parallel: int = 16,
        state_path: Path | str | None = None,
        passphrase: str = DEFAULT_PASSPHRASE,
        runtime_options: Mapping[str, str] | None = None,
    ) -> None:
        self.project_dir = Path(project_dir).resolve()
        self.project = project
        self.stack = stack
        self.config: dict[str, str | Secret] = dict(config or {})
        self.python = python
        self.env: dict[str, str] = dict(env or {})
        self.parallel = parallel
        self.runtime_options: dict[str, str] = dict(runtime_options or {})
        self.state_path = Path(state_path) if state_path is not None else None
        self._passphrase = passphrase
        self.state = StackState()
        cipher = None
        if self.state_path is not None and self.state_path.exists():
            self.state, cipher = read_checkpoint(self.state_path, passphrase)
        self._cipher = cipher or PassphraseCipher(passphrase)

    def reload_state(self) -> None:
        """Read the state back from ``state_path`` (like ``pulumi stack export`` then
        ``import``), proving that the checkpoint round-trips. No-op without a state file."""
        if self.state_path is not None and self.state_path.exists():
            self.state, cipher = read_checkpoint(self.state_path, self._passphrase)
            self._cipher = cipher or self._cipher

    @property
    def outputs(self) -> PropertyMap:
        """The stack outputs saved by the last ``up`` (secrets as ``Secret``)."""
        return self.state.outputs

    @property
    def stack_urn(self) -> str:
        return make_urn(self.stack, self.project, STACK_TYPE, f"{self.project}-{self.stack}")

    # --- operations ----------------------------------------------------------------------------

    def preview(self, program: Program, *, expect_no_changes: bool = False) -> OperationResult:
        """``pulumi preview``: run the program; Check and Diff only, nothing saved."""
        return self._run_program("preview", program, dry_run=True, expect=expect_no_changes)

    def up(self, program: Program, *, expect_no_changes: bool = False) -> OperationResult:
        """``pulumi up --skip-preview``: run the program and apply every step."""
        return self._run_program("up", program, dry_run=False, expect=expect_no_changes)

    def refresh(self, *, preview: bool = False, expect_no_changes: bool = False) -> OperationResult:
        """``pulumi refresh`` (program not run); ``preview=True`` reads without saving."""
        deployment = Deployment(self._context(dry_run=preview), self.state, self._host())
        try:
            refresh(deployment)
        finally:
            deployment.host.close()
        return self._conclude("refresh", deployment, None, expect=expect_no_changes)

    def destroy(self, *, preview: bool = False) -> OperationResult:
        """``pulumi destroy`` (program not run); ``preview=True`` shows the deletes only."""
        deployment = Deployment(self._context(dry_run=preview), self.state, self._host())
        try:
            destroy(deployment)
        finally:
            deployment.host.close()
        return self._conclude("destroy", deployment, None, expect=False)

    # --- internals -----------------------------------------------------------------------------

    def _run_program(
        self, operation: str, program: Program, *, dry_run: bool, expect: bool
    ) -> OperationResult:
        deployment = ProgramDeployment(self._context(dry_run=dry_run), self.state, self._host())
        log = EngineLog()
        plain_config = {
            key: value.value if isinstance(value, Secret) else value
            for key, value in self.config.items()
        }
        secret_keys = [key for key, value in self.config.items() if isinstance(value, Secret)]
        try:
            failure = run_program(
                program,
                monitor=EngineMonitor(deployment),
                engine=log,
                project=self.project,
                stack=self.stack,
                dry_run=dry_run,
                config=plain_config,
                secret_keys=secret_keys,
                parallel=self.parallel,
                root_directory=self.project_dir,
                env=self.env,
            )
            if failure is None and not deployment.cancelled:
                deployment.finish()
        finally:
            deployment.host.close()
        return self._conclude(
            operation,
            deployment,
            failure,
            expect=expect,
            logs=log.messages,
            outputs=deployment.stack_outputs,
        )

    def _conclude(
        self,
        operation: str,
        deployment: Deployment,
        failure: ProgramFailure | None,
        *,
        expect: bool,
        logs: list[Any] | None = None,
        outputs: PropertyMap | None = None,
    ) -> OperationResult:
        errors_by_urn = list(deployment.errors)
        if failure is not None and not _caused_by_step(failure.error):
            errors_by_urn.append(
                (
                    self.stack_urn,
                    f"Program failed with an unhandled exception:\n{failure.traceback.rstrip()}",
                )
            )
        dry_run = deployment.context.dry_run
        if not dry_run:
            self.state = deployment.state
            self._save()
        result = OperationResult(
            operation=operation,
            dry_run=dry_run,
            project=self.project,
            stack=self.stack,
            steps=list(deployment.steps),
            provider_steps=list(deployment.provider_steps),
            diagnostics=[line.text for line in deployment.host.output],
            provider_output=list(deployment.host.output),
            logs=list(logs or []),
            errors=[message for _, message in errors_by_urn],
            errors_by_urn=errors_by_urn,
            outputs=dict(outputs if outputs is not None else self.state.outputs),
            rpc_calls=deployment.host.calls,
        )
        if result.errors:
            raise DeploymentFailed(result)
        if expect and result.has_changes:
            raise ExpectedNoChanges(result)
        return result

    def _context(self, *, dry_run: bool) -> RunContext:
        return RunContext(
            project=self.project,
            stack=self.stack,
            config=self._stack_config(),
            dry_run=dry_run,
            parallel=self.parallel,
        )

    def _stack_config(self) -> PropertyMap:
        config: PropertyMap = {}
        for key, value in self.config.items():
            if ":" not in key:
                raise ValueError(f"config key {key!r} must be namespaced, like 'project:key'")
            plain = value.value if isinstance(value, Secret) else value
            if not isinstance(plain, str):
                raise TypeError(f"config value of {key!r} must be a string, like the CLI's")
            config[key] = value
        return config

    def _host(self) -> ProviderHost:
        env = provider_environment(
            {**os.environ, **self.env},
            project=self.project,
            config=self._stack_config(),
            runtime_options=self.runtime_options,
        )
        return ProviderHost(python=self.python, cwd=self.project_dir, env=env)

    def _save(self) -> None:
        if self.state_path is not None:
            write_checkpoint(
                self.state_path,
                self.state,
                stack=self.stack,
                project=self.project,
                cipher=self._cipher,
            )


def _caused_by_step(error: BaseException | None) -> bool:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, StepFailed):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
