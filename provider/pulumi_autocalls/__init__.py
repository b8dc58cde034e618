"""Manage autocalls.ai SIP trunks as code with Pulumi: the ``SipTrunk`` resource.

Declare a trunk in a Pulumi program, then run ``pulumi preview`` and ``pulumi up``::

    from pulumi_autocalls import SipTrunk

    trunk = SipTrunk(
        "main",
        sip_trunk_type="extension",
        phone_number="1000",
        sip_username="myuser",
        sip_password=pulumi.Config().require_secret("sipPassword"),
        sip_address="sip.provider.com",
        sip_calling_format="+e164",
        inbound_authorization_type="auth",
        country_code="US",
    )
    pulumi.export("outbound_trunk_id", trunk.outbound_trunk_id)

The provider reads ``autocalls:apiKey`` (set it with ``pulumi config set --secret
autocalls:apiKey <key>``). ``help(SipTrunk)`` documents every argument; ``get_sip_trunk`` and
``list_sip_trunks`` read existing trunks (``get_sip_trunk_output`` and ``list_sip_trunks_output``
take Inputs and return Outputs); ``AutocallsClient`` is the API client underneath, and
every error it raises is an ``AutocallsError``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._core.retry import RetryPolicy
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
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from ._version import __version__

if TYPE_CHECKING:
    from ._core.client import AutocallsClient
    from ._core.models import SipTrunkRecord, SipTrunkSummary
    from ._dynamic.lookups import (
        get_sip_trunk,
        get_sip_trunk_output,
        list_sip_trunks,
        list_sip_trunks_output,
    )
    from ._dynamic.resource import (
        InboundAuthorizationType,
        SipCallingFormat,
        SipTrunk,
        SipTrunkArgs,
        SipTrunkType,
    )

# Loaded on first use (PEP 562): the names whose modules need pydantic, httpx or the Pulumi SDK, so
# that the provider process, which imports only ``pulumi_autocalls._provider``, does not load the
# HTTP client until its first API call. The rest above use the standard library only.
_LAZY: dict[str, tuple[str, str]] = {
    "AutocallsClient": ("._core.client", "AutocallsClient"),
    "get_sip_trunk": ("._dynamic.lookups", "get_sip_trunk"),
    "get_sip_trunk_output": ("._dynamic.lookups", "get_sip_trunk_output"),
    "list_sip_trunks": ("._dynamic.lookups", "list_sip_trunks"),
    "list_sip_trunks_output": ("._dynamic.lookups", "list_sip_trunks_output"),
    "SipTrunkRecord": ("._core.models", "SipTrunkRecord"),
    "SipTrunkSummary": ("._core.models", "SipTrunkSummary"),
    "SipTrunk": ("._dynamic.resource", "SipTrunk"),
    "SipTrunkArgs": ("._dynamic.resource", "SipTrunkArgs"),
    "SipTrunkType": ("._dynamic.resource", "SipTrunkType"),
    "SipCallingFormat": ("._dynamic.resource", "SipCallingFormat"),
    "InboundAuthorizationType": ("._dynamic.resource", "InboundAuthorizationType"),
}

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AutocallsClient",
    "AutocallsError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InboundAuthorizationType",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "SipCallingFormat",
    "SipTrunk",
    "SipTrunkArgs",
    "SipTrunkRecord",
    "SipTrunkSummary",
    "SipTrunkType",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "__version__",
    "get_sip_trunk",
    "get_sip_trunk_output",
    "list_sip_trunks",
    "list_sip_trunks_output",
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
