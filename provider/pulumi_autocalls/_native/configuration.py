"""The native provider's configuration: the core's settings, read from what the engine sends.

A native package receives only its own namespace: ``autocalls:apiKey`` arrives as ``apiKey`` (in
``Configure.args``, typed and secret-wrapped; in ``variables`` as ``autocalls:config:apiKey``).
Every setting falls back on its environment variable, as in the dynamic face.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core.config import SETTINGS, ProviderSettings
from .._core.config_warnings import SettingProblem, setting_problems
from . import codec

SETTING_NAMES: tuple[str, ...] = tuple(setting.name for setting in SETTINGS)
ENGINE_KEYS = frozenset({"version", "pluginDownloadURL", "pluginChecksums", "parameterization"})
"""Keys the engine itself adds to a provider's inputs."""


def as_text(value: Any) -> str | None:
    """A configuration value as the settings loader reads it (``5.0`` -> ``"5"``)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def settings_from(values: Mapping[str, Any]) -> ProviderSettings:
    """The settings from the provider's configuration ``values`` (keyed ``apiKey``, ...), each
    unset one from its environment variable. Raises ``ConfigurationError`` for a bad value."""
    return ProviderSettings.load(lambda key: as_text(values.get(key.partition(":")[2])))


def variables_as_values(variables: Mapping[str, str], package: str) -> dict[str, str]:
    """``Configure.variables`` (keyed ``<package>:config:<name>``) keyed by plain name."""
    prefix = f"{package}:config:"
    return {
        key.removeprefix(prefix): value
        for key, value in variables.items()
        if key.startswith(prefix)
    }


def configuration_problems(values: Mapping[str, Any]) -> list[SettingProblem]:
    """The mistakes of a provider configuration (``CheckConfig``'s new inputs); values not known
    yet (a preview) and the engine's own keys are left alone."""
    given = {
        key: as_text(value)
        for key, value in values.items()
        if key not in ENGINE_KEYS and not key.startswith("__") and value is not codec.UNKNOWN
    }
    return setting_problems(given)
