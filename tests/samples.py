"""Sample SIP trunk inputs shared by the tests."""

from __future__ import annotations

from typing import Any

TRUNK_ARGS: dict[str, Any] = {
    "sip_trunk_type": "extension",
    "phone_number": "1000",
    "nickname": "Provider X - Main",
    "sip_username": "myuser",
    "sip_password": "s3cret-pass",
    "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164",
    "inbound_authorization_type": "auth",
    "country_code": "US",
}


def trunk_args(**changes: Any) -> dict[str, Any]:
    """Keyword arguments of a valid ``SipTrunk``; a change to ``None`` removes that argument."""
    args = {**TRUNK_ARGS, **changes}
    return {key: value for key, value in args.items() if value is not None}


def desired(**changes: Any) -> dict[str, Any]:
    """Checked inputs as the provider receives them from the engine (``__provider`` included)."""
    return trunk_args(outbound_proxy=False, __provider="serialized", **changes)
