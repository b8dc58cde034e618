"""Property values on the provider protocol's wire, to and from plain Python values.

The engine sends and takes ``google.protobuf.Struct``s in which some values carry a meaning:

- a **secret** is an object ``{SIGNATURE_KEY: SECRET, "value": v}``;
- an **output value** is an object ``{SIGNATURE_KEY: OUTPUT_VALUE, "value": v, "secret": bool,
  "dependencies": [...]}``; without ``"value"`` it is not known yet;
- a value **not known yet** (preview) is one of seven sentinel strings, one per type.

``decode`` turns a struct into plain values, unknowns as ``pulumi.output.Unknown`` (what the core
tests for), and records which top-level keys held a secret; ``encode`` wraps those keys as
secrets again and writes every unknown as the string sentinel, which the engine reads as unknown
whatever the property's type.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import struct_pb2
from google.protobuf.json_format import MessageToDict
from pulumi.output import Unknown

SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
OUTPUT_VALUE = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        UNKNOWN_STRING,
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)


UNKNOWN: Any = Unknown()  # type: ignore[no-untyped-call]
"""A value not known yet, as the core sees it (``validation.is_unknown``)."""


@dataclass(frozen=True)
class Properties:
    """Decoded properties: plain values, and the top-level keys that held a secret anywhere."""

    values: dict[str, Any]
    secrets: frozenset[str]


def decode(struct: struct_pb2.Struct | None) -> Properties:
    """The plain values of ``struct`` (None or an empty struct: no properties)."""
    if struct is None:
        return Properties({}, frozenset())
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, raw in MessageToDict(struct).items():
        found: list[bool] = []
        values[key] = _plain(raw, found)
        if found:
            secrets.add(key)
    return Properties(values, frozenset(secrets))


def _plain(value: Any, secret_found: list[bool]) -> Any:
    if isinstance(value, str):
        return UNKNOWN if value in UNKNOWN_SENTINELS else value
    if isinstance(value, list):
        return [_plain(item, secret_found) for item in value]
    if not isinstance(value, dict):
        return value
    signature = value.get(SIGNATURE_KEY)
    if signature == SECRET:
        secret_found.append(True)
        return _plain(value.get("value"), secret_found)
    if signature == OUTPUT_VALUE:
        if value.get("secret") is True:
            secret_found.append(True)
        return _plain(value["value"], secret_found) if "value" in value else UNKNOWN
    return {key: _plain(item, secret_found) for key, item in value.items()}


def encode(values: Mapping[str, Any], secrets: Collection[str] = ()) -> struct_pb2.Struct:
    """A struct of ``values``, the keys in ``secrets`` wrapped as secrets."""
    struct = struct_pb2.Struct()
    struct.update(
        {
            key: {SIGNATURE_KEY: SECRET, "value": _wire(value)} if key in secrets else _wire(value)
            for key, value in values.items()
        }
    )
    return struct


def _wire(value: Any) -> Any:
    if isinstance(value, Unknown):
        return UNKNOWN_STRING
    if isinstance(value, list | tuple):
        return [_wire(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _wire(item) for key, item in value.items()}
    return value
