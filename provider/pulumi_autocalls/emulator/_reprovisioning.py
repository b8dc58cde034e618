"""The re-provisioning table of the update endpoint (docs/api-contract.md).

A field whose value actually changes makes the platform re-create the voice trunk(s) listed for
it, which then get new ``ST_`` ids. A field sent with its current value changes nothing;
allowed_inbound_ips is compared as a set. sip_calling_format, country_code and nickname are
stored only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from ._records import TrunkChanges, TrunkRecord, new_voice_trunk_id, next_update_time

RECREATES_INBOUND_TRUNK = frozenset(
    {
        "sip_username",
        "sip_password",
        "phone_number",
        "inbound_authorization_type",
        "allowed_inbound_ips",
    }
)
RECREATES_OUTBOUND_TRUNK = frozenset(
    {"sip_username", "sip_password", "phone_number", "sip_address", "outbound_proxy"}
)


def changed_fields(stored: TrunkRecord, changes: TrunkChanges) -> frozenset[str]:
    """The fields of `changes` whose value differs from the stored one."""
    return frozenset(
        field
        for field, new_value in changes.items()
        if not _same_value(field, getattr(stored, field), new_value)
    )


def apply_update(stored: TrunkRecord, changes: TrunkChanges) -> TrunkRecord:
    """`stored` with `changes` applied, new voice trunk ids where the table says so, and a later
    updated_at (which moves even when nothing changed)."""
    changed = changed_fields(stored, changes)
    effective = changes.copy()
    if "allowed_inbound_ips" not in changed:
        # Same addresses in another order: keep the stored order, it is the same list to the API.
        effective.pop("allowed_inbound_ips", None)
    return replace(
        stored,
        **effective,
        inbound_trunk_id=_next_trunk_id(stored.inbound_trunk_id, changed, RECREATES_INBOUND_TRUNK),
        outbound_trunk_id=_next_trunk_id(
            stored.outbound_trunk_id, changed, RECREATES_OUTBOUND_TRUNK
        ),
        updated_at=next_update_time(stored.updated_at),
    )


def _next_trunk_id(current: str, changed: Collection[str], triggers: frozenset[str]) -> str:
    return new_voice_trunk_id() if triggers.intersection(changed) else current


def _same_value(field: str, old: object, new: object) -> bool:
    if field == "allowed_inbound_ips" and isinstance(old, tuple) and isinstance(new, tuple):
        return set(old) == set(new)
    return old == new
