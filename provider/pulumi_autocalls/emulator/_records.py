"""The SIP trunk record, its JSON shapes, and the values the server generates (ids, timestamps)."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TypedDict

_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_VOICE_TRUNK_ID_ALPHABET = string.ascii_letters + string.digits
_VOICE_TRUNK_ID_LENGTH = 12
_ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class NewTrunk:
    """A validated create request: every stored field except the generated ones."""

    sip_trunk_type: str
    phone_number: str
    nickname: str | None
    sip_username: str
    sip_password: str
    sip_address: str
    sip_calling_format: str
    inbound_authorization_type: str
    allowed_inbound_ips: tuple[str, ...] | None
    outbound_proxy: bool
    country_code: str


@dataclass(frozen=True)
class TrunkRecord(NewTrunk):
    """A stored SIP trunk, including the write-only password and the create-only trunk type."""

    id: int
    inbound_trunk_id: str
    outbound_trunk_id: str
    created_at: datetime
    updated_at: datetime


def new_voice_trunk_id() -> str:
    """A fresh voice-infrastructure trunk id: `ST_` and 12 random letters and digits."""
    suffix = "".join(
        secrets.choice(_VOICE_TRUNK_ID_ALPHABET) for _ in range(_VOICE_TRUNK_ID_LENGTH)
    )
    return f"ST_{suffix}"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def next_update_time(previous: datetime) -> datetime:
    """The current time, or one microsecond after `previous` if the clock has not moved past it."""
    return max(utc_now(), previous + _ONE_MICROSECOND)


def format_timestamp(moment: datetime) -> str:
    """Laravel's JSON timestamp: `2026-03-31T10:00:00.000000Z`."""
    return moment.astimezone(timezone.utc).strftime(_TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, _TIMESTAMP_FORMAT).replace(tzinfo=timezone.utc)


def summary_json(record: TrunkRecord) -> dict[str, Any]:
    """The list-endpoint shape: no voice trunk ids, no password, no trunk type."""
    return {
        "id": record.id,
        "phone_number": record.phone_number,
        "nickname": record.nickname,
        "sip_username": record.sip_username,
        "sip_address": record.sip_address,
        "sip_calling_format": record.sip_calling_format,
        "inbound_authorization_type": record.inbound_authorization_type,
        "allowed_inbound_ips": (
            None if record.allowed_inbound_ips is None else list(record.allowed_inbound_ips)
        ),
        "outbound_proxy": record.outbound_proxy,
        "country_code": record.country_code,
        "created_at": format_timestamp(record.created_at),
        "updated_at": format_timestamp(record.updated_at),
    }


def detail_json(record: TrunkRecord) -> dict[str, Any]:
    """The get/create/update shape: the summary plus the voice trunk ids, in documented order."""
    summary = summary_json(record)
    timestamps = {key: summary.pop(key) for key in ("created_at", "updated_at")}
    return {
        **summary,
        "inbound_trunk_id": record.inbound_trunk_id,
        "outbound_trunk_id": record.outbound_trunk_id,
        **timestamps,
    }


class TrunkChanges(TypedDict, total=False):
    """The validated fields of an update request; a key is present only if its field was sent."""

    phone_number: str
    nickname: str | None
    sip_username: str
    sip_password: str
    sip_address: str
    sip_calling_format: str
    inbound_authorization_type: str
    allowed_inbound_ips: tuple[str, ...] | None
    outbound_proxy: bool
    country_code: str
