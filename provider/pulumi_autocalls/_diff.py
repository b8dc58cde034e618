"""What changes between a trunk's old outputs and its new inputs, and what that costs.

``compare`` reads the field table to decide, field by field, whether a value changed (lists that
are unordered compare as sets, "absent" equals ``null``, a value unknown in preview counts as
changed), whether the change replaces the trunk, and which voice trunks an update re-creates.
``update_body`` turns the same comparison into the partial body of the update request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import DiffResult

from ._fields import FIELDS, FIELDS_BY_NAME, IDENTITY_FIELDS, Field, VoiceTrunk, recreated_trunks
from ._inputs import is_unknown


@dataclass(frozen=True)
class TrunkChanges:
    """The fields that differ, in field-table order, and their consequences."""

    changed: tuple[str, ...]
    replaced_by: tuple[str, ...]
    recreates: frozenset[VoiceTrunk]
    collides: bool
    """A replacement trunk would have the same identity as the old one (the API answers 409)."""

    def recreated_by(self, trunk: VoiceTrunk) -> list[str]:
        """The changed fields that re-create ``trunk``, unless the whole trunk is replaced."""
        if self.replaced_by:
            return []
        return [name for name in self.changed if trunk in _FIELD_RECREATES[name]]


_FIELD_RECREATES = {field.name: field.recreates for field in FIELDS}


def _value_changed(field: Field, old: Any, new: Any) -> bool:
    if is_unknown(new):
        return True
    if field.unordered and isinstance(old, list) and isinstance(new, list):
        return set(old) != set(new)
    return bool(old != new)


def compare(olds: Mapping[str, Any], news: Mapping[str, Any]) -> TrunkChanges:
    """Compare the old outputs (``olds``) with the checked new inputs (``news``)."""
    changed = tuple(
        field.name
        for field in FIELDS
        if _value_changed(field, olds.get(field.name), news.get(field.name))
    )
    replaced_by = tuple(name for name in changed if FIELDS_BY_NAME[name].create_only)
    collides = all(
        not is_unknown(news.get(name)) and olds.get(name) == news.get(name)
        for name in IDENTITY_FIELDS
    )
    return TrunkChanges(changed, replaced_by, recreated_trunks(changed), collides)


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


class SipTrunkDiff(DiffResult):
    """A ``DiffResult`` that also says which fields changed and which voice trunks they re-create.

    The dynamic-provider server forwards only ``changes``, ``replaces`` and
    ``delete_before_replace`` to the engine; the marks reach a person through the notice line the
    provider writes (see ``recreation_notice``).
    """

    changed_fields: list[str]
    recreates_inbound: list[str]
    recreates_outbound: list[str]

    def __init__(self, changes: TrunkChanges, olds: Mapping[str, Any]) -> None:
        replacing = bool(changes.replaced_by)
        recreated = set(changes.recreates) if not replacing else set()
        stables = [name for name in FIELDS_BY_NAME if name not in changes.changed]
        if not replacing:
            stables.append("created_at")
            stables.extend(
                f"{trunk.value}_trunk_id" for trunk in VoiceTrunk if trunk not in recreated
            )
        super().__init__(
            changes=bool(changes.changed),
            replaces=list(changes.replaced_by) if replacing else None,
            stables=stables,
            delete_before_replace=changes.collides if replacing else None,
        )
        self.changed_fields = list(changes.changed)
        self.recreates_inbound = changes.recreated_by(VoiceTrunk.INBOUND)
        self.recreates_outbound = changes.recreated_by(VoiceTrunk.OUTBOUND)
        # Only the current voice trunk ids, for the notice: not a copy of olds, which hold the
        # password in plain text.
        self._current_ids = {trunk: olds.get(f"{trunk.value}_trunk_id") for trunk in VoiceTrunk}

    def recreation_notice(self, trunk_id: str) -> str | None:
        """One line for the person running the preview, or None if no voice trunk is re-created."""
        parts = []
        for trunk, fields in (
            (VoiceTrunk.INBOUND, self.recreates_inbound),
            (VoiceTrunk.OUTBOUND, self.recreates_outbound),
        ):
            if fields:
                current = self._current_ids[trunk]
                suffix = f" {current}" if isinstance(current, str) and current else ""
                parts.append(f"the {trunk.label}{suffix}")
        if not parts:
            return None
        fields = [
            name
            for name in self.changed_fields
            if name in self.recreates_inbound or name in self.recreates_outbound
        ]
        return (
            f"autocalls: SIP trunk {trunk_id}: this update re-creates {' and '.join(parts)} "
            f"(changed: {', '.join(fields)})"
        )
