"""A DID trunk whose inbound calls are authorized by an IP allow-list from stack config."""

import pulumi
from pulumi_autocalls import SipTrunk

config = pulumi.Config()
allowed_ips: list[str] = config.require_object("allowedInboundIps")

did = SipTrunk(
    "did",
    sip_trunk_type="number",
    phone_number=config.require("phoneNumber"),
    nickname="Carrier DID",
    sip_username=config.require("sipUsername"),
    sip_password=config.require_secret("sipPassword"),
    sip_address=config.require("sipAddress"),
    sip_calling_format="e164",
    inbound_authorization_type="ip",
    allowed_inbound_ips=allowed_ips,
    country_code=config.get("countryCode") or "US",
    outbound_proxy=config.get_bool("outboundProxy") or False,
)

pulumi.export("trunk_id", did.id)
pulumi.export("allowed_inbound_ips", did.allowed_inbound_ips)
pulumi.export("inbound_trunk_id", did.inbound_trunk_id)
