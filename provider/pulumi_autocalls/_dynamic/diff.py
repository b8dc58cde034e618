"""``SipTrunkDiff``: the dynamic face's answer to a diff, with the notice a preview shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import DiffResult

from .._core.changes import TrunkChanges, recreation_notice
from .._core.fields import COMPUTED, FIELDS_BY_NAME, VoiceTrunk


class SipTrunkDiff(DiffResult):
    """A ``DiffResult`` that also says which fields changed and which voice trunks they re-create.

    The dynamic-provider server forwards only ``changes``, ``replaces`` and
    ``delete_before_replace`` to the engine; the marks reach a person through the notice line the
    provider writes (see ``recreation_notice``).
    """

    changed_fields: list[str]
    adopted_fields: list[str]
    recreates_inbound: list[str]
    recreates_outbound: list[str]

    def __init__(self, changes: TrunkChanges, olds: Mapping[str, Any]) -> None:
        replacing = bool(changes.replaced_by)
        recreated = set(changes.recreates) if not replacing else set()
        recreated_ids = {trunk.id_output for trunk in recreated}
        stables = [name for name in FIELDS_BY_NAME if name not in changes.changed]
        if not replacing:
            stables.extend(
                output.name
                for output in COMPUTED
                if not output.renewed_by_every_update and output.name not in recreated_ids
            )
        super().__init__(
            changes=bool(changes.changed or changes.adopted),
            replaces=list(changes.replaced_by) if replacing else None,
            stables=stables,
            delete_before_replace=changes.collides if replacing else None,
        )
        self.changed_fields = list(changes.changed)
        self.adopted_fields = list(changes.adopted)
        self.recreates_inbound = changes.recreated_by(VoiceTrunk.INBOUND)
        self.recreates_outbound = changes.recreated_by(VoiceTrunk.OUTBOUND)
        # Only the current voice trunk ids, for the notice: not a copy of olds, which hold the
        # password in plain text.
        self._current_ids = {trunk: olds.get(trunk.id_output) for trunk in VoiceTrunk}
        self._changes = changes

    def recreation_notice(self, trunk_id: str) -> str | None:
        """One line for the person running the preview, or None if no voice trunk is re-created."""
        notice = recreation_notice(self._changes, trunk_id, self._current_ids)
        return None if notice is None else f"autocalls: {notice}"

    def adoption_notice(self, trunk_id: str) -> str | None:
        """One line when the update records write-only fields it does not send, else None."""
        if not self.adopted_fields:
            return None
        fields = " and ".join(self.adopted_fields)
        return (
            f"autocalls: SIP trunk {trunk_id}: the stack records {fields} as the program "
            "declares them, without sending them (the API never shows them; the trunk was "
            "imported)"
        )
