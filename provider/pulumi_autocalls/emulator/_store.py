"""SQLite persistence of SIP trunks: one connection shared by all requests behind a lock.

Ids come from an AUTOINCREMENT column, so they start at 1 and are never reused, not even after
a delete or a reset. A UNIQUE index enforces the (phone_number, sip_username, sip_address) key.

The store holds SIP passwords in plain text: a new database file is created readable and
writable by its owner only (0600), and SQLite gives its journal files the same mode. A file that
already exists keeps its mode.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime

from ._records import NewTrunk, TrunkRecord, format_timestamp, parse_timestamp

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sip_trunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sip_trunk_type TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    nickname TEXT,
    sip_username TEXT NOT NULL,
    sip_password TEXT NOT NULL,
    sip_address TEXT NOT NULL,
    sip_calling_format TEXT NOT NULL,
    inbound_authorization_type TEXT NOT NULL,
    allowed_inbound_ips TEXT,
    outbound_proxy INTEGER NOT NULL,
    country_code TEXT NOT NULL,
    inbound_trunk_id TEXT NOT NULL,
    outbound_trunk_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sip_trunks_identity
    ON sip_trunks (phone_number, sip_username, sip_address);
"""

# Every column but id, in the order used by INSERT and UPDATE.
_COLUMNS = (
    "sip_trunk_type",
    "phone_number",
    "nickname",
    "sip_username",
    "sip_password",
    "sip_address",
    "sip_calling_format",
    "inbound_authorization_type",
    "allowed_inbound_ips",
    "outbound_proxy",
    "country_code",
    "inbound_trunk_id",
    "outbound_trunk_id",
    "created_at",
    "updated_at",
)
_INSERT = (
    f"INSERT INTO sip_trunks ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_UPDATE = f"UPDATE sip_trunks SET {', '.join(f'{c} = ?' for c in _COLUMNS)} WHERE id = ?"
# SQLite's names for a database that lives in memory or in a temporary file it deletes itself.
_NOT_A_FILE = ("", ":memory:")
_OWNER_ONLY = 0o600

SqlValue = str | int | None


class DuplicateTrunk(Exception):
    """Another trunk already has the same phone_number, sip_username and sip_address."""


class TrunkStore:
    def __init__(self, db_path: str) -> None:
        if db_path not in _NOT_A_FILE:
            _create_owner_only(db_path)
        self._connection = sqlite3.connect(db_path, check_same_thread=False)
        self._connection.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._transaction() as connection:
            connection.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def list(self) -> list[TrunkRecord]:
        with self._transaction() as connection:
            rows = connection.execute("SELECT * FROM sip_trunks ORDER BY id").fetchall()
        return [_record_from_row(row) for row in rows]

    def get(self, trunk_id: int) -> TrunkRecord | None:
        with self._transaction() as connection:
            row = connection.execute(
                "SELECT * FROM sip_trunks WHERE id = ?", (trunk_id,)
            ).fetchone()
        return None if row is None else _record_from_row(row)

    def insert(
        self,
        trunk: NewTrunk,
        *,
        inbound_trunk_id: str,
        outbound_trunk_id: str,
        created_at: datetime,
    ) -> TrunkRecord:
        """Stores a new trunk under the next id and returns it."""
        record = TrunkRecord(
            **asdict(trunk),
            id=0,  # replaced by the id SQLite assigns
            inbound_trunk_id=inbound_trunk_id,
            outbound_trunk_id=outbound_trunk_id,
            created_at=created_at,
            updated_at=created_at,
        )
        try:
            with self._transaction() as connection:
                cursor = connection.execute(_INSERT, _column_values(record))
        except sqlite3.IntegrityError as error:
            raise DuplicateTrunk from error
        assert cursor.lastrowid is not None
        return replace(record, id=cursor.lastrowid)

    def update(self, trunk: TrunkRecord) -> None:
        try:
            with self._transaction() as connection:
                connection.execute(_UPDATE, (*_column_values(trunk), trunk.id))
        except sqlite3.IntegrityError as error:
            raise DuplicateTrunk from error

    def delete(self, trunk_id: int) -> bool:
        """Deletes the trunk; False if there was none with that id."""
        with self._transaction() as connection:
            cursor = connection.execute("DELETE FROM sip_trunks WHERE id = ?", (trunk_id,))
        return cursor.rowcount > 0

    def delete_all(self) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM sip_trunks")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._connection:
            yield self._connection


def _create_owner_only(db_path: str) -> None:
    """Creates an empty file at `db_path` with mode 0600 unless something is there already."""
    try:
        descriptor = os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _OWNER_ONLY)
    except FileExistsError:
        return
    os.close(descriptor)


def _column_values(trunk: TrunkRecord) -> tuple[SqlValue, ...]:
    allowed_ips = trunk.allowed_inbound_ips
    return (
        trunk.sip_trunk_type,
        trunk.phone_number,
        trunk.nickname,
        trunk.sip_username,
        trunk.sip_password,
        trunk.sip_address,
        trunk.sip_calling_format,
        trunk.inbound_authorization_type,
        None if allowed_ips is None else json.dumps(list(allowed_ips)),
        int(trunk.outbound_proxy),
        trunk.country_code,
        trunk.inbound_trunk_id,
        trunk.outbound_trunk_id,
        format_timestamp(trunk.created_at),
        format_timestamp(trunk.updated_at),
    )


def _record_from_row(row: sqlite3.Row) -> TrunkRecord:
    allowed_ips = row["allowed_inbound_ips"]
    return TrunkRecord(
        id=row["id"],
        sip_trunk_type=row["sip_trunk_type"],
        phone_number=row["phone_number"],
        nickname=row["nickname"],
        sip_username=row["sip_username"],
        sip_password=row["sip_password"],
        sip_address=row["sip_address"],
        sip_calling_format=row["sip_calling_format"],
        inbound_authorization_type=row["inbound_authorization_type"],
        allowed_inbound_ips=None if allowed_ips is None else tuple(json.loads(allowed_ips)),
        outbound_proxy=bool(row["outbound_proxy"]),
        country_code=row["country_code"],
        inbound_trunk_id=row["inbound_trunk_id"],
        outbound_trunk_id=row["outbound_trunk_id"],
        created_at=parse_timestamp(row["created_at"]),
        updated_at=parse_timestamp(row["updated_at"]),
    )
