"""Provider settings: from the stack configuration, with environment variables as fallbacks.

Two kinds of reader load them through ``ProviderSettings.load``: the provider and the lookup
functions read the stack config, else the environment; ``pulumi-autocalls adopt`` reads the
environment and its ``--base-url``. Each message about a setting names what its reader reads
(``SettingNames``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

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
    schema_type: str = "string"
    """Its type in a Pulumi package schema (a native provider's configuration)."""
    secret: bool = False

    @property
    def name(self) -> str:
        """The key without its namespace, as a provider's own configuration names it."""
        return self.config_key.partition(":")[2]


API_KEY = Setting(
    "autocalls:apiKey",
    "AUTOCALLS_API_KEY",
    "The autocalls API key (set it as a secret). Required for every operation that calls the API.",
    secret=True,
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
    schema_type="number",
)
MAX_RETRIES = Setting(
    "autocalls:maxRetries",
    "AUTOCALLS_MAX_RETRIES",
    f"How often a throttled or failed request is retried. Default {DEFAULT_MAX_RETRIES}.",
    schema_type="integer",
)
SETTINGS: tuple[Setting, ...] = (API_KEY, BASE_URL, TIMEOUT, MAX_RETRIES)

_NO_KEY_IN_ENVIRONMENT = (
    f"No autocalls API key is configured. Set the {API_KEY.env_var} environment variable."
)


@dataclass(frozen=True)
class Given:
    """A value handed over directly (a function's argument, a command-line option); it wins over
    the stack config and the environment."""

    name: str
    """What messages call it, e.g. ``--base-url``."""
    value: str | None


@dataclass(frozen=True)
class SettingNames:
    """What messages call the settings a client was built from: where each value came from, or,
    for one that is unset, every place its reader would read it. So a message about the key or the
    base URL names something that the program, provider or command at hand actually reads.

    The defaults are the provider's: a bare ``AutocallsClient`` speaks of the stack config."""

    api_key: str = API_KEY.config_key
    base_url: str = BASE_URL.config_key
    missing_api_key: str = MISSING_API_KEY_MESSAGE


@dataclass(frozen=True)
class ProviderSettings:
    """What the provider needs to reach the API. Never pickled, never logged."""

    api_key: str | None
    base_url: str = DEFAULT_BASE_URL
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES
    names: SettingNames = field(default=SettingNames(), compare=False)

    def __reduce__(self) -> NoReturn:
        # Pickled, the settings would carry the API key wherever the pickle goes (Pulumi state).
        raise TypeError(
            "ProviderSettings cannot be pickled: they hold the API key; load them where they "
            "are used (ProviderSettings.load)."
        )

    def __repr__(self) -> str:
        key = "set" if self.api_key else "missing"
        return (
            f"ProviderSettings(api_key=<{key}>, base_url={self.base_url!r}, "
            f"timeout_s={self.timeout_s!r}, max_retries={self.max_retries!r})"
        )

    @classmethod
    def load(
        cls,
        config_value: Callable[[str], str | None] | None,
        environ: Mapping[str, str] | None = None,
        *,
        given: Mapping[Setting, Given] | None = None,
    ) -> ProviderSettings:
        """Read every setting: a ``given`` value first, then the stack config (``config_value``;
        None for a reader without one, such as the command line), then the environment.

        A bad timeout or retry count raises ``ConfigurationError`` naming where it was set."""
        env = os.environ if environ is None else environ
        chosen = given or {}

        def read(setting: Setting) -> tuple[str | None, str]:
            candidates: list[tuple[str, str | None]] = []
            if setting in chosen:
                candidates.append((chosen[setting].name, chosen[setting].value))
            if config_value is not None:
                candidates.append((setting.config_key, config_value(setting.config_key)))
            candidates.append((setting.env_var, env.get(setting.env_var)))
            for name, value in candidates:
                if isinstance(value, str) and value.strip():
                    return value.strip(), name
            return None, " or ".join(name for name, _ in candidates)

        api_key, api_key_name = read(API_KEY)
        base_url, base_url_name = read(BASE_URL)
        missing = MISSING_API_KEY_MESSAGE if config_value is not None else _NO_KEY_IN_ENVIRONMENT
        return cls(
            api_key=api_key,
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            timeout_s=_seconds(*read(TIMEOUT)),
            max_retries=_whole_number(*read(MAX_RETRIES)),
            names=SettingNames(api_key_name, base_url_name, missing),
        )

    def client(
        self, *, observer: Callable[[ObservedResponse], None] | None = None
    ) -> AutocallsClient:
        """An API client with these settings (and ``observer``, see ``AutocallsClient``); raises
        ``ConfigurationError`` without a key."""
        if not self.api_key:
            raise ConfigurationError(self.names.missing_api_key)
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
            setting_names=self.names,
        )


def _seconds(text: str | None, name: str) -> float:
    if text is None:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ConfigurationError(
            f"{name} must be a number of seconds greater than 0 (got {text!r})."
        )
    return seconds


def _whole_number(text: str | None, name: str) -> int:
    if text is None:
        return DEFAULT_MAX_RETRIES
    if not text.isdecimal():
        raise ConfigurationError(f"{name} must be a whole number, 0 or more (got {text!r}).")
    return int(text)
