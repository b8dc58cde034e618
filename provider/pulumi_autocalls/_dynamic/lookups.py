"""Read-only lookups for Pulumi programs: one trunk by id, or the account's trunks filtered.

Each comes in the two forms Pulumi's SDKs offer: ``get_sip_trunk`` takes plain values and
returns the trunk, ``get_sip_trunk_output`` takes Inputs (such as ``trunk.id``) and returns an
``Output``. In a deployment they call the API while the program runs (so also during
``pulumi preview``), with the provider's settings: ``autocalls:apiKey`` and friends from the stack
config, else the environment.

Under Pulumi's unit-test mocks (``pulumi.runtime.set_mocks``) they never reach the network: they
invoke the Pulumi functions ``autocalls:index:getSipTrunk`` and ``autocalls:index:listSipTrunks``
(``_core/invokes.py``), which the mocks' ``call`` answers.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import pulumi
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_monitor

from .._core import invokes
from .._core.config import API_KEY, BASE_URL, Given, ProviderSettings

if TYPE_CHECKING:
    from .._core.client import AutocallsClient
    from .._core.models import SipTrunkRecord, SipTrunkSummary

_T = TypeVar("_T")


def under_unit_test_mocks() -> bool:
    """Whether the program runs under ``pulumi.runtime.set_mocks``: its resource monitor is then
    the SDK's ``MockMonitor``, where in a deployment it is the engine's (a gRPC client)."""
    return isinstance(get_monitor(), MockMonitor)


def get_sip_trunk(
    trunk_id: int | str, *, api_key: str | None = None, base_url: str | None = None
) -> SipTrunkRecord:
    """Read one SIP trunk by id, with its voice trunk ids. Raises ``NotFoundError`` if absent.

    ``api_key`` and ``base_url`` override the settings; unit-test mocks ignore them.
    """
    if under_unit_test_mocks():
        found = pulumi.runtime.invoke(invokes.GET_SIP_TRUNK, invokes.get_arguments(str(trunk_id)))
        return invokes.record_of(found.value)
    with _client(api_key, base_url) as client:
        return client.get_sip_trunk(trunk_id)


def get_sip_trunk_output(trunk_id: pulumi.Input[int | str]) -> pulumi.Output[SipTrunkRecord]:
    """``get_sip_trunk`` for an Input id (``trunk.id``, say): the trunk as an ``Output``, read once
    the id is known, and secret if the id is."""
    if under_unit_test_mocks():
        arguments = invokes.get_arguments(pulumi.Output.from_input(trunk_id).apply(str))
        return pulumi.runtime.invoke_output(invokes.GET_SIP_TRUNK, arguments).apply(
            invokes.record_of
        )

    def read(known: object) -> Awaitable[SipTrunkRecord]:
        return _off_the_event_loop(lambda: get_sip_trunk(str(known)))

    return pulumi.Output.from_input(trunk_id).apply(read)


def list_sip_trunks(
    *,
    nickname: str | None = None,
    phone_number: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
) -> list[SipTrunkSummary]:
    """List the account's SIP trunks, keeping those whose nickname / phone number match exactly.

    ``api_key`` and ``base_url`` override the settings; unit-test mocks ignore them.
    """
    if under_unit_test_mocks():
        arguments = invokes.list_arguments(nickname, phone_number)
        return invokes.summaries_of(pulumi.runtime.invoke(invokes.LIST_SIP_TRUNKS, arguments).value)
    with _client(api_key, base_url) as client:
        return client.find_sip_trunks(nickname=nickname, phone_number=phone_number)


def list_sip_trunks_output(
    *,
    nickname: pulumi.Input[str] | None = None,
    phone_number: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[SipTrunkSummary]]:
    """``list_sip_trunks`` for Input filters: the trunks as an ``Output``, listed once the filters
    are known, and secret if a filter is."""
    if under_unit_test_mocks():
        arguments = invokes.list_arguments(nickname, phone_number)
        return pulumi.runtime.invoke_output(invokes.LIST_SIP_TRUNKS, arguments).apply(
            invokes.summaries_of
        )
    filters = pulumi.Output.all(nickname, phone_number)
    return filters.apply(
        lambda known: _off_the_event_loop(
            lambda: list_sip_trunks(nickname=known[0], phone_number=known[1])
        )
    )


def _off_the_event_loop(call: Callable[[], _T]) -> Awaitable[_T]:
    """``call`` (an API request) on the event loop's executor, so that the program's other work
    goes on while it waits; in a copy of this context, where the stack config is (a ContextVar)."""
    return asyncio.get_running_loop().run_in_executor(None, contextvars.copy_context().run, call)


def _config_value(key: str) -> str | None:
    namespace, _, name = key.partition(":")
    return pulumi.Config(namespace).get(name)


def _client(api_key: str | None, base_url: str | None) -> AutocallsClient:
    given = {
        API_KEY: Given("the api_key argument", api_key),
        BASE_URL: Given("the base_url argument", base_url),
    }
    return ProviderSettings.load(_config_value, given=given).client()
