"""Take over a trunk created in the dashboard, and look others up read-only."""

import pulumi
from pulumi_autocalls import SipTrunk, list_sip_trunks

config = pulumi.Config()

# Managed from now on: Pulumi updates it to match, and `pulumi destroy` deletes it.
adopted = SipTrunk(
    "dashboard-trunk",
    adopt_id=config.require("adoptId"),
    sip_trunk_type="extension",
    phone_number=config.require("phoneNumber"),
    nickname="Adopted from the dashboard",
    sip_username=config.require("sipUsername"),
    sip_password=config.require_secret("sipPassword"),
    sip_address=config.require("sipAddress"),
    sip_calling_format="+e164",
    inbound_authorization_type="auth",
    country_code="US",
)

# Read-only: Pulumi reads it on every run but never changes or deletes it.
watched = SipTrunk.get("watched-trunk", config.require("watchId"))

# A plain lookup through the API, for values a program needs before it declares resources.
fallback = list_sip_trunks(nickname=config.get("fallbackNickname") or "Fallback")

pulumi.export("adopted_id", adopted.id)
pulumi.export("adopted_outbound_trunk_id", adopted.outbound_trunk_id)
pulumi.export("watched_phone_number", watched.phone_number)
pulumi.export("fallback_ids", [str(trunk.id) for trunk in fallback])
