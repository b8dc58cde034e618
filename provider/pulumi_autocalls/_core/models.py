"""What the autocalls API sends back, as typed, immutable records.

These models describe responses, so they are permissive where the server may grow: enum-like
fields are plain strings, unknown keys are ignored, and timestamps stay the API's own strings so
they round-trip exactly. ``sip_password`` is write-only and never part of a record.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _ApiRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class AccountInfo(_ApiRecord):
    """The account behind an API key (``GET /user/me``)."""

    name: str | None = None
    email: str | None = None
    total_balance: float | None = None


class SipTrunkSummary(_ApiRecord):
    """A SIP trunk as the list endpoint returns it: without the voice-infrastructure trunk ids.

    Its fields are rendered from the field table (``python -m pulumi_autocalls._codegen``).
    """

    # <generated:summary-fields>
    id: int
    phone_number: str
    nickname: str | None = None
    sip_username: str
    sip_address: str
    sip_calling_format: str
    """One of "+e164", "e164", "national" today."""
    inbound_authorization_type: str
    """One of "auth", "ip" today."""
    allowed_inbound_ips: list[str] | None = None
    country_code: str
    outbound_proxy: bool
    created_at: str
    updated_at: str
    # </generated:summary-fields>


class SipTrunkRecord(SipTrunkSummary):
    """A SIP trunk as get, create and update return it: with its voice-infrastructure trunk ids.

    Both ids change when an update re-creates the corresponding voice trunk.
    """

    # <generated:record-fields>
    inbound_trunk_id: str | None = None
    outbound_trunk_id: str | None = None
    # </generated:record-fields>
