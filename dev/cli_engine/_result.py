"""What one CLI operation did and showed, read from the engine's own events."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from pulumi.automation import EngineEvent

# The default provider of dynamic resources: the CLI hides its steps.
PROVIDER_TYPE_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic the engine reported: a message for a resource (``urn``) or for none."""

    severity: str
    message: str
    urn: str | None


@dataclass(frozen=True)
class StepEvent:
    """One step the engine took (a ``resourcePreEvent``), as ``pulumi preview --json`` names it."""

    op: str
    urn: str
    type: str
    diffs: tuple[str, ...]
    detailed_diff: dict[str, Any]

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass
class CliResult:
    """Everything one command showed: what the CLI printed and the engine's events."""

    command: str
    output: str = ""
    events: list[EngineEvent] = field(default_factory=list)
    failed: bool = False
    json_output: dict[str, Any] | None = None
    """The digest ``pulumi preview --json`` printed, for a preview run with ``json=True``."""

    @property
    def steps(self) -> list[StepEvent]:
        """The resource steps, the default provider's excluded (the CLI does not show them)."""
        steps = []
        for event in self.events:
            pre = event.resource_pre_event
            if pre is None or pre.metadata.type.startswith(PROVIDER_TYPE_PREFIX):
                continue
            metadata = pre.metadata
            steps.append(
                StepEvent(
                    op=_value(metadata.op),
                    urn=metadata.urn,
                    type=metadata.type,
                    diffs=tuple(metadata.diffs or ()),
                    detailed_diff=plain(metadata.detailed_diff or {}),
                )
            )
        return steps

    def ops(self) -> dict[str, str]:
        """Resource name -> op, for every resource with a step (``replace`` for a replacement)."""
        shown: dict[str, str] = {}
        for step in self.steps:
            if step.op == "replace" or step.name not in shown:
                shown[step.name] = step.op
        return shown

    @property
    def changes(self) -> dict[str, int]:
        """Op -> count from the engine's summary, ``same`` left out (the CLI's "Resources:")."""
        for event in reversed(self.events):
            if event.summary_event is not None:
                counts = event.summary_event.resource_changes or {}
                return {_value(op): count for op, count in counts.items() if _value(op) != "same"}
        return {}

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic but the engine's debug chatter, in the order reported."""
        found = []
        for event in self.events:
            diagnostic = event.diagnostic_event
            if diagnostic is None or diagnostic.severity == "debug":
                continue
            found.append(
                Diagnostic(diagnostic.severity, diagnostic.message.rstrip("\n"), diagnostic.urn)
            )
        return found

    def messages(self, prefix: str = "") -> list[str]:
        """The lines of every diagnostic message that start with ``prefix``."""
        return [
            line
            for diagnostic in self.diagnostics
            for line in diagnostic.message.splitlines()
            if line.startswith(prefix)
        ]

    def events_text(self) -> str:
        """Every event as JSON, one per line: what an event log holds."""
        return "\n".join(json.dumps(plain(event), sort_keys=True) for event in self.events)


def _value(item: Any) -> Any:
    return item.value if isinstance(item, enum.Enum) else item


def plain(value: Any) -> Any:
    """A parsed event (or part of one) as plain JSON values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if hasattr(value, "__dict__"):
        return {key: plain(item) for key, item in vars(value).items() if item is not None}
    return value
