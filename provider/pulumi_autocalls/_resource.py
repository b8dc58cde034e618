"""The ``SipTrunk`` resource class that Pulumi programs use."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar, overload

import pulumi
from pulumi.dynamic import Resource

from ._fields import ADOPT_ID_DOC, COMPUTED_OUTPUTS, FIELDS_BY_NAME, INPUT_NAMES, SECRET_FIELDS
from ._provider import SipTrunkProvider

_T = TypeVar("_T")


@dataclass
class SipTrunkArgs:
    """The inputs of a ``SipTrunk``. See the README's resource reference for every rule."""

    sip_trunk_type: pulumi.Input[str] | None = None
    phone_number: pulumi.Input[str] | None = None
    sip_username: pulumi.Input[str] | None = None
    sip_password: pulumi.Input[str] | None = None
    sip_address: pulumi.Input[str] | None = None
    sip_calling_format: pulumi.Input[str] | None = None
    inbound_authorization_type: pulumi.Input[str] | None = None
    country_code: pulumi.Input[str] | None = None
    nickname: pulumi.Input[str] | None = None
    allowed_inbound_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    outbound_proxy: pulumi.Input[bool] | None = None
    adopt_id: pulumi.Input[str] | pulumi.Input[int] | None = None


class _Output(Generic[_T]):
    """A typed, documented output attribute. The SDK stores the real ``Output`` on the instance."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc

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


def _input(name: str) -> str:
    return FIELDS_BY_NAME[name].doc


_PICKLER_PATCHED = ("_batch_setitems", "save_dict")


def registered_properties(
    given: Mapping[str, Any],
) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
    """What a SipTrunk registers for the inputs ``given``: every input (absent ones as None),
    the secret fields wrapped as secrets, every computed output; and the options that keep the
    secret fields secret in the outputs too."""
    props: dict[str, Any] = {name: given.get(name) for name in INPUT_NAMES}
    for name in SECRET_FIELDS:
        if props[name] is not None:
            props[name] = pulumi.Output.secret(props[name])
    props.update(dict.fromkeys(COMPUTED_OUTPUTS))
    return props, pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_FIELDS))


@contextmanager
def _sdk_pickler_patches_undone() -> Iterator[None]:
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

    sip_trunk_type = _Output[str]("sip_trunk_type", _input("sip_trunk_type"))
    phone_number = _Output[str]("phone_number", _input("phone_number"))
    nickname = _Output[str | None]("nickname", _input("nickname"))
    sip_username = _Output[str]("sip_username", _input("sip_username"))
    sip_password = _Output[str]("sip_password", _input("sip_password"))
    sip_address = _Output[str]("sip_address", _input("sip_address"))
    sip_calling_format = _Output[str]("sip_calling_format", _input("sip_calling_format"))
    inbound_authorization_type = _Output[str](
        "inbound_authorization_type", _input("inbound_authorization_type")
    )
    allowed_inbound_ips = _Output[list[str] | None](
        "allowed_inbound_ips", _input("allowed_inbound_ips")
    )
    country_code = _Output[str]("country_code", _input("country_code"))
    outbound_proxy = _Output[bool]("outbound_proxy", _input("outbound_proxy"))
    adopt_id = _Output[str | None]("adopt_id", ADOPT_ID_DOC)
    inbound_trunk_id = _Output[str]("inbound_trunk_id", COMPUTED_OUTPUTS["inbound_trunk_id"])
    outbound_trunk_id = _Output[str]("outbound_trunk_id", COMPUTED_OUTPUTS["outbound_trunk_id"])
    created_at = _Output[str]("created_at", COMPUTED_OUTPUTS["created_at"])
    updated_at = _Output[str]("updated_at", COMPUTED_OUTPUTS["updated_at"])

    def __init__(
        self,
        resource_name: str,
        args: SipTrunkArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        sip_trunk_type: pulumi.Input[str] | None = None,
        phone_number: pulumi.Input[str] | None = None,
        sip_username: pulumi.Input[str] | None = None,
        sip_password: pulumi.Input[str] | None = None,
        sip_address: pulumi.Input[str] | None = None,
        sip_calling_format: pulumi.Input[str] | None = None,
        inbound_authorization_type: pulumi.Input[str] | None = None,
        country_code: pulumi.Input[str] | None = None,
        nickname: pulumi.Input[str] | None = None,
        allowed_inbound_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        outbound_proxy: pulumi.Input[bool] | None = None,
        adopt_id: pulumi.Input[str] | pulumi.Input[int] | None = None,
    ) -> None:
        """Declare a SIP trunk, either with ``SipTrunkArgs`` or with keyword arguments.

        Keyword arguments override the same fields of ``args``. ``sip_password`` is always made
        a secret, whatever was passed.
        """
        keywords = {
            "sip_trunk_type": sip_trunk_type,
            "phone_number": phone_number,
            "sip_username": sip_username,
            "sip_password": sip_password,
            "sip_address": sip_address,
            "sip_calling_format": sip_calling_format,
            "inbound_authorization_type": inbound_authorization_type,
            "country_code": country_code,
            "nickname": nickname,
            "allowed_inbound_ips": allowed_inbound_ips,
            "outbound_proxy": outbound_proxy,
            "adopt_id": adopt_id,
        }
        # Not dataclasses.asdict: it deep-copies every value, and an Output (any secret from
        # config, for one) cannot be deep-copied.
        given = {f.name: getattr(args, f.name) for f in fields(args)} if args is not None else {}
        given.update({key: value for key, value in keywords.items() if value is not None})
        props, secrecy = registered_properties(given)
        with _sdk_pickler_patches_undone():
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

        Its outputs are the live values; ``sip_password`` is unknown to the API and stays unset.
        """
        return SipTrunk(
            resource_name, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        )
