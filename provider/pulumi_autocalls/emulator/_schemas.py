"""Response models and request body schemas of the /api routes, for the OpenAPI document.

The routes build their JSON by hand (to match the documented bodies byte for byte); these
models only describe it, so that schema-driven testing can check every response against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from ._formats import country_codes

TrunkType = Literal["extension", "number"]
CallingFormat = Literal["+e164", "e164", "national"]
AuthorizationType = Literal["auth", "ip"]


class TrunkSummary(BaseModel):
    """A SIP trunk as the list endpoint shows it."""

    id: int
    phone_number: str
    nickname: str | None
    sip_username: str
    sip_address: str
    sip_calling_format: CallingFormat
    inbound_authorization_type: AuthorizationType
    allowed_inbound_ips: list[str] | None
    outbound_proxy: bool
    country_code: str
    created_at: str
    updated_at: str


class TrunkDetail(TrunkSummary):
    """A SIP trunk as get, create and update show it: with its voice trunk ids."""

    inbound_trunk_id: str
    outbound_trunk_id: str


class TrunkListBody(BaseModel):
    data: list[TrunkSummary]


class TrunkBody(BaseModel):
    data: TrunkDetail


class TrunkWrittenBody(BaseModel):
    message: str
    data: TrunkDetail


class MessageBody(BaseModel):
    message: str


class ErrorBody(BaseModel):
    error: str


class ValidationErrorBody(BaseModel):
    message: str
    errors: dict[str, list[str]]


class ThrottledBody(BaseModel):
    message: str
    retry_after: int | None = None


class UserBody(BaseModel):
    name: str
    email: str
    total_balance: float


def _response(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"model": model, "description": description}


UNAUTHENTICATED = _response(MessageBody, "Missing or invalid API key")
THROTTLED = _response(ThrottledBody, "Too many requests (injected fault)")
TRUNK_NOT_FOUND = _response(ErrorBody, "No SIP trunk with this id")
PHONE_NUMBER_NOT_FOUND = _response(ErrorBody, "No phone number with this id")
DUPLICATE_TRUNK = _response(ErrorBody, "Same phone_number, sip_username and sip_address")
INVALID_DATA = _response(ValidationErrorBody, "Validation failed")
PROVISIONING_FAILED = _response(ErrorBody, "Provisioning failed (injected fault)")
SERVER_ERROR = _response(MessageBody, "Server error (injected fault)")

# Request body schemas. They must accept everything the emulator accepts (schema-driven
# negative tests send schema-invalid data and expect a 4xx), and are as tight as JSON Schema
# allows beyond that; what it cannot express (libphonenumber's "possible number", the ISO
# country list, rules that depend on the stored trunk) is left to the emulator's 422.
HOST_NAME_PATTERN = (
    r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


def _any_case_alternatives(words: list[str]) -> str:
    """A pattern matching exactly `words`, in any letter case (JSON Schema has no flags)."""
    alternatives = ("".join(f"[{c.upper()}{c.lower()}]" for c in word) for word in words)
    return f"^(?:{'|'.join(alternatives)})$"


_IP_ADDRESS = {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}
_COMMON_PROPERTIES: dict[str, dict[str, Any]] = {
    "nickname": {"type": ["string", "null"], "maxLength": 50},
    "sip_username": {"type": "string", "minLength": 3, "maxLength": 128},
    "sip_password": {"type": "string", "minLength": 3, "writeOnly": True},
    "sip_address": {
        "type": "string",
        "maxLength": 253,
        "anyOf": [{"pattern": HOST_NAME_PATTERN}, {"format": "ipv6"}],
        "description": "A host name or IP address, without scheme, port or path",
    },
    "sip_calling_format": {"type": "string", "enum": ["+e164", "e164", "national"]},
    "inbound_authorization_type": {"type": "string", "enum": ["auth", "ip"]},
    "allowed_inbound_ips": {
        "description": 'Required (a non-empty array of IPs) with type "ip"; ignored with "auth"'
    },
    "outbound_proxy": {"type": "boolean"},
    "country_code": {
        "type": "string",
        "pattern": _any_case_alternatives(country_codes()),
        "description": "ISO 3166-1 alpha-2, any case",
    },
}
_PHONE_NUMBER = {
    "type": "string",
    "minLength": 1,
    "maxLength": 16,
    "description": "1-15 characters for an extension; E.164 for a number (DID)",
}
_WITH_IP_AUTH_THE_LIST_IS_REQUIRED = {
    "if": {
        "properties": {"inbound_authorization_type": {"const": "ip"}},
        "required": ["inbound_authorization_type"],
    },
    "then": {
        "properties": {
            "allowed_inbound_ips": {"type": "array", "minItems": 1, "items": _IP_ADDRESS}
        },
        "required": ["allowed_inbound_ips"],
    },
}
_A_NUMBER_IS_E164 = {
    "if": {
        "properties": {"sip_trunk_type": {"const": "number"}},
        "required": ["sip_trunk_type"],
    },
    "then": {"properties": {"phone_number": {"pattern": "^\\+[1-9][0-9]{0,14}$"}}},
    "else": {"properties": {"phone_number": {"maxLength": 15}}},
}


def _json_body(schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {"requestBody": {"required": required, "content": content}}


CREATE_REQUEST = _json_body(
    {
        "type": "object",
        "properties": {
            "sip_trunk_type": {"type": "string", "enum": ["extension", "number"]},
            "phone_number": _PHONE_NUMBER,
            **_COMMON_PROPERTIES,
        },
        "required": [
            "sip_trunk_type",
            "phone_number",
            "sip_username",
            "sip_password",
            "sip_address",
            "sip_calling_format",
            "inbound_authorization_type",
            "country_code",
        ],
        "allOf": [_WITH_IP_AUTH_THE_LIST_IS_REQUIRED, _A_NUMBER_IS_E164],
    },
    required=True,
)
# Every field is optional, and an empty body is a valid no-op update. Rules that depend on the
# stored trunk (E.164 for a number trunk) are not expressed.
UPDATE_REQUEST = _json_body(
    {
        "type": "object",
        "properties": {"phone_number": _PHONE_NUMBER, **_COMMON_PROPERTIES},
        "allOf": [_WITH_IP_AUTH_THE_LIST_IS_REQUIRED],
    },
    required=False,
)


def id_parameter(name: str, description: str) -> dict[str, Any]:
    """A path parameter declared as the integer it is (the route itself accepts any text and
    answers 404 for non-integers)."""
    return {
        "parameters": [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": {"type": "integer"},
            }
        ]
    }
