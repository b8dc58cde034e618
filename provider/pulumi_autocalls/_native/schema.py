"""The Pulumi package schema of the native provider, generated from the field table.

Package ``autocalls``: the resource ``autocalls:index:SipTrunk``, the functions
``autocalls:index:getSipTrunk`` and ``autocalls:index:listSipTrunks``, an enum type per choice
field, and the provider's configuration from the core's settings. Every property's type,
description, secrecy and requiredness comes from its row; nothing is restated here.

Choices made for the native face (docs/native-provider.md says why):

- The write-only fields (``sipTrunkType``, ``sipPassword``) are optional in the schema and
  required by ``Check`` when a trunk is created: a trunk brought in by ``pulumi import`` has
  neither (the API never shows them), and its generated code must still check.
- Generated SDKs are named so as not to clash with the dynamic face's Python package
  ``pulumi_autocalls``: Python ``pulumi_autocalls_native``, Node.js ``pulumi-autocalls-native``.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from .._core.config import SETTINGS, Setting
from .._core.fields import Field, Kind, Role
from .._core.invokes import GET_SIP_TRUNK, LIST_SIP_TRUNKS, LISTED
from .._version import __version__
from .naming import INPUTS, NATIVE_PROPERTIES

PACKAGE = "autocalls"
SIP_TRUNK = f"{PACKAGE}:index:SipTrunk"
SIP_TRUNK_SUMMARY = f"{PACKAGE}:index:SipTrunkSummary"

PYTHON_PACKAGE = "pulumi_autocalls_native"
NODEJS_PACKAGE = "pulumi-autocalls-native"
GO_IMPORT_BASE_PATH = "github.com/pulumi-autocalls/pulumi-autocalls-native/sdk/go/autocalls"

LOOKUP_FIELDS: tuple[Field, ...] = tuple(
    p for p in NATIVE_PROPERTIES if p.role in (Role.FIELD, Role.COMPUTED) and not p.write_only
)
"""What the lookups return of a trunk (besides its id): everything the API shows."""
LISTED_FIELDS: tuple[Field, ...] = tuple(
    p for p in LOOKUP_FIELDS if p.kind is not Kind.VOICE_TRUNK_ID
)
"""What the list of trunks holds: the API's list has no voice trunk ids."""
LIST_FILTERS: tuple[str, ...] = ("nickname", "phone_number")
"""The fields ``listSipTrunks`` filters by (exact values)."""

_WRITE_ONLY_NOTE = (
    " Required to create a trunk. A trunk brought in with `pulumi import` may leave it out: it "
    "then keeps its current value."
)
_ID = {"type": "string", "description": "The SIP trunk's id."}


def type_name(field: Field) -> str:
    """The enum type of a choice field: ``sip_trunk_type`` -> ``autocalls:index:SipTrunkType``."""
    return f"{PACKAGE}:index:" + "".join(part.title() for part in field.name.split("_"))


def _member_name(value: str) -> str:
    """An enum member's name in the SDKs: ``+e164`` -> ``PlusE164``, ``auth`` -> ``Auth``."""
    words = re.findall(r"[A-Za-z0-9]+", value.replace("+", " plus "))
    return "".join(word[:1].upper() + word[1:] for word in words)


def _enum_type(field: Field) -> dict[str, Any]:
    return {
        "type": "string",
        "description": field.doc,
        "enum": [{"name": _member_name(value), "value": value} for value in field.choices],
    }


def _property(field: Field, *, as_input: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = (
        {"$ref": f"#/types/{type_name(field)}"} if field.choices else dict(field.schema_type)
    )
    spec["description"] = field.doc + (_WRITE_ONLY_NOTE if field.write_only else "")
    if field.secret:
        spec["secret"] = True
    if field.create_only:
        spec["replaceOnChanges"] = True
    if as_input and field.default is not None:
        spec["default"] = field.default
    return spec


def _always_present(field: Field) -> bool:
    """Whether an output always has a value: what the API computes, and the fields it always
    returns (required ones, and those with a default)."""
    if field.role is Role.COMPUTED:
        return True
    readable = field.role is Role.FIELD and not field.write_only
    return readable and (field.required or field.default is not None)


def _setting(setting: Setting) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": setting.schema_type,
        "description": f"{setting.doc} Else the {setting.env_var} environment variable.",
    }
    if setting.secret:
        spec["secret"] = True
    return spec


def _object(fields: tuple[Field, ...], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {"id": _ID, **{f.schema_name: _property(f) for f in fields}},
        "required": ["id", *(f.schema_name for f in fields if _always_present(f))],
    }


@functools.cache
def package_schema() -> dict[str, Any]:
    """The package schema as a JSON-ready dict."""
    settings = {setting.name: _setting(setting) for setting in SETTINGS}
    choices = [field for field in NATIVE_PROPERTIES if field.choices]
    return {
        "name": PACKAGE,
        "displayName": "autocalls.ai",
        "version": __version__,
        "description": "Manage autocalls.ai SIP trunks: a native Pulumi provider.",
        "keywords": ["pulumi", "autocalls", "sip", "kind/native"],
        "license": "Apache-2.0",
        "publisher": "pulumi-autocalls",
        # Packable SDKs: each one a package of its own (go.mod, pyproject.toml), at this version.
        "meta": {"supportPack": True},
        "config": {"variables": settings},
        "provider": {
            "description": "The autocalls provider: where the API is and how to reach it.",
            "inputProperties": settings,
        },
        "types": {
            **{type_name(field): _enum_type(field) for field in choices},
            SIP_TRUNK_SUMMARY: _object(
                LISTED_FIELDS, "A SIP trunk as the list of trunks shows it (no voice trunk ids)."
            ),
        },
        "resources": {
            SIP_TRUNK: {
                "description": (
                    "An autocalls.ai SIP trunk: connects a phone number to a carrier or PBX. "
                    "Some changes re-create its inbound or outbound voice trunk (new ids); "
                    "a preview warns which."
                ),
                "inputProperties": {f.schema_name: _property(f, as_input=True) for f in INPUTS},
                "requiredInputs": [
                    f.schema_name for f in INPUTS if f.required and not f.write_only
                ],
                "properties": {f.schema_name: _property(f) for f in NATIVE_PROPERTIES},
                "required": [f.schema_name for f in NATIVE_PROPERTIES if _always_present(f)],
            }
        },
        "functions": {
            GET_SIP_TRUNK: {
                "description": "Read one SIP trunk by id, with its voice trunk ids.",
                "inputs": {
                    "properties": {"id": _ID},
                    "required": ["id"],
                },
                "outputs": _object(LOOKUP_FIELDS, "The SIP trunk as the API shows it."),
            },
            LIST_SIP_TRUNKS: {
                "description": (
                    "List the account's SIP trunks, keeping those whose nickname and phone "
                    "number match exactly (when given)."
                ),
                "inputs": {
                    "properties": {
                        f.schema_name: _property(f) for f in LISTED_FIELDS if f.name in LIST_FILTERS
                    },
                },
                "outputs": {
                    "properties": {
                        LISTED: {
                            "type": "array",
                            "items": {"$ref": f"#/types/{SIP_TRUNK_SUMMARY}"},
                            "description": "The matching trunks.",
                        }
                    },
                    "required": [LISTED],
                },
            },
        },
        "language": {
            "python": {
                "packageName": PYTHON_PACKAGE,
                "respectSchemaVersion": True,
                "pyproject": {"enabled": True},
            },
            "nodejs": {"packageName": NODEJS_PACKAGE, "respectSchemaVersion": True},
            "go": {"importBasePath": GO_IMPORT_BASE_PATH, "respectSchemaVersion": True},
            "csharp": {"rootNamespace": "Autocalls", "respectSchemaVersion": True},
        },
    }


@functools.cache
def schema_json() -> str:
    """The package schema as GetSchema answers it."""
    return json.dumps(package_schema(), indent=2)
