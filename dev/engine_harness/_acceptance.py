"""Pulumi's own acceptance sequence for a program (``ProgramTest`` in pkg/testing/integration)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ._engine import Engine
from ._program import Program
from ._result import OperationResult


@dataclass
class AcceptanceRun:
    """Every operation's result, named after the CLI command it stands for."""

    results: list[tuple[str, OperationResult]] = field(default_factory=list)

    def add(self, command: str, result: OperationResult) -> OperationResult:
        self.results.append((command, result))
        return result

    def __getitem__(self, command: str) -> OperationResult:
        """The last result of ``command`` (e.g. ``"up"``, ``"destroy"``)."""
        for name, result in reversed(self.results):
            if name == command:
                return result
        raise KeyError(command)


def acceptance_sequence(
    engine: Engine,
    program: Program,
    edits: Sequence[Program] = (),
    *,
    destroy: bool = True,
) -> AcceptanceRun:
    """``preview``, ``up``, state export/import, ``preview`` / ``up`` / ``refresh`` expecting no
    changes, then a preview and an up per edit, then ``destroy``. Any unexpected change raises
    ``ExpectedNoChanges``; any failure raises ``DeploymentFailed``."""
    run = AcceptanceRun()
    run.add("preview", engine.preview(program))
    run.add("up", engine.up(program))
    engine.reload_state()
    run.add("preview --expect-no-changes", engine.preview(program, expect_no_changes=True))
    run.add("up --expect-no-changes", engine.up(program, expect_no_changes=True))
    run.add("refresh --expect-no-changes", engine.refresh(expect_no_changes=True))
    for edit in edits:
        run.add("preview", engine.preview(edit))
        run.add("up", engine.up(edit))
    if destroy:
        run.add("destroy", engine.destroy())
    return run
