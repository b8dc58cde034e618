"""Pulumi dynamic provider for autocalls.ai SIP trunks.

The public surface is exactly what ``__all__`` names; every other module is private.
"""

from ._client import AutocallsClient
from ._diff import SipTrunkDiff
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
from ._lookups import get_sip_trunk, list_sip_trunks
from ._models import SipTrunk as SipTrunkRecord
from ._models import SipTrunkSummary
from ._provider import SipTrunkProvider
from ._resource import SipTrunk, SipTrunkArgs
from ._retry import RetryPolicy
from ._version import __version__

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
