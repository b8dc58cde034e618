"""The result of an operation, and its rendering in the shape of the CLI's output."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ._monitor import LogMessage
from ._properties import Computed, PropertyMap, ResourceReference, Secret
from ._server import OutputLine, RpcCall
from ._state import STACK_TYPE
from ._steps import (
    FUTURE_TENSE,
    PAST_TENSE,
    REPLACE,
    SAME,
    SYMBOLS,
    Step,
)

_SUMMARY_ORDER = [
    "create",
    "update",
    "delete",
    "replace",
    "read",
    "read-replacement",
    "discard",
    "import",
]

_HEADINGS = {
    ("preview", True): "Previewing update",
    ("up", False): "Updating",
    ("refresh", True): "Previewing refresh",
    ("refresh", False): "Refreshing",
    ("destroy", True): "Previewing destroy",
    ("destroy", False): "Destroying",
}


@dataclass
class OperationResult:
    """Everything an operation did and showed.

    ``steps`` excludes the default provider's steps (the CLI hides them); they are in
    ``provider_steps``. ``diagnostics`` are the lines the provider process printed after its
    port line, in arrival order (``provider_output`` keeps which stream each came from).
    ``errors`` are the messages the CLI would print as errors: the provider's error text for a
    failed step, or the program's traceback.
    """

    operation: str  # "preview", "up", "refresh" or "destroy"
    dry_run: bool
    project: str
    stack: str
    steps: list[Step] = field(default_factory=list)
    provider_steps: list[Step] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    provider_output: list[OutputLine] = field(default_factory=list)
    logs: list[LogMessage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    errors_by_urn: list[tuple[str, str]] = field(default_factory=list)
    outputs: PropertyMap = field(default_factory=dict)
    rpc_calls: list[RpcCall] = field(default_factory=list)
    engine: str = "harness"

    # --- counts --------------------------------------------------------------------------------

    @property
    def changes(self) -> dict[str, int]:
        """Op -> count of the successful steps the engine counts, ``same`` excluded."""
        counts = Counter(
            step.op for step in self.steps if step.counted and not step.failed and step.op != SAME
        )
        return dict(counts)

    @property
    def unchanged(self) -> int:
        return sum(1 for step in self.steps if step.op == SAME and not step.failed)

    @property
    def has_changes(self) -> bool:
        """What ``--expect-no-changes`` tests (reads and discards are not changes)."""
        return any(step.is_change and not step.failed for step in self.steps)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    # --- lookups -------------------------------------------------------------------------------

    def steps_for(self, name: str) -> list[Step]:
        return [step for step in self.steps if step.name == name]

    def op(self, name: str) -> str:
        """The op the CLI shows for the resource named ``name`` (``replace`` for a replacement)."""
        ops = [step.op for step in self.steps_for(name)]
        if not ops:
            raise KeyError(f"no step for a resource named {name!r}")
        return REPLACE if REPLACE in ops else ops[0]

    def ops(self) -> dict[str, str]:
        """Resource name -> shown op, for every resource with a step (the stack included)."""
        return {step.name: self.op(step.name) for step in self.steps}

    def calls(self, *methods: str) -> list[RpcCall]:
        """The RPCs sent to the provider (all of them, or only the given methods), in order."""
        return [call for call in self.rpc_calls if not methods or call.method in methods]

    def resource_calls(self) -> list[tuple[str, str]]:
        """``(method, resource name)`` of every resource RPC, in the order they were sent."""
        resource_methods = {"Check", "Diff", "Create", "Update", "Delete", "Read"}
        return [
            (call.method, call.urn.rsplit("::", 1)[-1])
            for call in self.rpc_calls
            if call.method in resource_methods
        ]

    # --- rendering -----------------------------------------------------------------------------

    def summary(self) -> str:
        tense = FUTURE_TENSE if self.dry_run else PAST_TENSE
        changes = self.changes
        lines = ["Resources:"]
        for op in _SUMMARY_ORDER + sorted(set(changes) - set(_SUMMARY_ORDER)):
            if changes.get(op):
                symbol = SYMBOLS.get(op, " ")
                spacer = "" if len(symbol) > 1 else " "
                lines.append(f"    {symbol}{spacer}{changes[op]} {tense.get(op, op)}")
        total = sum(changes.values())
        if total and self.unchanged:
            plural = "s" if total != 1 else ""
            lines.append(f"    {total} change{plural}. {self.unchanged} unchanged")
        elif self.unchanged:
            lines.append(f"    {self.unchanged} unchanged")
        elif not total:
            lines.append("    no resources")
        return "\n".join(lines)

    def render(self) -> str:
        """The operation as the CLI prints it: step table, diagnostics, outputs, summary."""
        heading = _HEADINGS.get((self.operation, self.dry_run), self.operation.capitalize())
        sections = [f"{heading} ({self.stack}):", self._table()]
        diagnostics = self._diagnostics()
        if diagnostics:
            sections.append(diagnostics)
        if self.outputs:
            sections.append(_render_outputs(self.outputs))
        sections.append(self.summary())
        return "\n\n".join(sections) + "\n"

    def _table(self) -> str:
        rows: dict[str, list[Step]] = {}
        for step in self.steps:
            rows.setdefault(step.urn, []).append(step)
        if not rows:
            return "    (no resources)"
        header = ("", "Type", "Name", "Plan" if self.dry_run else "Status", "Info")
        table = [header]
        for urn, depth in _tree_order(rows):
            steps = rows[urn]
            shown = next((s for s in steps if s.op == REPLACE), steps[0])
            failed = next((s for s in steps if s.failed), None)
            status = shown.op if self.dry_run else PAST_TENSE.get(shown.op, shown.op)
            if failed is not None:
                status = f"**{failed.op} failed**"
            keys = ", ".join("~" + key for key in shown.display_keys)
            table.append(
                (
                    SYMBOLS.get(shown.op, " "),
                    ("   " * (depth - 1) + "└─ " if depth else "") + shown.type,
                    shown.name,
                    status,
                    f"[diff: {keys}]" if keys else "",
                )
            )
        widths = [max(len(row[i]) for row in table) for i in range(4)]
        return "\n".join(
            f" {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  "
            f"{row[3]:<{widths[3]}}  {row[4]}".rstrip()
            for row in table
        )

    def _diagnostics(self) -> str:
        stack_key = f"{STACK_TYPE} ({self.project}-{self.stack})"
        groups: dict[str, list[str]] = {}
        by_urn = {step.urn: f"{step.type} ({step.name})" for step in self.steps}

        def group_for(urn: str) -> str:
            return by_urn.get(urn, stack_key) if urn else stack_key

        for line in self.provider_output:
            groups.setdefault(stack_key, []).append(line.text)
        for message in self.logs:
            prefix = "" if message.severity == "info" else f"{message.severity}: "
            groups.setdefault(group_for(message.urn), []).append(prefix + message.message)
        for urn, error in self.errors_by_urn:
            groups.setdefault(group_for(urn), []).append(f"error: {error}")
        if not groups:
            return ""
        lines = ["Diagnostics:"]
        for title, texts in groups.items():
            lines.append(f"  {title}:")
            for text in texts:
                lines.extend(f"    {line}" for line in text.splitlines() or [""])
            lines.append("")
        return "\n".join(lines).rstrip()


def _tree_order(rows: dict[str, list[Step]]) -> list[tuple[str, int]]:
    """URNs parent-first (children in step order under their parent), with their depth."""
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for urn, steps in rows.items():
        parent = steps[0].parent
        if parent in rows:
            children.setdefault(parent, []).append(urn)
        else:
            roots.append(urn)
    stacks = [urn for urn in roots if rows[urn][0].type == STACK_TYPE]
    ordered: list[tuple[str, int]] = []

    def visit(urn: str, depth: int) -> None:
        ordered.append((urn, depth))
        for child in children.get(urn, []):
            visit(child, depth + 1)

    for stack in stacks:
        visit(stack, 0)
    for urn in roots:
        if urn not in stacks:
            visit(urn, 1 if stacks else 0)
    return ordered


def _render_outputs(outputs: PropertyMap) -> str:
    lines = ["Outputs:"]
    width = max(len(key) for key in outputs)
    for key in sorted(outputs):
        lines.append(f"    {key + ':':<{width + 1}} {_display_value(outputs[key])}")
    return "\n".join(lines)


def _display_value(value: Any) -> str:
    if isinstance(value, Secret):
        return "[secret]"
    if isinstance(value, Computed):
        return "[unknown]"
    if isinstance(value, ResourceReference):
        return value.urn
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_display_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_display_value(item) for item in value) + "]"
    return json.dumps(value)


class DeploymentFailed(Exception):
    """The operation had errors (the CLI would exit non-zero). State keeps what succeeded."""

    def __init__(self, result: OperationResult) -> None:
        self.result = result
        details = "\n".join(f"  {line}" for error in result.errors for line in error.splitlines())
        super().__init__(f"{result.operation} failed:\n{details}")


class ExpectedNoChanges(Exception):
    """``expect_no_changes=True`` and the operation had changes (``--expect-no-changes``)."""

    def __init__(self, result: OperationResult) -> None:
        self.result = result
        changed = "\n".join(
            f"  {step.op} {step.type} {step.name}"
            + (f" [diff: {', '.join(step.display_keys)}]" if step.display_keys else "")
            for step in result.steps
            if step.is_change and not step.failed
        )
        verb = "were proposed" if result.dry_run else "occurred"
        super().__init__(f"no changes were expected but changes {verb}:\n{changed}")
