"""One extension trunk with password authorization."""

import pulumi
from pulumi_autocalls import SipTrunk

config = pulumi.Config()

trunk = SipTrunk(
    "main",
    sip_trunk_type="extension",
    phone_number=config.get("phoneNumber") or "1000",
    nickname=config.get("nickname") or "Provider X - Main",
    sip_username=config.get("sipUsername") or "myuser",
    sip_password=config.require_secret("sipPassword"),
    sip_address=config.get("sipAddress") or "sip.provider.com",
    sip_calling_format="+e164",
    inbound_authorization_type="auth",
    country_code="US",
)

pulumi.export("trunk_id", trunk.id)
pulumi.export("inbound_trunk_id", trunk.inbound_trunk_id)
pulumi.export("outbound_trunk_id", trunk.outbound_trunk_id)
