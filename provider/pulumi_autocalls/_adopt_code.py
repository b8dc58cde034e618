"""Python source that brings existing trunks under Pulumi: what ``pulumi-autocalls adopt`` prints.

Either each ``SipTrunk`` adopts its trunk with ``adopt_id`` on the first ``pulumi up``, or (with
``--import-file``) ``pulumi import --file`` brings the trunks into the stack first and the program
declares them as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._core.fields import FIELDS
from ._core.models import SipTrunkSummary

_PASSWORD_KEY = "sipPassword{id}"


def resource_names(trunks: Sequence[SipTrunkSummary]) -> dict[int, str]:
    """Each trunk's resource name in the program (from its nickname, unique), by trunk id."""
    names: dict[int, str] = {}
    for trunk in trunks:
        base = re.sub(r"[^a-z0-9]+", "-", (trunk.nickname or "").lower()).strip("-")
        name = base or f"trunk-{trunk.id}"
        names[trunk.id] = f"{name}-{trunk.id}" if name in names.values() else name
    return names


def _guess_trunk_type(trunk: SipTrunkSummary) -> str:
    return "number" if trunk.phone_number.startswith("+") else "extension"


_ADOPTING = [
    "# Only the first 'pulumi up' reads adopt_id: afterwards the trunks are in the stack, and",
    "# removing adopt_id changes nothing. While it is set, a trunk deleted outside Pulumi is",
    "# not created again: 'pulumi up' then asks to remove adopt_id or point it elsewhere.",
]


def _importing(import_file: str) -> list[str]:
    return [
        "# Bring them into the stack first (this changes nothing at the API):",
        f"#   pulumi import --file {import_file} --protect=false --generate-code=false",
        "# The first 'pulumi up' then records each password and trunk type as declared here,",
        "# without sending them (the API never shows them); nothing else is sent.",
    ]


def adoption_program(trunks: Sequence[SipTrunkSummary], *, import_file: str | None = None) -> str:
    """A ready-to-paste Pulumi program fragment with one ``SipTrunk`` per trunk: adopting it with
    ``adopt_id``, or, when the trunks are imported from ``import_file``, declaring them as they
    are."""
    action = "Adopts" if import_file is None else "Declares"
    lines = [
        f"# {action} {len(trunks)} existing autocalls SIP trunk(s) in this stack.",
        "# The API never shows passwords: store each one as a secret first, for example",
    ]
    lines += [
        f"#   pulumi config set --secret {_PASSWORD_KEY.format(id=t.id)} <password>" for t in trunks
    ]
    lines += [
        "# and check sip_trunk_type, which the API does not return either (guessed from the",
        "# phone number).",
        *(_ADOPTING if import_file is None else _importing(import_file)),
        "import pulumi",
        "",
        "from pulumi_autocalls import SipTrunk",
        "",
        "config = pulumi.Config()",
    ]
    names = resource_names(trunks)
    for trunk in trunks:
        values = trunk.model_dump()
        lines += ["", f"trunk_{trunk.id} = SipTrunk(", f"    {names[trunk.id]!r},"]
        if import_file is None:
            lines.append(f"    adopt_id={str(trunk.id)!r},")
        for field in FIELDS:
            if field.name == "sip_trunk_type":
                lines.append(f"    sip_trunk_type={_guess_trunk_type(trunk)!r},")
            elif field.name == "sip_password":
                key = _PASSWORD_KEY.format(id=trunk.id)
                lines.append(f"    sip_password=config.require_secret({key!r}),")
            elif values.get(field.name) is not None:
                lines.append(f"    {field.name}={values[field.name]!r},")
        lines.append(")")
    lines += ["", "pulumi.export('trunk_ids', {"]
    lines += [f"    {str(t.id)!r}: trunk_{t.id}.id," for t in trunks]
    lines += ["})", ""]
    return "\n".join(lines)
