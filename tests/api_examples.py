"""Bodies the API documentation shows, as the tests expect them from the emulator."""

from __future__ import annotations

from typing import Any

DOCUMENTED_VALIDATION_ERROR: dict[str, Any] = {
    "message": "The given data was invalid.",
    "errors": {
        "sip_address": ["SIP server address is required."],
        "sip_calling_format": ["SIP calling format must be one of: +e164, e164, national."],
    },
}
"""The documentation's example of a 422: a create without its address, an unknown format."""
