"""Pulumi dynamic provider for autocalls.ai SIP trunks.

The public surface is exactly what ``__all__`` names; every other module is private.

The names whose modules need pydantic, httpx or the Pulumi SDK are loaded on first use
(PEP 562), so that the provider process, which imports only ``pulumi_autocalls._provider``, does
not load the HTTP client until it first calls the API.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    AutocallsError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._fields import FIELDS, Field, VoiceTrunk
from ._retry import RetryPolicy
from ._version import __version__

if TYPE_CHECKING:
    from ._client import AutocallsClient
    from ._diff import SipTrunkDiff
    from ._lookups import get_sip_trunk, list_sip_trunks
    from ._models import SipTrunk as SipTrunkRecord
    from ._models import SipTrunkSummary
    from ._provider import SipTrunkProvider
    from ._resource import SipTrunk, SipTrunkArgs

# The names whose modules need pydantic, httpx or the Pulumi SDK: public name -> (module, name).
# The rest above use the standard library only and are imported at once.
_LAZY: dict[str, tuple[str, str]] = {
    "AutocallsClient": ("._client", "AutocallsClient"),
    "SipTrunkDiff": ("._diff", "SipTrunkDiff"),
    "get_sip_trunk": ("._lookups", "get_sip_trunk"),
    "list_sip_trunks": ("._lookups", "list_sip_trunks"),
    "SipTrunkRecord": ("._models", "SipTrunk"),
    "SipTrunkSummary": ("._models", "SipTrunkSummary"),
    "SipTrunkProvider": ("._provider", "SipTrunkProvider"),
    "SipTrunk": ("._resource", "SipTrunk"),
    "SipTrunkArgs": ("._resource", "SipTrunkArgs"),
}

__all__ = [
    "FIELDS",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AutocallsClient",
    "AutocallsError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "Field",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "SipTrunk",
    "SipTrunkArgs",
    "SipTrunkDiff",
    "SipTrunkProvider",
    "SipTrunkRecord",
    "SipTrunkSummary",
    "UnprocessableEntityError",
    "VoiceTrunk",
    "__version__",
    "get_sip_trunk",
    "list_sip_trunks",
]


def __getattr__(name: str) -> Any:
    source = _LAZY.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = source
    value = getattr(import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
