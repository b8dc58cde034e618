"""The native face's property names: the schema's camelCase names, translated from the table.

The core speaks the field table's snake_case names (``sip_password``); the package schema and
the wire speak each row's ``schema_name`` (``sipPassword``). Translation happens here and only
here, in both directions, for values and for the sentences that name properties.

The native face has every row of the table except ``adopt_id``: ``pulumi import`` (or the
``import`` resource option) takes an existing trunk over instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._core.fields import PROPERTIES, Field, Role

NATIVE_PROPERTIES: tuple[Field, ...] = tuple(p for p in PROPERTIES if p.role is not Role.ADOPTION)
INPUTS: tuple[Field, ...] = tuple(p for p in NATIVE_PROPERTIES if p.role is Role.FIELD)
INPUT_SCHEMA_NAMES: tuple[str, ...] = tuple(p.schema_name for p in INPUTS)

SCHEMA_NAMES: dict[str, str] = {p.name: p.schema_name for p in NATIVE_PROPERTIES}
FIELD_NAMES: dict[str, str] = {p.schema_name: p.name for p in NATIVE_PROPERTIES}

_FIELD_NAME = re.compile(r"\b(" + "|".join(map(re.escape, SCHEMA_NAMES)) + r")\b")
_QUOTED_VALUE = " (got "


def schema_name(field_name: str) -> str:
    """The schema's name of a field (``sip_password`` -> ``sipPassword``)."""
    return SCHEMA_NAMES.get(field_name, field_name)


def to_schema(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` keyed by the schema's names; keys that are no native property are dropped."""
    return {SCHEMA_NAMES[key]: value for key, value in values.items() if key in SCHEMA_NAMES}


def from_schema(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``values`` keyed by the table's names, and the keys that name no property of the schema
    (the engine's own ``__``-keys are left out of both)."""
    known: dict[str, Any] = {}
    strangers: list[str] = []
    for key, value in values.items():
        if key in FIELD_NAMES:
            known[FIELD_NAMES[key]] = value
        elif not key.startswith("__"):
            strangers.append(key)
    return known, strangers


def in_schema_words(sentence: str) -> str:
    """``sentence`` with every field name it mentions written as the schema's name. A value it
    quotes at the end (``(got '...')``) is left as it is."""
    head, marker, quoted = sentence.partition(_QUOTED_VALUE)
    return _FIELD_NAME.sub(lambda match: SCHEMA_NAMES[match.group(1)], head) + marker + quoted
