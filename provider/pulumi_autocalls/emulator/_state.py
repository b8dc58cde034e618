"""Everything one emulator instance holds, shared by the API routes, the control routes and the
traffic middleware."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ._faults import FaultBook
from ._journal import Journal
from ._settings import RuntimeSettings
from ._store import TrunkStore
from ._trunks import TrunkService


@dataclass(frozen=True)
class EmulatorState:
    store: TrunkStore
    trunks: TrunkService
    journal: Journal
    faults: FaultBook
    settings: RuntimeSettings

    @classmethod
    def open(cls, api_keys: Iterable[str], db_path: str, latency_ms: float) -> EmulatorState:
        store = TrunkStore(db_path)
        return cls(
            store=store,
            trunks=TrunkService(store),
            journal=Journal(),
            faults=FaultBook(),
            settings=RuntimeSettings(api_keys, latency_ms),
        )

    def reset(self) -> None:
        """Deletes every trunk (ids keep increasing), empties the journal, clears the faults and
        restores the API keys and latency given at start-up."""
        self.trunks.delete_all()
        self.journal.clear()
        self.faults.clear()
        self.settings.restore_initial()
