"""What the SIP trunk endpoints do, independent of HTTP: validate, provision, persist."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from ._records import TrunkRecord, new_voice_trunk_id, utc_now
from ._reprovisioning import apply_update
from ._store import DuplicateTrunk, TrunkStore
from ._validation import validate_create, validate_update


class TrunkNotFound(Exception):
    pass


class TrunkService:
    def __init__(self, store: TrunkStore) -> None:
        self._store = store
        # Serialises read-validate-write sequences so two updates cannot interleave.
        self._write_lock = threading.Lock()

    def list(self) -> list[TrunkRecord]:
        return self._store.list()

    def get(self, trunk_id: int) -> TrunkRecord:
        trunk = self._store.get(trunk_id)
        if trunk is None:
            raise TrunkNotFound(trunk_id)
        return trunk

    def create(self, body: Mapping[str, object]) -> TrunkRecord:
        """Raises ValidationFailed or DuplicateTrunk."""
        new_trunk = validate_create(body)
        with self._write_lock:
            return self._store.insert(
                new_trunk,
                inbound_trunk_id=new_voice_trunk_id(),
                outbound_trunk_id=new_voice_trunk_id(),
                created_at=utc_now(),
            )

    def update(self, trunk_id: int, body: Mapping[str, object]) -> TrunkRecord:
        """Raises TrunkNotFound, ValidationFailed or DuplicateTrunk."""
        with self._write_lock:
            stored = self.get(trunk_id)
            updated = apply_update(stored, validate_update(body, stored))
            self._store.update(updated)
            return updated

    def delete(self, trunk_id: int) -> None:
        with self._write_lock:
            if not self._store.delete(trunk_id):
                raise TrunkNotFound(trunk_id)

    def delete_all(self) -> None:
        with self._write_lock:
            self._store.delete_all()


__all__ = ["DuplicateTrunk", "TrunkNotFound", "TrunkService"]
