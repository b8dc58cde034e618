"""The doctor's report: one line per check (expected, seen, what it means for the provider), as a
table for people and as JSON for an issue."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from .._core.redact import Scrubber
from .._version import __version__

REPORT_FORMAT = 1
"""The version of the JSON report's layout."""

_MAX_CELL = 60
_COLUMNS = ("CHECK", "EXPECTED", "SEEN", "RESULT")


@dataclass(frozen=True)
class Deviation:
    """One way the API differs from the provider's model, and the provider behaviour it affects."""

    seen: str
    consequence: str
    provider_ok: bool
    """The provider would still behave correctly."""


@dataclass(frozen=True)
class Check:
    """One check: what was done, what the model expects, what the API did."""

    name: str
    expected: str
    seen: str
    """What the API answered; each deviation's own ``seen`` follows it."""
    deviations: tuple[Deviation, ...] = ()
    not_run: str | None = None
    """Why the check could not be run (then ``seen`` is empty)."""

    @property
    def matched(self) -> bool:
        return not self.deviations and self.not_run is None

    @property
    def provider_ok(self) -> bool | None:
        """Whether the provider would still behave correctly; None if the check was not run."""
        if self.not_run is not None:
            return None
        return all(deviation.provider_ok for deviation in self.deviations)

    @property
    def seen_in_full(self) -> str:
        if self.not_run is not None:
            return f"not run: {self.not_run}"
        said = [d.seen for d in self.deviations]
        # A failure's deviation starts with the status that is all ``seen`` says.
        if self.seen and not any(text.startswith(self.seen) for text in said):
            said.insert(0, self.seen)
        return "; ".join(said)

    @property
    def result(self) -> str:
        if self.not_run is not None:
            return "not run"
        if self.matched:
            return "match"
        return "differs, provider ok" if self.provider_ok else "differs, PROVIDER AFFECTED"


def not_run(names: Iterable[str], why: str) -> list[Check]:
    return [Check(name, "", "", not_run=why) for name in names]


@dataclass
class Report:
    """Every check of one run, in the order they ran."""

    base_url: str
    write: bool
    checks: list[Check] = field(default_factory=list)
    interrupted: bool = False
    progress: TextIO | None = None
    """Where each check's name and result is written as it completes, if anywhere."""

    def add(self, *checks: Check) -> None:
        for check in checks:
            self.checks.append(check)
            if self.progress is not None:
                print(f"doctor: {check.name}: {check.result}", file=self.progress, flush=True)

    @property
    def matched(self) -> bool:
        return not self.interrupted and all(check.matched for check in self.checks)

    def as_json(self, scrubber: Scrubber) -> str:
        document: dict[str, Any] = {
            "report_format": REPORT_FORMAT,
            "pulumi_autocalls": __version__,
            "base_url": self.base_url,
            "write": self.write,
            "interrupted": self.interrupted,
            "matched": self.matched,
            "checks": [
                {
                    "name": check.name,
                    "expected": check.expected,
                    "seen": check.seen,
                    "matched": check.matched,
                    "provider_ok": check.provider_ok,
                    "deviations": [
                        {"seen": d.seen, "consequence": d.consequence, "provider_ok": d.provider_ok}
                        for d in check.deviations
                    ],
                    "not_run": check.not_run,
                }
                for check in self.checks
            ],
        }
        return json.dumps(scrubber.json(document), indent=2, ensure_ascii=False) + "\n"

    def as_table(self, scrubber: Scrubber) -> str:
        mode = "read and write" if self.write else "read-only"
        lines = [f"pulumi-autocalls doctor {__version__}: {self.base_url} ({mode})", ""]
        rows = [_COLUMNS] + [
            (c.name, _cell(c.expected), _cell(c.seen_in_full), c.result) for c in self.checks
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(len(_COLUMNS) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        lines.append("")
        lines.extend(self._summary())
        return scrubber.text("\n".join(lines)) + "\n"

    def _summary(self) -> list[str]:
        lines: list[str] = []
        if self.interrupted:
            lines.append("Interrupted: the checks after the last line above were not run.")
        differing = [check for check in self.checks if not check.matched]
        if not differing and not self.interrupted:
            lines.append(f"All {len(self.checks)} checks match the provider's model of the API.")
            return lines
        if differing:
            lines.append(f"{len(differing)} of {len(self.checks)} checks differ:")
        for check in differing:
            if check.not_run is not None:
                lines.append(f"- {check.name}: not run: {check.not_run}")
            for deviation in check.deviations:
                lines.append(f"- {check.name}: {deviation.seen}: {deviation.consequence}")
        lines += [
            "",
            "Please open an issue in the project's issue tracker with the JSON report attached",
            "(pulumi-autocalls doctor --json ...). It holds no API key, password, or values of",
            "your own trunks: only field names, trunk ids, statuses and the API's messages.",
        ]
        return lines


def _cell(text: str) -> str:
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"
