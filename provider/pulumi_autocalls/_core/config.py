"""Provider settings: from the stack configuration, with environment variables as fallbacks."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._exceptions import ConfigurationError
from .constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from .client import AutocallsClient, ObservedResponse

MISSING_API_KEY_MESSAGE = (
    "No autocalls API key is configured. Set it with "
    "'pulumi config set --secret autocalls:apiKey <key>' or the AUTOCALLS_API_KEY "
    "environment variable."
)


@dataclass(frozen=True)
class Setting:
    """One setting: its stack config key and the environment variable that backs it up."""

    config_key: str
    env_var: str
    doc: str


API_KEY = Setting(
    "autocalls:apiKey",
    "AUTOCALLS_API_KEY",
    "The autocalls API key (set it as a secret). Required for every operation that calls the API.",
)
BASE_URL = Setting(
    "autocalls:baseUrl",
    "AUTOCALLS_BASE_URL",
    f"The API's base URL. Default {DEFAULT_BASE_URL}; plain http only to loopback addresses.",
)
TIMEOUT = Setting(
    "autocalls:timeout",
    "AUTOCALLS_TIMEOUT",
    f"Seconds to wait for each API response. Default {DEFAULT_TIMEOUT_S:g}.",
)
MAX_RETRIES = Setting(
    "autocalls:maxRetries",
    "AUTOCALLS_MAX_RETRIES",
    f"How often a throttled or failed request is retried. Default {DEFAULT_MAX_RETRIES}.",
)
SETTINGS: tuple[Setting, ...] = (API_KEY, BASE_URL, TIMEOUT, MAX_RETRIES)


@dataclass(frozen=True)
class ProviderSettings:
    """What the provider needs to reach the API. Never pickled, never logged."""

    api_key: str | None
    base_url: str = DEFAULT_BASE_URL
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES

    def __repr__(self) -> str:
        key = "set" if self.api_key else "missing"
        return (
            f"ProviderSettings(api_key=<{key}>, base_url={self.base_url!r}, "
            f"timeout_s={self.timeout_s!r}, max_retries={self.max_retries!r})"
        )

    @classmethod
    def load(
        cls,
        config_value: Callable[[str], str | None],
        environ: Mapping[str, str] | None = None,
    ) -> ProviderSettings:
        """Read every setting from ``config_value`` (stack config), else from the environment."""
        env = os.environ if environ is None else environ

        def read(setting: Setting) -> str | None:
            value = config_value(setting.config_key)
            if value is None or value == "":
                value = env.get(setting.env_var) or None
            return value.strip() if isinstance(value, str) else value

        timeout = _number(TIMEOUT, read(TIMEOUT), float, DEFAULT_TIMEOUT_S)
        retries = int(_number(MAX_RETRIES, read(MAX_RETRIES), int, DEFAULT_MAX_RETRIES))
        if timeout <= 0:
            raise ConfigurationError(f"{TIMEOUT.config_key} must be a positive number of seconds.")
        if retries < 0:
            raise ConfigurationError(f"{MAX_RETRIES.config_key} must be 0 or more.")
        return cls(
            api_key=read(API_KEY),
            base_url=(read(BASE_URL) or DEFAULT_BASE_URL).rstrip("/"),
            timeout_s=timeout,
            max_retries=retries,
        )

    def client(
        self, *, observer: Callable[[ObservedResponse], None] | None = None
    ) -> AutocallsClient:
        """An API client with these settings (and ``observer``, see ``AutocallsClient``); raises
        ``ConfigurationError`` without a key."""
        if not self.api_key:
            raise ConfigurationError(MISSING_API_KEY_MESSAGE)
        # Imported here, not at module level: check and diff (every preview) never call the API,
        # so a provider process that only previews never loads the HTTP stack.
        from .client import AutocallsClient
        from .retry import RetryPolicy

        return AutocallsClient(
            self.api_key,
            base_url=self.base_url,
            timeout=self.timeout_s,
            retry=RetryPolicy(max_retries=self.max_retries),
            observer=observer,
        )


def _number(
    setting: Setting, text: str | None, kind: type[int] | type[float], default: float
) -> float:
    if text is None:
        return default
    try:
        return kind(text)
    except ValueError:
        raise ConfigurationError(
            f"{setting.config_key} (or {setting.env_var}) must be a number (got {text!r})."
        ) from None
