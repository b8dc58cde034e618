"""``SipTrunk`` and ``SipTrunkArgs``: the resource that Pulumi programs declare.

The blocks between ``# <generated:NAME>`` markers are rendered from the field table by
``python -m pulumi_autocalls._codegen`` (a test fails when they drift): edit the table, not them.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from typing import Any, Generic, Literal, TypeVar, cast, overload

import pulumi
from pulumi.dynamic import Resource

from .._core.fields import INPUT_NAMES, OUTPUT_NAMES, PROPERTIES_BY_NAME, SECRET_FIELDS
from .._provider import SipTrunkProvider

_T = TypeVar("_T")

# <generated:choice-types>
SipTrunkType = Literal["extension", "number"]
SipCallingFormat = Literal["+e164", "e164", "national"]
InboundAuthorizationType = Literal["auth", "ip"]
# </generated:choice-types>


# <generated:args>
@dataclass(kw_only=True)
class SipTrunkArgs:
    """The inputs of a ``SipTrunk``, for ``SipTrunk(name, SipTrunkArgs(...))``.

    :param sip_trunk_type: (required) What the trunk carries: "extension" (a SIP extension) or
        "number" (a DID).
    :param phone_number: (required) The extension (for example 1000) or the DID in E.164 (for
        example +14155551234).
    :param sip_username: (required) The SIP username, also used for inbound calls with password
        authorization.
    :param sip_password: (required) The SIP password. Always a secret; the API never returns it.
    :param sip_address: (required) The carrier's SIP server, for example sip.provider.com.
    :param sip_calling_format: (required) How numbers are dialled: "+e164", "e164" or "national".
    :param inbound_authorization_type: (required) How inbound calls authenticate: "auth" (username
        and password) or "ip" (allow-list).
    :param country_code: (required) The trunk's country, for example US (any case; stored upper
        case).
    :param nickname: (optional) A label for people. Removing it clears it.
    :param allowed_inbound_ips: (optional) The inbound allow-list; required with "ip" authorization
        and only allowed with it.
    :param outbound_proxy: (optional) Send outbound calls from a fixed proxy IP (for carriers that
        authorize by IP).
    :param adopt_id: (optional) Ours, not the API's: the id of an existing trunk to take over
        instead of creating one. Its fields are then brought to the declared values; the password is
        assumed to match. Only the first up reads it: removing it afterwards changes nothing.
    """

    sip_trunk_type: pulumi.Input[SipTrunkType]
    """What the trunk carries: "extension" (a SIP extension) or "number" (a DID)."""

    phone_number: pulumi.Input[str]
    """The extension (for example 1000) or the DID in E.164 (for example +14155551234)."""

    sip_username: pulumi.Input[str]
    """The SIP username, also used for inbound calls with password authorization."""

    sip_password: pulumi.Input[str] = dataclass_field(repr=False)
    """The SIP password. Always a secret; the API never returns it."""

    sip_address: pulumi.Input[str]
    """The carrier's SIP server, for example sip.provider.com."""

    sip_calling_format: pulumi.Input[SipCallingFormat]
    """How numbers are dialled: "+e164", "e164" or "national"."""

    inbound_authorization_type: pulumi.Input[InboundAuthorizationType]
    """How inbound calls authenticate: "auth" (username and password) or "ip" (allow-list)."""

    country_code: pulumi.Input[str]
    """The trunk's country, for example US (any case; stored upper case)."""

    nickname: pulumi.Input[str] | None = None
    """A label for people. Removing it clears it."""

    allowed_inbound_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """The inbound allow-list; required with "ip" authorization and only allowed with it."""

    outbound_proxy: pulumi.Input[bool] | None = None
    """Send outbound calls from a fixed proxy IP (for carriers that authorize by IP)."""

    adopt_id: pulumi.Input[str] | pulumi.Input[int] | None = None
    """
    Ours, not the API's: the id of an existing trunk to take over instead of creating one. Its
    fields are then brought to the declared values; the password is assumed to match. Only the first
    up reads it: removing it afterwards changes nothing.
    """


# </generated:args>


class _Output(Generic[_T]):
    """A typed, documented output attribute. The SDK stores the real ``Output`` on the instance."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.__doc__ = PROPERTIES_BY_NAME[name].doc

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> _Output[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type[Any]) -> pulumi.Output[_T]: ...
    def __get__(self, instance: object | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


_PICKLER_PATCHED = ("_batch_setitems", "save_dict")


def registered_properties(
    given: Mapping[str, Any],
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """What a SipTrunk registers for the inputs ``given``: every input (absent ones as None),
    the secret fields wrapped as secrets, every other output; and the options that keep the
    secret fields secret in the outputs too."""
    props: dict[str, Any] = {name: given.get(name) for name in INPUT_NAMES}
    for name in SECRET_FIELDS:
        if props[name] is not None:
            props[name] = pulumi.Output.secret(props[name])
    props.update(dict.fromkeys(OUTPUT_NAMES))
    return props, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_FIELDS))


@contextmanager
def sdk_pickler_patches_undone() -> Iterator[None]:
    """Undo, after our constructor, what pulumi's ``serialize_provider`` leaves patched.

    Each call of ``serialize_provider`` (pulumi 3.272, once per dynamic resource constructed)
    wraps ``pickle._Pickler._batch_setitems`` in one more sorting wrapper and never unwraps it.
    The n-th dynamic resource of a program therefore pickles through n nested wrappers: the cost
    of a constructor grows with the number of resources before it, and around the 980th the
    program dies with ``RecursionError`` (pulumi/pulumi#17803 has that symptom). Restoring the
    two attributes keeps the depth at one, whatever the number of trunks.
    """
    saved = {name: pickle._Pickler.__dict__.get(name) for name in _PICKLER_PATCHED}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is not None:
                setattr(pickle._Pickler, name, value)


class SipTrunk(Resource, module="autocalls", name="SipTrunk"):
    """An autocalls.ai SIP trunk: carrier credentials, address, inbound authorization, format.

    Changing ``sip_trunk_type`` replaces the trunk; changing a field that re-creates a voice
    trunk updates it in place and prints a notice in ``pulumi preview`` (see the README).
    """

    # <generated:outputs>
    sip_trunk_type = _Output[SipTrunkType | None]("sip_trunk_type")
    """
    What the trunk carries: "extension" (a SIP extension) or "number" (a DID). Unset on a trunk read
    with ``SipTrunk.get``.
    """

    phone_number = _Output[str]("phone_number")
    """The extension (for example 1000) or the DID in E.164 (for example +14155551234)."""

    nickname = _Output[str | None]("nickname")
    """A label for people. Removing it clears it."""

    sip_username = _Output[str]("sip_username")
    """The SIP username, also used for inbound calls with password authorization."""

    sip_password = _Output[str | None]("sip_password")
    """
    The SIP password. Always a secret; the API never returns it. Unset on a trunk read with
    ``SipTrunk.get``.
    """

    sip_address = _Output[str]("sip_address")
    """The carrier's SIP server, for example sip.provider.com."""

    sip_calling_format = _Output[SipCallingFormat]("sip_calling_format")
    """How numbers are dialled: "+e164", "e164" or "national"."""

    inbound_authorization_type = _Output[InboundAuthorizationType]("inbound_authorization_type")
    """How inbound calls authenticate: "auth" (username and password) or "ip" (allow-list)."""

    allowed_inbound_ips = _Output[list[str] | None]("allowed_inbound_ips")
    """The inbound allow-list; required with "ip" authorization and only allowed with it."""

    country_code = _Output[str]("country_code")
    """The trunk's country, for example US (any case; stored upper case)."""

    outbound_proxy = _Output[bool]("outbound_proxy")
    """Send outbound calls from a fixed proxy IP (for carriers that authorize by IP)."""

    adopt_id = _Output[str | None]("adopt_id")
    """
    Ours, not the API's: the id of an existing trunk to take over instead of creating one. Its
    fields are then brought to the declared values; the password is assumed to match. Only the first
    up reads it: removing it afterwards changes nothing.
    """

    inbound_trunk_id = _Output[str]("inbound_trunk_id")
    """The inbound voice trunk's id; it changes when the inbound trunk is re-created."""

    outbound_trunk_id = _Output[str]("outbound_trunk_id")
    """The outbound voice trunk's id; it changes when the outbound trunk is re-created."""

    created_at = _Output[str]("created_at")
    """When the trunk was created (ISO 8601, UTC)."""

    updated_at = _Output[str]("updated_at")
    """When the trunk was last updated (ISO 8601, UTC)."""

    api_base_url = _Output[str | None]("api_base_url")
    """
    The base URL of the API that holds the trunk, recorded whenever the provider writes or reads the
    trunk; the provider refuses to act on the trunk through another. Unset in states written by
    earlier versions.
    """
    # </generated:outputs>

    # <generated:init>
    @overload
    def __init__(
        self,
        resource_name: str,
        args: None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        sip_trunk_type: pulumi.Input[SipTrunkType],
        phone_number: pulumi.Input[str],
        sip_username: pulumi.Input[str],
        sip_password: pulumi.Input[str],
        sip_address: pulumi.Input[str],
        sip_calling_format: pulumi.Input[SipCallingFormat],
        inbound_authorization_type: pulumi.Input[InboundAuthorizationType],
        country_code: pulumi.Input[str],
        nickname: pulumi.Input[str] | None = None,
        allowed_inbound_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        outbound_proxy: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | pulumi.Input[int] | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        resource_name: str,
        args: SipTrunkArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        sip_trunk_type: pulumi.Input[SipTrunkType] | None = None,
        phone_number: pulumi.Input[str] | None = None,
        nickname: pulumi.Input[str] | None = None,
        sip_username: pulumi.Input[str] | None = None,
        sip_password: pulumi.Input[str] | None = None,
        sip_address: pulumi.Input[str] | None = None,
        sip_calling_format: pulumi.Input[SipCallingFormat] | None = None,
        inbound_authorization_type: pulumi.Input[InboundAuthorizationType] | None = None,
        allowed_inbound_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        country_code: pulumi.Input[str] | None = None,
        outbound_proxy: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | pulumi.Input[int] | None = None,
    ) -> None: ...
    def __init__(
        self,
        resource_name: str,
        args: SipTrunkArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **keywords: Any,
    ) -> None:
        """Declare a SIP trunk, with keyword arguments or with ``SipTrunkArgs``.

        Keyword arguments override the same fields of ``args``. ``sip_password`` is always
        made a secret, whatever was passed.

        :param resource_name: The name of the resource in the stack.
        :param args: The inputs, instead of keyword arguments.
        :param opts: Options for the resource.
        :param sip_trunk_type: (required) What the trunk carries: "extension" (a SIP extension) or
            "number" (a DID).
        :param phone_number: (required) The extension (for example 1000) or the DID in E.164 (for
            example +14155551234).
        :param nickname: (optional) A label for people. Removing it clears it.
        :param sip_username: (required) The SIP username, also used for inbound calls with password
            authorization.
        :param sip_password: (required) The SIP password. Always a secret; the API never returns it.
        :param sip_address: (required) The carrier's SIP server, for example sip.provider.com.
        :param sip_calling_format: (required) How numbers are dialled: "+e164", "e164" or
            "national".
        :param inbound_authorization_type: (required) How inbound calls authenticate: "auth"
            (username and password) or "ip" (allow-list).
        :param allowed_inbound_ips: (optional) The inbound allow-list; required with "ip"
            authorization and only allowed with it.
        :param country_code: (required) The trunk's country, for example US (any case; stored upper
            case).
        :param outbound_proxy: (optional) Send outbound calls from a fixed proxy IP (for carriers
            that authorize by IP).
        :param adopt_id: (optional) Ours, not the API's: the id of an existing trunk to take over
            instead of creating one. Its fields are then brought to the declared values; the
            password is assumed to match. Only the first up reads it: removing it afterwards changes
            nothing.
        """
        # </generated:init>
        unknown = sorted(set(keywords) - set(INPUT_NAMES))
        if unknown:
            raise TypeError(f"SipTrunk() got an unexpected keyword argument {unknown[0]!r}")
        # Not dataclasses.asdict: it deep-copies every value, and an Output (any secret from
        # config, for one) cannot be deep-copied.
        given = {f.name: getattr(args, f.name) for f in fields(args)} if args is not None else {}
        given.update({key: value for key, value in keywords.items() if value is not None})
        props, secrecy = registered_properties(given)
        with sdk_pickler_patches_undone():
            super().__init__(
                SipTrunkProvider(),
                resource_name,
                props,
                pulumi.ResourceOptions.merge(opts, secrecy),
            )

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> SipTrunk:
        """Look up an existing trunk by id, read-only: Pulumi will neither change nor delete it.

        Its outputs are the live values; ``sip_password`` and ``sip_trunk_type``, which the API
        never returns, stay unset. No input is registered: that is how the provider tells this
        read from a refresh (``is_lookup`` in ``_dynamic/provider.py``).
        """
        lookup = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        # Called without the required inputs on purpose: a lookup registers none.
        return cast(SipTrunk, cast(Any, SipTrunk)(resource_name, opts=lookup))
