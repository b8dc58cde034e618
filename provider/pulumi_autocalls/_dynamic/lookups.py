"""Read-only lookups for Pulumi programs: one trunk by id, or the account's trunks filtered.

They run in the program (so also during ``pulumi preview``) and read the same settings as the
provider: ``autocalls:apiKey`` and friends from the stack config, else the environment.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pulumi

from .._core.config import ProviderSettings

if TYPE_CHECKING:
    from .._core.client import AutocallsClient
    from .._core.models import SipTrunkRecord, SipTrunkSummary


def _config_value(key: str) -> str | None:
    namespace, _, name = key.partition(":")
    return pulumi.Config(namespace).get(name)


def _client(api_key: str | None, base_url: str | None) -> AutocallsClient:
    settings = ProviderSettings.load(_config_value)
    return replace(
        settings,
        api_key=api_key or settings.api_key,
        base_url=base_url or settings.base_url,
    ).client()


def get_sip_trunk(
    trunk_id: int | str, *, api_key: str | None = None, base_url: str | None = None
) -> SipTrunkRecord:
    """Read one SIP trunk by id, with its voice trunk ids. Raises ``NotFoundError`` if absent."""
    with _client(api_key, base_url) as client:
        return client.get_sip_trunk(trunk_id)


def list_sip_trunks(
    *,
    nickname: str | None = None,
    phone_number: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
) -> list[SipTrunkSummary]:
    """List the account's SIP trunks, keeping those whose nickname / phone number match exactly."""
    with _client(api_key, base_url) as client:
        return client.find_sip_trunks(nickname=nickname, phone_number=phone_number)
