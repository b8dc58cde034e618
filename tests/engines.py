"""One scenario, two engines: the engine harness and the real Pulumi CLI behind one interface.

A scenario written against ``StackDriver`` runs unchanged on either engine, so the real CLI proves
what the harness models, and the same test shows where the two differ. Each driver is bound to one
stack and one program (a directory with ``__main__.py`` or a function); edits go through the stack
config or through whatever the program function reads.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cli_engine import SECRET_SIG, CliFailed, CliResult, CliStack, unwrap_exported
from cli_engine import Secret as CliSecret
from engine_harness import DeploymentFailed, Engine, OperationResult, Secret, unwrap_secrets

NOTICE_PREFIX = "autocalls:"
TRUNK_TYPE = "pulumi-python:dynamic/autocalls:SipTrunk"


@dataclass
class Outcome:
    """What one operation did, as either engine reports it."""

    ops: dict[str, str]
    changes: dict[str, int]
    notices: list[str]
    """Every line the provider wrote that starts with ``autocalls:`` (the re-creation notices)."""
    read_outputs: Callable[[], dict[str, Any]]
    steps: list[tuple[str, str]] = field(default_factory=list)
    """``(op, resource name)`` of every step, in the order the engine reported them."""
    diff_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Resource name -> the keys of its ``[diff: ...]`` summary, for the resources that have one."""
    text: str = ""
    """What the user saw: the CLI's output, or the harness's rendering of it."""
    errors: dict[str, str] = field(default_factory=dict)
    """Resource name -> the error the engine reported for it (a failed operation)."""

    @functools.cached_property
    def outputs(self) -> dict[str, Any]:
        """The stack outputs after the operation (plain values; secrets unwrapped)."""
        return self.read_outputs()


class StackDriver(Protocol):
    engine: str

    def preview(self, *, expect_no_changes: bool = False) -> Outcome: ...
    def up(self, *, expect_no_changes: bool = False) -> Outcome: ...
    def refresh(self, *, expect_no_changes: bool = False) -> Outcome: ...
    def destroy(self) -> Outcome: ...
    def set_config(self, key: str, value: str, *, secret: bool = False) -> None: ...
    def reload_state(self) -> None: ...
    def resource_id(self, name: str) -> str: ...
    def resource_inputs(self, name: str) -> dict[str, Any]: ...
    def resource_outputs(self, name: str) -> dict[str, Any]: ...
    def secret_outputs(self, name: str) -> set[str]: ...
    def dependencies(self, name: str) -> list[str]: ...
    def resource_names(self) -> list[str]: ...
    def state_text(self) -> str:
        """The state as stored (secrets encrypted): the checkpoint, or ``pulumi stack export``."""
        ...

    def failure(self, operation: str) -> Outcome:
        """Run ``operation`` ("preview", "up", "refresh" or "destroy"), which must fail; what it
        showed."""
        ...


# --- the engine harness --------------------------------------------------------------------------


class HarnessDriver:
    engine = "harness"

    def __init__(
        self,
        root: Path,
        program: Path | Any,
        *,
        project: str,
        config: Mapping[str, str | Secret],
        parallel: int = 16,
    ) -> None:
        self.program = program
        self.stack = Engine(
            root,
            project=project,
            config={key if ":" in key else f"{project}:{key}": v for key, v in config.items()},
            state_path=root / "state" / "dev.json",
            parallel=parallel,
        )

    def _outcome(self, result: OperationResult) -> Outcome:
        return Outcome(
            ops=result.ops(),
            changes=result.changes,
            notices=[line for line in result.diagnostics if line.startswith(NOTICE_PREFIX)],
            read_outputs=lambda: unwrap_secrets(dict(self.stack.outputs)),
            steps=[(step.op, step.name) for step in result.steps],
            diff_keys={s.name: s.display_keys for s in result.steps if s.display_keys},
            text=result.render(),
            errors={urn.rsplit("::", 1)[-1]: message for urn, message in result.errors_by_urn},
        )

    def preview(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.preview(self.program, expect_no_changes=expect_no_changes))

    def up(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.up(self.program, expect_no_changes=expect_no_changes))

    def refresh(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.refresh(expect_no_changes=expect_no_changes))

    def destroy(self) -> Outcome:
        return self._outcome(self.stack.destroy())

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        full_key = key if ":" in key else f"{self.stack.project}:{key}"
        self.stack.config[full_key] = Secret(value) if secret else value

    def reload_state(self) -> None:
        self.stack.reload_state()

    def resource_id(self, name: str) -> str:
        return self.stack.state.by_name(name, TRUNK_TYPE).id

    def resource_inputs(self, name: str) -> dict[str, Any]:
        inputs: dict[str, Any] = unwrap_secrets(
            dict(self.stack.state.by_name(name, TRUNK_TYPE).inputs)
        )
        return inputs

    def resource_outputs(self, name: str) -> dict[str, Any]:
        outputs: dict[str, Any] = unwrap_secrets(
            dict(self.stack.state.by_name(name, TRUNK_TYPE).outputs)
        )
        return outputs

    def secret_outputs(self, name: str) -> set[str]:
        outputs = self.stack.state.by_name(name, TRUNK_TYPE).outputs
        return {key for key, value in outputs.items() if isinstance(value, Secret)}

    def state_text(self) -> str:
        assert self.stack.state_path is not None
        return self.stack.state_path.read_text(encoding="utf-8")

    def dependencies(self, name: str) -> list[str]:
        urns = self.stack.state.by_name(name, TRUNK_TYPE).dependencies
        return [urn.rsplit("::", 1)[-1] for urn in urns]

    def resource_names(self) -> list[str]:
        return [resource.name for resource in self.stack.state.custom_resources()]

    def failure(self, operation: str) -> Outcome:
        run = {"preview": self.preview, "up": self.up, "refresh": self.refresh}.get(
            operation, self.destroy
        )
        try:
            run()
        except DeploymentFailed as failed:
            return self._outcome(failed.result)
        raise AssertionError(f"{operation} succeeded, but it was expected to fail")


# --- the real Pulumi CLI -------------------------------------------------------------------------

_DIFF_SUMMARY = re.compile(r"\s(?P<name>\S+)\s+\w[\w-]*\s+\[diff: (?P<keys>[^\]]*)\]")


class CliDriver:
    engine = "cli"

    def __init__(
        self,
        bin_dir: Path,
        root: Path,
        program: Path | Any,
        *,
        project: str,
        config: Mapping[str, str | Secret],
        parallel: int | None = None,
    ) -> None:
        self.program = program
        self.stack = CliStack(
            bin_dir,
            root,
            project=project,
            parallel=parallel,
            config={
                key: CliSecret(value.value) if isinstance(value, Secret) else value
                for key, value in config.items()
            },
        )

    def _outcome(self, result: CliResult) -> Outcome:
        diff_keys: dict[str, tuple[str, ...]] = {}
        for match in _DIFF_SUMMARY.finditer(result.output):
            keys = tuple(key.strip().lstrip("~+-") for key in match["keys"].split(","))
            diff_keys[match["name"]] = keys
        return Outcome(
            ops=result.ops(),
            changes=result.changes,
            notices=result.messages(NOTICE_PREFIX),
            read_outputs=self.stack.stack_outputs,
            steps=[(step.op, step.name) for step in result.steps],
            diff_keys=diff_keys,
            text=result.output,
            errors={
                diagnostic.urn.rsplit("::", 1)[-1]: diagnostic.message
                for diagnostic in result.diagnostics
                if diagnostic.severity == "error" and diagnostic.urn
            },
        )

    def preview(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.preview(self.program, expect_no_changes=expect_no_changes))

    def up(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.up(self.program, expect_no_changes=expect_no_changes))

    def refresh(self, *, expect_no_changes: bool = False) -> Outcome:
        return self._outcome(self.stack.refresh(expect_no_changes=expect_no_changes))

    def destroy(self) -> Outcome:
        return self._outcome(self.stack.destroy())

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.stack.set_config(key, CliSecret(value) if secret else value)

    def reload_state(self) -> None:
        self.stack.reimport()

    def _resource(self, name: str, *, show_secrets: bool = True) -> dict[str, Any]:
        for resource in self.stack.resources(show_secrets=show_secrets):
            if resource["urn"].endswith(f"::{name}") and resource.get("custom"):
                return resource
        raise KeyError(name)

    def resource_id(self, name: str) -> str:
        return str(self._resource(name)["id"])

    def resource_inputs(self, name: str) -> dict[str, Any]:
        inputs: dict[str, Any] = unwrap_exported(self._resource(name).get("inputs", {}))
        return inputs

    def resource_outputs(self, name: str) -> dict[str, Any]:
        outputs: dict[str, Any] = unwrap_exported(self._resource(name).get("outputs", {}))
        return outputs

    def secret_outputs(self, name: str) -> set[str]:
        outputs = self._resource(name, show_secrets=False).get("outputs", {})
        return {
            key for key, value in outputs.items() if isinstance(value, dict) and SECRET_SIG in value
        }

    def state_text(self) -> str:
        return json.dumps(self.stack.export())

    def dependencies(self, name: str) -> list[str]:
        return [urn.rsplit("::", 1)[-1] for urn in self._resource(name).get("dependencies", [])]

    def resource_names(self) -> list[str]:
        return [
            resource["urn"].rsplit("::", 1)[-1]
            for resource in self.stack.resources(show_secrets=False)
            if resource.get("custom") and not resource["type"].startswith("pulumi:providers:")
        ]

    def failure(self, operation: str) -> Outcome:
        run = {"preview": self.preview, "up": self.up, "refresh": self.refresh}.get(
            operation, self.destroy
        )
        try:
            run()
        except CliFailed as failed:
            return self._outcome(failed.result)
        raise AssertionError(f"{operation} succeeded, but it was expected to fail")
