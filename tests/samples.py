"""Sample SIP trunk inputs shared by the tests."""

from __future__ import annotations

from typing import Any


def desired(**changes: Any) -> dict[str, Any]:
    news: dict[str, Any] = {
        "sip_trunk_type": "extension",
        "phone_number": "1000",
        "nickname": "Provider X - Main",
        "sip_username": "myuser",
        "sip_password": "s3cret-pass",
        "sip_address": "sip.provider.com",
        "sip_calling_format": "+e164",
        "inbound_authorization_type": "auth",
        "country_code": "US",
        "outbound_proxy": False,
        "__provider": "serialized",
    }
    news.update(changes)
    return {key: value for key, value in news.items() if value is not None}
