"""The API's answers as its documentation shows them (docs/api-contract.md), where the provider
does not depend on them word for word.

The client takes any success status and tells errors apart by their status alone; its messages
quote the API's own words. So these statuses, envelopes and messages are stated nowhere else: the
doctor holds a real API to them, since a difference is the first sign that the documentation,
and with it the provider's model, is out of date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .._exceptions import reason_phrase


@dataclass(frozen=True)
class Answer:
    """A documented answer: its status, the keys of its body, and the exact text of one key."""

    status: int
    keys: tuple[str, ...]
    text_key: str | None = None
    text: str | None = None

    @property
    def status_text(self) -> str:
        """``201 Created``."""
        return f"{self.status} {reason_phrase(self.status)}"

    def describe(self) -> str:
        if self.text_key is None:
            return f"{self.status_text}, {' and '.join(self.keys)}"
        return f'{self.status_text}, {{"{self.text_key}": "{self.text}"}}'


LISTED = Answer(200, ("data",))
READ = Answer(200, ("data",))
CREATED = Answer(201, ("message", "data"))
UPDATED = Answer(200, ("message", "data"))
DELETED = Answer(200, ("message",), "message", "Phone number deleted successfully.")
TRUNK_NOT_FOUND = Answer(404, ("error",), "error", "SIP trunk not found.")
PHONE_NUMBER_NOT_FOUND = Answer(404, ("error",), "error", "Phone number not found.")
DUPLICATE = Answer(
    409,
    ("error",),
    "error",
    "A SIP trunk with the same phone number, username, and address already exists.",
)
INVALID = Answer(422, ("message", "errors"), "message", "The given data was invalid.")


@dataclass(frozen=True)
class Refusal:
    """A documented validation message, and the request that draws it: a create with the
    throwaway trunk's fields, or an update of it, with ``change`` applied (None: left out)."""

    field: str
    message: str
    operation: Literal["create", "update"]
    change: Mapping[str, Any]


REFUSALS: tuple[Refusal, ...] = (
    Refusal("sip_address", "SIP server address is required.", "create", {"sip_address": None}),
    Refusal(
        "sip_calling_format",
        "SIP calling format must be one of: +e164, e164, national.",
        "create",
        {"sip_calling_format": "E.164"},
    ),
    Refusal(
        "allowed_inbound_ips",
        'At least one allowed IP address is required when authorization type is "ip".',
        "update",
        {"inbound_authorization_type": "ip"},
    ),
)
