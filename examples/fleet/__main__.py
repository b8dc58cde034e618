"""Many trunks from one config list: a loop, exported ids, and explicit ordering."""

from dataclasses import fields
from typing import Any

import pulumi
from pulumi_autocalls import SipTrunk, SipTrunkArgs

config = pulumi.Config()
defaults: dict[str, Any] = config.get_object("defaults") or {}
trunks: list[dict[str, Any]] = config.require_object("trunks")
password = config.require_secret("sipPassword")  # one secret for the whole fleet

# The settings a trunk of the list may carry: SipTrunk's inputs, except the shared password.
SETTINGS = {field.name for field in fields(SipTrunkArgs)} - {"sip_password"}

created: dict[str, SipTrunk] = {}
previous: SipTrunk | None = None
for index, spec in enumerate(trunks):
    settings = {**defaults, **spec}
    name = settings.pop("name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"trunks[{index}] needs a name")
    unknown = sorted(set(settings) - SETTINGS)
    if unknown:
        raise ValueError(
            f"trunks[{index}] ({name}): unknown setting {', '.join(map(repr, unknown))}; "
            f"a trunk takes {', '.join(sorted(SETTINGS))}"
        )
    trunk = SipTrunk(
        name,
        SipTrunkArgs(**settings, sip_password=password),
        # Roll out one trunk after another instead of all at once: gentler on the carrier.
        opts=pulumi.ResourceOptions(depends_on=[previous] if previous else []),
    )
    created[name] = trunk
    previous = trunk

pulumi.export("trunk_ids", {name: trunk.id for name, trunk in created.items()})
pulumi.export(
    "outbound_trunk_ids", {name: trunk.outbound_trunk_id for name, trunk in created.items()}
)
