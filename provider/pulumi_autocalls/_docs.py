"""The README's generated sections, rendered from the field table and the settings.

``python -m pulumi_autocalls._docs README.md`` rewrites every block between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``; a test fails when the README and
the tables disagree.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from ._core.config import SETTINGS
from ._core.fields import FIELDS, INPUTS, OUTPUTS, VoiceTrunk


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def inputs_table() -> str:
    rows = [
        "| input | required | rule | description |",
        "|---|---|---|---|",
    ]
    for field in INPUTS:
        required = "yes" if field.required else "no"
        if field.default is not None:
            required += f" (default `{str(field.default).lower()}`)"
        rows.append(f"| `{field.name}` | {required} | {_cell(field.rule)} | {_cell(field.doc)} |")
    return "\n".join(rows)


def outputs_table() -> str:
    rows = [
        "| output | description |",
        "|---|---|",
        "| `id` | The SIP trunk's id, as a string (the resource id). |",
        "| every input | Echoed; `sip_password` as a secret. Live values after a refresh. |",
    ]
    rows += [f"| `{output.name}` | {_cell(output.doc)} |" for output in OUTPUTS]
    return "\n".join(rows)


def reprovisioning_table() -> str:
    rows = [
        "| field changed | inbound trunk | outbound trunk | how |",
        "|---|---|---|---|",
    ]
    for field in FIELDS:
        if field.create_only:
            rows.append(f"| `{field.name}` | replaced | replaced | replaces the whole SIP trunk |")
            continue
        marks = [
            "re-created" if trunk in field.recreates else "-"
            for trunk in (VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND)
        ]
        how = "update in place" if field.recreates else "update in place, stored only"
        rows.append(f"| `{field.name}` | {marks[0]} | {marks[1]} | {how} |")
    return "\n".join(rows)


def settings_table() -> str:
    rows = [
        "| stack config | environment fallback | meaning |",
        "|---|---|---|",
    ]
    rows += [f"| `{s.config_key}` | `{s.env_var}` | {_cell(s.doc)} |" for s in SETTINGS]
    return "\n".join(rows)


SECTIONS: dict[str, Callable[[], str]] = {
    "inputs": inputs_table,
    "outputs": outputs_table,
    "reprovisioning": reprovisioning_table,
    "settings": settings_table,
}


def _escaped(replacement: str) -> str:
    return replacement.replace("\\", "\\\\")


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current rendering."""
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.DOTALL
        )
        text = pattern.sub(rf"\g<1>{_escaped(make())}\n\g<2>", text)
    return text


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
