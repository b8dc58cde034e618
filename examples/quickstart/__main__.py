"""The quickstart stack: three SIP trunks against the bundled emulator."""

import pulumi
from pulumi_autocalls import SipTrunk

config = pulumi.Config()
password = config.require_secret("sipPassword")

office = SipTrunk(
    "office-extension",
    sip_trunk_type="extension",
    phone_number="1000",
    nickname="Office PBX - main line",
    sip_username="office-main",
    sip_password=password,
    sip_address="pbx.example.com",
    sip_calling_format="+e164",
    inbound_authorization_type="auth",
    country_code="US",
)

sales = SipTrunk(
    "sales-did",
    sip_trunk_type="number",
    phone_number="+14155551234",
    nickname="Sales DID",
    sip_username="sales-did",
    sip_password=password,
    sip_address="sip.carrier.example",
    sip_calling_format="e164",
    inbound_authorization_type="ip",
    allowed_inbound_ips=["203.0.113.10", "198.51.100.20"],
    country_code="US",
)

support = SipTrunk(
    "support-uk",
    sip_trunk_type="number",
    phone_number="+442071838750",
    sip_username="support-uk",
    sip_password=password,
    sip_address="sip.carrier.example",
    sip_calling_format="national",
    inbound_authorization_type="auth",
    country_code="GB",
    outbound_proxy=True,
)

pulumi.export("trunk_ids", {"office": office.id, "sales": sales.id, "support": support.id})
pulumi.export("sales_inbound_trunk_id", sales.inbound_trunk_id)
pulumi.export("sales_outbound_trunk_id", sales.outbound_trunk_id)
