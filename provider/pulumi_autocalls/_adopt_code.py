"""Python source that adopts existing trunks: what ``pulumi-autocalls adopt`` prints."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._core.fields import FIELDS
from ._core.models import SipTrunkSummary

_PASSWORD_KEY = "sipPassword{id}"


def _resource_name(trunk: SipTrunkSummary, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (trunk.nickname or "").lower()).strip("-")
    name = base or f"trunk-{trunk.id}"
    if name in taken:
        name = f"{name}-{trunk.id}"
    taken.add(name)
    return name


def _guess_trunk_type(trunk: SipTrunkSummary) -> str:
    return "number" if trunk.phone_number.startswith("+") else "extension"


def adoption_program(trunks: Sequence[SipTrunkSummary]) -> str:
    """A ready-to-paste Pulumi program fragment with one adopting ``SipTrunk`` per trunk."""
    lines = [
        f"# Adopts {len(trunks)} existing autocalls SIP trunk(s) into this stack.",
        "# The API never shows passwords: store each one as a secret first, for example",
    ]
    lines += [
        f"#   pulumi config set --secret {_PASSWORD_KEY.format(id=t.id)} <password>" for t in trunks
    ]
    lines += [
        "# and check sip_trunk_type, which the API does not return either (guessed from the",
        "# phone number).",
        "# Only the first 'pulumi up' reads adopt_id: afterwards the trunks are in the stack, and",
        "# removing adopt_id changes nothing. While it is set, a trunk deleted outside Pulumi is",
        "# not created again: 'pulumi up' then asks to remove adopt_id or point it elsewhere.",
        "import pulumi",
        "",
        "from pulumi_autocalls import SipTrunk",
        "",
        "config = pulumi.Config()",
    ]
    taken: set[str] = set()
    values = {}
    for trunk in trunks:
        values = trunk.model_dump()
        lines += ["", f"trunk_{trunk.id} = SipTrunk(", f"    {_resource_name(trunk, taken)!r},"]
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
