"""Configuration mistakes to point out before anything reaches the API.

A preview makes no request, so a missing API key, a base URL that the client will refuse, or a
misspelt setting would otherwise pass it and fail only in ``pulumi up`` (or, for the misspelt
key, say only that no key is configured). ``configuration_warnings`` finds them from the loaded
settings and the names of the stack config's keys, one sentence each that names the setting and
the fix. The dynamic provider writes them when it is configured. The native provider's
``CheckConfig`` fails the same mistakes by key (``setting_problems``), and its ``Configure``
warns of the rest (a missing key, a base URL from the environment).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .._exceptions import ConfigurationError
from .config import API_KEY, BASE_URL, SETTINGS, ProviderSettings, Setting
from .constants import DEFAULT_BASE_URL
from .transport_security import base_url_problem

_NAMESPACE = API_KEY.config_key.partition(":")[0] + ":"
_KEYS = {setting.config_key for setting in SETTINGS}
_BY_NAME = {setting.name: setting for setting in SETTINGS}

MISSING_API_KEY_WARNING = (
    "No autocalls API key is configured (autocalls:apiKey or AUTOCALLS_API_KEY): a preview "
    "needs none, but 'pulumi up' does; set it with "
    "'pulumi config set --secret autocalls:apiKey <key>'."
)


def configuration_warnings(settings: ProviderSettings, config_keys: Iterable[str]) -> list[str]:
    """One sentence per mistake: each unknown key of the ``autocalls`` namespace (with the setting
    it was probably meant to be), a missing API key, and a base URL the client would refuse."""
    warnings = [
        _unknown_key_warning(key)
        for key in sorted(config_keys)
        if key.startswith(_NAMESPACE) and key not in _KEYS
    ]
    if not settings.api_key:
        warnings.append(MISSING_API_KEY_WARNING)
    if settings.base_url != DEFAULT_BASE_URL:
        problem = base_url_problem(settings.base_url, settings.names.base_url)
        if problem is not None:
            warnings.append(problem)
    return warnings


@dataclass(frozen=True)
class SettingProblem:
    """One mistake of a provider configuration: the key as given (a plain name) and why."""

    key: str
    reason: str


def setting_problems(values: Mapping[str, str | None]) -> list[SettingProblem]:
    """The mistakes in a provider configuration as a native provider receives it, keyed by plain
    names (``apiKey``, ``baseUrl``, ...; None or "" for unset), in the order given: an unknown key
    (with the setting it was probably meant to be), a value the settings loader refuses, a base
    URL the client would refuse. Never the API key's value; the environment is not judged here."""
    problems: list[SettingProblem] = []
    for key, value in values.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            problems.append(SettingProblem(key, _unknown_key_warning(_NAMESPACE + key)))
        elif value and setting is not API_KEY:  # any key may be the right one: only the API knows
            reason = _value_problem(setting, value)
            if reason is not None:
                problems.append(SettingProblem(key, reason))
    return problems


def _value_problem(setting: Setting, value: str) -> str | None:
    if setting is BASE_URL:
        return base_url_problem(value, setting.config_key)
    try:
        ProviderSettings.load(lambda key: value if key == setting.config_key else None, environ={})
    except ConfigurationError as error:
        return error.message
    return None


def _unknown_key_warning(key: str) -> str:
    known = ", ".join(setting.config_key for setting in SETTINGS)
    meant = _meant(key)
    if meant is None:
        return f"{key} is not a setting of the autocalls provider, which reads {known}."
    return f"{key} is not a setting of the autocalls provider: did you mean {meant}?"


def _meant(key: str) -> str | None:
    """The setting that ``key`` most likely misspells, if any is close."""
    by_folded = {_folded(setting.config_key): setting.config_key for setting in SETTINGS}
    close = difflib.get_close_matches(_folded(key), list(by_folded), n=1, cutoff=0.75)
    return by_folded[close[0]] if close else None


def _folded(key: str) -> str:
    """The name after the namespace, without case, underscores or hyphens."""
    return key.partition(":")[2].lower().replace("_", "").replace("-", "")
