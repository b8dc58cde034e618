"""What changes between a trunk's old outputs and its new inputs, and what that costs.

``compare`` reads the field table to decide, field by field, whether a value changed (lists that
are unordered compare as sets, "absent" equals ``null``, a value unknown in preview counts as
changed), whether the change replaces the trunk, and which voice trunks an update re-creates.

A write-only field that the old state lacks altogether (a trunk imported with ``pulumi import``:
the API never shows it) is *adopted*: the program's value is taken as the trunk's current one, to
be recorded in the state without being sent (sending the password would re-create both voice
trunks; a changed trunk type would replace the trunk). The other way round, a write-only field
that the new inputs leave out (possible only for a trunk that exists, see
``validation.check_inputs``) keeps its value: nothing can be compared and nothing is sent.
``update_body`` turns the same comparison into the partial body of the update request, and
``recreation_notice`` into the sentence that warns of the voice trunks an update re-creates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .fields import (
    ADOPT_ID,
    FIELDS,
    FIELDS_BY_NAME,
    IDENTITY_FIELDS,
    Field,
    VoiceTrunk,
    recreated_trunks,
)
from .validation import Failure, is_unknown


@dataclass(frozen=True)
class TrunkChanges:
    """The fields that differ, in field-table order, and their consequences."""

    changed: tuple[str, ...]
    replaced_by: tuple[str, ...]
    recreates: frozenset[VoiceTrunk]
    collides: bool
    """A replacement trunk would have the same identity as the old one (the API answers 409)."""
    adopted: tuple[str, ...] = ()
    """Write-only fields the old state lacks: recorded as the program declares them, not sent."""

    def recreated_by(self, trunk: VoiceTrunk) -> list[str]:
        """The changed fields that re-create ``trunk``, unless the whole trunk is replaced."""
        if self.replaced_by:
            return []
        return [name for name in self.changed if trunk in FIELDS_BY_NAME[name].recreates]


def _value_changed(field: Field, old: Any, new: Any) -> bool:
    if is_unknown(new):
        return True
    if field.unordered and isinstance(old, list) and isinstance(new, list):
        return set(old) != set(new)
    return bool(old != new)


def compare(olds: Mapping[str, Any], news: Mapping[str, Any]) -> TrunkChanges:
    """Compare the old outputs (``olds``) with the checked new inputs (``news``)."""
    adopted = tuple(
        field.name
        for field in FIELDS
        if field.write_only and field.name not in olds and news.get(field.name) is not None
    )
    changed = tuple(
        field.name
        for field in FIELDS
        if field.name not in adopted
        and not (field.write_only and news.get(field.name) is None)
        and _value_changed(field, olds.get(field.name), news.get(field.name))
    )
    replaced_by = tuple(name for name in changed if FIELDS_BY_NAME[name].create_only)
    collides = all(
        not is_unknown(news.get(name)) and olds.get(name) == news.get(name)
        for name in IDENTITY_FIELDS
    )
    return TrunkChanges(changed, replaced_by, recreated_trunks(changed), collides, adopted)


def readoption(old_inputs: Mapping[str, Any], news: Mapping[str, Any]) -> Failure | None:
    """A replacement of an adopted trunk while the program still sets the same ``adopt_id``: the
    new trunk would take over the very trunk it replaces, which would then be deleted. Refused, for
    ``check``, with what to do instead."""
    adopt_id = news.get(ADOPT_ID)
    if not adopt_id or old_inputs.get(ADOPT_ID) != adopt_id:
        return None
    replacing = [
        field.name
        for field in FIELDS
        if field.create_only
        and field.name in old_inputs
        and not is_unknown(news.get(field.name))
        and _value_changed(field, old_inputs[field.name], news.get(field.name))
    ]
    if not replacing:
        return None
    return Failure(
        ADOPT_ID,
        f"changing {', '.join(replacing)} replaces the trunk, and with {ADOPT_ID} still set the "
        f"replacement would take over SIP trunk {adopt_id} itself, which would then be deleted: "
        f"remove {ADOPT_ID} first (only the first up reads it)",
    )


def update_body(changes: TrunkChanges, news: Mapping[str, Any]) -> dict[str, Any]:
    """The partial update request: exactly the changed fields, as the API expects them.

    A removed nickname is sent as ``null``. A switch to "auth" sends no list: the API clears it.
    """
    body: dict[str, Any] = {}
    for name in changes.changed:
        field = FIELDS_BY_NAME[name]
        if field.create_only:
            continue
        value = news.get(name)
        if value is None and not field.cleared_by_null:
            continue
        body[name] = value
    return body


def recreation_notice(
    changes: TrunkChanges,
    trunk_id: str,
    current_ids: Mapping[VoiceTrunk, Any],
    named: Callable[[str], str] = str,
) -> str | None:
    """The sentence that tells the person running a preview which voice trunks the update
    re-creates (with their current ids) and which changed fields do it, or None if it re-creates
    none. ``named`` gives each field the name its face shows."""
    parts = []
    recreating: set[str] = set()
    for trunk in (VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND):
        fields = changes.recreated_by(trunk)
        if fields:
            current = current_ids.get(trunk)
            suffix = f" {current}" if isinstance(current, str) and current else ""
            parts.append(f"the {trunk.label}{suffix}")
            recreating.update(fields)
    if not parts:
        return None
    shown = ", ".join(named(name) for name in changes.changed if name in recreating)
    return f"SIP trunk {trunk_id}: this update re-creates {' and '.join(parts)} (changed: {shown})"
