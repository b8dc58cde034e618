"""The field table: every property of a SIP trunk, its rule, and what a change to it costs.

This is the single source of truth for the properties of the ``SipTrunk`` resource: the inputs
the API takes, ``adopt_id`` (an input of ours), the outputs the API computes, and
``api_base_url`` (an output of ours). Validation (``validation``), diff and update
(``changes``), the API operations (``trunks``), the response models (``models``), the resource
class and its arguments (``_dynamic/resource.py``), the README's tables and the tests all read it.
The generated parts of ``models`` and ``resource`` are rendered from it by
``python -m pulumi_autocalls._codegen``, and a test fails when they drift.

Each row also carries what a Pulumi package schema needs of a property (its camelCase
``schema_name``, ``schema_type``, enum ``choices``, ``secret``, ``required``, ``doc``, and
``create_only`` for ``replaceOnChanges``), so that a native provider's schema can be generated
from the same rows (see docs/architecture.md).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class VoiceTrunk(str, enum.Enum):
    """One of the two voice-infrastructure trunks behind every SIP trunk."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @property
    def label(self) -> str:
        return f"{self.value} trunk"

    @property
    def id_output(self) -> str:
        """The computed output that holds this voice trunk's id."""
        return f"{self.value}_trunk_id"


class Role(str, enum.Enum):
    """Where a property's value comes from and where it goes."""

    FIELD = "field"
    """An input the program sets and the API stores (sent in create and update bodies)."""
    ADOPTION = "adoption"
    """An input of ours that the API never sees (``adopt_id``)."""
    COMPUTED = "computed"
    """An output the API computes and returns; the program cannot set it."""
    RECORDED = "recorded"
    """An output the provider records itself; the API never sees or returns it."""


class Kind(str, enum.Enum):
    """How a property's value is shaped and checked."""

    TEXT = "text"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    PHONE_NUMBER = "phone number"
    HOST = "host"
    IP_LIST = "IP address list"
    COUNTRY = "country"
    TRUNK_ID = "trunk id"
    TIMESTAMP = "timestamp"
    VOICE_TRUNK_ID = "voice trunk id"
    URL = "URL"


_BOTH = frozenset({VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND})
_INBOUND = frozenset({VoiceTrunk.INBOUND})
_OUTBOUND = frozenset({VoiceTrunk.OUTBOUND})
_NONE: frozenset[VoiceTrunk] = frozenset()


@dataclass(frozen=True)
class Field:
    """The rules of one SIP trunk property."""

    name: str
    kind: Kind
    doc: str
    role: Role = Role.FIELD
    required: bool = False
    recreates: frozenset[VoiceTrunk] = _NONE
    """The voice trunks that the platform deletes and re-creates when this field changes."""
    identity: bool = False
    """Part of the trunk's identity: the API refuses a second trunk with the same values (409)."""
    create_only: bool = False
    """The API cannot change it: a change replaces the whole SIP trunk."""
    write_only: bool = False
    """The API accepts it but never returns it."""
    secret: bool = False
    unordered: bool = False
    """A list compared as a set: reordering it is no change."""
    cleared_by_null: bool = False
    """Removing it from the program is sent to the API as ``null``."""
    renewed_by_every_update: bool = False
    """A computed output that every update changes (never stable across an update)."""
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    default: bool | None = None

    def same(self, left: object, right: object) -> bool:
        """Whether two values of this property name the same thing: exactly equal, except host
        names, which compare case-insensitively as DNS does. The one equality rule of lookups."""
        if self.kind is Kind.HOST and isinstance(left, str) and isinstance(right, str):
            return left.lower() == right.lower()
        return left == right

    @property
    def schema_name(self) -> str:
        """The property's name in a Pulumi package schema: camelCase (``sipTrunkType``)."""
        first, *rest = self.name.split("_")
        return first + "".join(part.title() for part in rest)

    @property
    def schema_type(self) -> dict[str, Any]:
        """The property's type as a Pulumi package schema writes it."""
        if self.kind is Kind.BOOLEAN:
            return {"type": "boolean"}
        if self.kind is Kind.IP_LIST:
            return {"type": "array", "items": {"type": "string"}}
        return {"type": "string"}

    @property
    def rule(self) -> str:
        """The property's constraint in words, as the docs and error messages give it."""
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
    Kind.TRUNK_ID: "a trunk id",
    Kind.TIMESTAMP: "an ISO 8601 time",
    Kind.VOICE_TRUNK_ID: "a voice trunk id",
    Kind.URL: "a URL",
}

PROPERTIES: tuple[Field, ...] = (
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
        identity=True,
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
        identity=True,
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
        identity=True,
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
    Field(
        "adopt_id",
        Kind.TRUNK_ID,
        "Ours, not the API's: the id of an existing trunk to take over instead of creating one. "
        "Its fields are then brought to the declared values; the password is assumed to match. "
        "Only the first up reads it: removing it afterwards changes nothing.",
        role=Role.ADOPTION,
    ),
    Field(
        "inbound_trunk_id",
        Kind.VOICE_TRUNK_ID,
        "The inbound voice trunk's id; it changes when the inbound trunk is re-created.",
        role=Role.COMPUTED,
    ),
    Field(
        "outbound_trunk_id",
        Kind.VOICE_TRUNK_ID,
        "The outbound voice trunk's id; it changes when the outbound trunk is re-created.",
        role=Role.COMPUTED,
    ),
    Field(
        "created_at",
        Kind.TIMESTAMP,
        "When the trunk was created (ISO 8601, UTC).",
        role=Role.COMPUTED,
    ),
    Field(
        "updated_at",
        Kind.TIMESTAMP,
        "When the trunk was last updated (ISO 8601, UTC).",
        role=Role.COMPUTED,
        renewed_by_every_update=True,
    ),
    Field(
        "api_base_url",
        Kind.URL,
        "The base URL of the API that holds the trunk, recorded whenever the provider writes or "
        "reads the trunk; the provider refuses to act on the trunk through another. Unset in "
        "states written by earlier versions.",
        role=Role.RECORDED,
    ),
)

PROPERTIES_BY_NAME: dict[str, Field] = {prop.name: prop for prop in PROPERTIES}

FIELDS: tuple[Field, ...] = tuple(p for p in PROPERTIES if p.role is Role.FIELD)
"""The inputs that the API stores: what create and update bodies are made of."""
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}

INPUTS: tuple[Field, ...] = tuple(p for p in PROPERTIES if p.role in (Role.FIELD, Role.ADOPTION))
INPUT_NAMES: tuple[str, ...] = tuple(p.name for p in INPUTS)
COMPUTED: tuple[Field, ...] = tuple(p for p in PROPERTIES if p.role is Role.COMPUTED)
COMPUTED_NAMES: tuple[str, ...] = tuple(p.name for p in COMPUTED)
OUTPUTS: tuple[Field, ...] = tuple(p for p in PROPERTIES if p not in INPUTS)
"""The outputs that are not inputs: the API's computed ones and the provider's recorded ones."""
OUTPUT_NAMES: tuple[str, ...] = tuple(p.name for p in OUTPUTS)

ADOPT_ID = next(p.name for p in PROPERTIES if p.role is Role.ADOPTION)
"""The input that names an existing trunk to take over."""
API_BASE_URL = next(p.name for p in PROPERTIES if p.role is Role.RECORDED)
"""The output that records which API holds the trunk."""

SECRET_FIELDS: tuple[str, ...] = tuple(p.name for p in PROPERTIES if p.secret)
READABLE_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.write_only)
"""The fields that the API returns, in table order."""
WRITE_ONLY_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.write_only)

IDENTITY_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.identity)


def recreated_trunks(changed: Iterable[str]) -> frozenset[VoiceTrunk]:
    """The voice trunks that an in-place update of ``changed`` fields re-creates."""
    trunks: set[VoiceTrunk] = set()
    for name in changed:
        field = FIELDS_BY_NAME.get(name)
        if field is not None and not field.create_only:
            trunks |= field.recreates
    return frozenset(trunks)
