"""Many trunks from one config list: a loop, exported ids, and explicit ordering."""

from typing import Any

import pulumi
from pulumi_autocalls import SipTrunk

config = pulumi.Config()
defaults: dict[str, Any] = config.get_object("defaults") or {}
trunks: list[dict[str, Any]] = config.require_object("trunks")
password = config.require_secret("sipPassword")

created: dict[str, SipTrunk] = {}
previous: SipTrunk | None = None
for spec in trunks:
    settings = {**defaults, **spec}
    name = settings.pop("name")
    trunk = SipTrunk(
        name,
        sip_password=password,
        # Roll out one trunk after another instead of all at once: gentler on the carrier.
        opts=pulumi.ResourceOptions(depends_on=[previous] if previous else []),
        **settings,
    )
    created[name] = trunk
    previous = trunk

pulumi.export("trunk_ids", {name: trunk.id for name, trunk in created.items()})
pulumi.export(
    "outbound_trunk_ids", {name: trunk.outbound_trunk_id for name, trunk in created.items()}
)
