"""Read-only lookups for Pulumi programs: one trunk by id, or the account's trunks filtered.

They run in the program (so also during ``pulumi preview``) and read the same settings as the
provider: ``autocalls:apiKey`` and friends from the stack config, else the environment.
"""

from __future__ import annotations

import pulumi

from ._client import MISSING_API_KEY_MESSAGE, AutocallsClient
from ._config import ProviderSettings
from ._exceptions import ConfigurationError
from ._models import SipTrunk as SipTrunkRecord
from ._models import SipTrunkSummary
from ._retry import RetryPolicy


def _config_value(key: str) -> str | None:
    namespace, _, name = key.partition(":")
    return pulumi.Config(namespace).get(name)


def _client(api_key: str | None, base_url: str | None) -> AutocallsClient:
    settings = ProviderSettings.load(_config_value)
    key = api_key or settings.api_key
    if not key:
        raise ConfigurationError(MISSING_API_KEY_MESSAGE)
    return AutocallsClient(
        key,
        base_url=base_url or settings.base_url,
        timeout=settings.timeout_s,
        retry=RetryPolicy(max_retries=settings.max_retries),
    )


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
        trunks = client.list_sip_trunks()
    return [
        trunk
        for trunk in trunks
        if (nickname is None or trunk.nickname == nickname)
        and (phone_number is None or trunk.phone_number == phone_number)
    ]
