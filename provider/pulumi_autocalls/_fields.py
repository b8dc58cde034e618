"""The field table: every SIP trunk input, its rule, and what a change to it costs.

This is the single source of truth for the fields of a SIP trunk. Validation (``_inputs``), diff
and update (``_diff``), the resource class, the README's reference tables and the tests all read
it; nothing else restates which field re-creates which voice trunk.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class VoiceTrunk(str, enum.Enum):
    """One of the two voice-infrastructure trunks behind every SIP trunk."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @property
    def label(self) -> str:
        return f"{self.value} trunk"


class Kind(str, enum.Enum):
    """How a field's value is shaped and checked."""

    TEXT = "text"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    PHONE_NUMBER = "phone number"
    HOST = "host"
    IP_LIST = "IP address list"
    COUNTRY = "country"


_BOTH = frozenset({VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND})
_INBOUND = frozenset({VoiceTrunk.INBOUND})
_OUTBOUND = frozenset({VoiceTrunk.OUTBOUND})
_NONE: frozenset[VoiceTrunk] = frozenset()


@dataclass(frozen=True)
class Field:
    """The rules of one SIP trunk input."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    recreates: frozenset[VoiceTrunk] = _NONE
    """The voice trunks that the platform deletes and re-creates when this field changes."""
    create_only: bool = False
    """The API cannot change it: a change replaces the whole SIP trunk."""
    write_only: bool = False
    """The API accepts it but never returns it."""
    secret: bool = False
    unordered: bool = False
    """A list compared as a set: reordering it is no change."""
    cleared_by_null: bool = False
    """Removing it from the program is sent to the API as ``null``."""
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    default: bool | None = None

    @property
    def rule(self) -> str:
        """The field's constraint in words, as the docs and error messages give it."""
        if self.kind is Kind.CHOICE:
            return "one of " + ", ".join(f'"{c}"' for c in self.choices)
        if self.kind is Kind.TEXT:
            if self.min_length is not None and self.max_length is not None:
                return f"{self.min_length} to {self.max_length} characters"
            if self.min_length is not None:
                return f"at least {self.min_length} characters"
            if self.max_length is not None:
                return f"at most {self.max_length} characters"
        return _KIND_RULES[self.kind]


_KIND_RULES = {
    Kind.TEXT: "text",
    Kind.BOOLEAN: "true or false",
    Kind.PHONE_NUMBER: (
        'for "extension" trunks 1 to 15 characters; for "number" trunks an E.164 number'
    ),
    Kind.HOST: "a host name or IP address, with no port, scheme or path",
    Kind.IP_LIST: "a non-empty list of IPv4 or IPv6 addresses",
    Kind.COUNTRY: "an ISO 3166-1 alpha-2 country code",
}

FIELDS: tuple[Field, ...] = (
    Field(
        "sip_trunk_type",
        Kind.CHOICE,
        'What the trunk carries: "extension" (a SIP extension) or "number" (a DID).',
        required=True,
        create_only=True,
        write_only=True,
        choices=("extension", "number"),
    ),
    Field(
        "phone_number",
        Kind.PHONE_NUMBER,
        "The extension (for example 1000) or the DID in E.164 (for example +14155551234).",
        required=True,
        recreates=_BOTH,
    ),
    Field(
        "nickname",
        Kind.TEXT,
        "A label for people. Removing it clears it.",
        cleared_by_null=True,
        max_length=50,
    ),
    Field(
        "sip_username",
        Kind.TEXT,
        "The SIP username, also used for inbound calls with password authorization.",
        required=True,
        recreates=_BOTH,
        min_length=3,
        max_length=128,
    ),
    Field(
        "sip_password",
        Kind.TEXT,
        "The SIP password. Always a secret; the API never returns it.",
        required=True,
        recreates=_BOTH,
        write_only=True,
        secret=True,
        min_length=3,
    ),
    Field(
        "sip_address",
        Kind.HOST,
        "The carrier's SIP server, for example sip.provider.com.",
        required=True,
        recreates=_OUTBOUND,
    ),
    Field(
        "sip_calling_format",
        Kind.CHOICE,
        'How numbers are dialled: "+e164", "e164" or "national".',
        required=True,
        choices=("+e164", "e164", "national"),
    ),
    Field(
        "inbound_authorization_type",
        Kind.CHOICE,
        'How inbound calls authenticate: "auth" (username and password) or "ip" (allow-list).',
        required=True,
        recreates=_INBOUND,
        choices=("auth", "ip"),
    ),
    Field(
        "allowed_inbound_ips",
        Kind.IP_LIST,
        'The inbound allow-list; required with "ip" authorization and only allowed with it.',
        recreates=_INBOUND,
        unordered=True,
    ),
    Field(
        "country_code",
        Kind.COUNTRY,
        "The trunk's country, for example US (any case; stored upper case).",
        required=True,
    ),
    Field(
        "outbound_proxy",
        Kind.BOOLEAN,
        "Send outbound calls from a fixed proxy IP (for carriers that authorize by IP).",
        recreates=_OUTBOUND,
        default=False,
    ),
)

FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS_BY_NAME)

ADOPT_ID = "adopt_id"
ADOPT_ID_DOC = (
    "Ours, not the API's: the id of an existing trunk to take over instead of creating one. "
    "Its fields are then brought to the declared values; the password is assumed to match."
)

INPUT_NAMES: tuple[str, ...] = (*FIELD_NAMES, ADOPT_ID)

COMPUTED_OUTPUTS: dict[str, str] = {
    "inbound_trunk_id": (
        "The inbound voice trunk's id; it changes when the inbound trunk is re-created."
    ),
    "outbound_trunk_id": (
        "The outbound voice trunk's id; it changes when the outbound trunk is re-created."
    ),
    "created_at": "When the trunk was created (ISO 8601, UTC).",
    "updated_at": "When the trunk was last updated (ISO 8601, UTC).",
}

UPDATABLE_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if not f.create_only)
REPLACING_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.create_only)
SECRET_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.secret)

IDENTITY_FIELDS: tuple[str, ...] = ("phone_number", "sip_username", "sip_address")
"""The API refuses a second trunk with the same values of these (HTTP 409)."""


def recreated_trunks(changed: Iterable[str]) -> frozenset[VoiceTrunk]:
    """The voice trunks that an in-place update of ``changed`` fields re-creates."""
    trunks: set[VoiceTrunk] = set()
    for name in changed:
        field = FIELDS_BY_NAME.get(name)
        if field is not None and not field.create_only:
            trunks |= field.recreates
    return frozenset(trunks)
