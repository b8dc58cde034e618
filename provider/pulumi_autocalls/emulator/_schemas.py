"""Response models and request body schemas of the /api routes, for the OpenAPI document.

The routes build their JSON by hand (to match the documented bodies byte for byte); these
models only describe it, so that schema-driven testing can check every response against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

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

_NULLABLE_STRING = {"type": ["string", "null"]}
_IP_LIST = {"type": ["array", "null"], "items": {"type": "string"}}
_TRUNK_PROPERTIES: dict[str, dict[str, Any]] = {
    "phone_number": {
        "type": "string",
        "minLength": 1,
        "maxLength": 16,
        "description": "1-15 characters for an extension; E.164 for a number (DID)",
    },
    "nickname": {**_NULLABLE_STRING, "maxLength": 50},
    "sip_username": {"type": "string", "minLength": 3, "maxLength": 128},
    "sip_password": {"type": "string", "minLength": 3, "writeOnly": True},
    "sip_address": {"type": "string", "minLength": 1, "description": "host name, no port"},
    "sip_calling_format": {"type": "string", "enum": ["+e164", "e164", "national"]},
    "inbound_authorization_type": {"type": "string", "enum": ["auth", "ip"]},
    "allowed_inbound_ips": {**_IP_LIST, "description": "required (non-empty) with type ip"},
    "outbound_proxy": {"type": "boolean"},
    "country_code": {"type": "string", "minLength": 2, "maxLength": 2},
}


def _json_body(schema: dict[str, Any], *, required: bool) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {"requestBody": {"required": required, "content": content}}


CREATE_REQUEST = _json_body(
    {
        "type": "object",
        "properties": {
            "sip_trunk_type": {"type": "string", "enum": ["extension", "number"]},
            **_TRUNK_PROPERTIES,
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
    },
    required=True,
)
# An empty update body is a valid no-op update.
UPDATE_REQUEST = _json_body({"type": "object", "properties": _TRUNK_PROPERTIES}, required=False)


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
