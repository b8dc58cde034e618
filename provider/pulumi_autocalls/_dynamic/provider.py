"""SipTrunkProvider: the dynamic face's provider, an adapter from ``pulumi.dynamic`` to the core.

The engine facts it is shaped by (docs/engine-facts.md):
- it is pickled by reference into every resource's ``__provider`` input, so the pickle carries
  no state at all; settings arrive in ``configure()`` in the provider process;
- one instance serves up to four threads at once, so the lazily built HTTP client is guarded;
- ``olds`` in ``diff``/``update`` are the old *outputs*, which therefore echo every input;
- ``check`` and ``diff`` run during previews and make no HTTP request.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .._core import trunks
from .._core.changes import compare, readoption
from .._core.config import ProviderSettings
from .._core.config_warnings import configuration_warnings
from .._core.fields import PROPERTIES_BY_NAME
from .._core.validation import check_inputs
from .diff import SipTrunkDiff
from .errors import headlined

if TYPE_CHECKING:  # the HTTP stack is loaded on the first API call (see ProviderSettings.client)
    from .._core.client import AutocallsClient


def _say(line: str) -> None:
    """Show ``line`` to the person running Pulumi: the CLI shows what the provider process writes
    to stderr as a diagnostic."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _stack_config_keys(req: ConfigureRequest) -> list[str]:
    """The keys of the whole stack config that ``configure()`` receives. ``pulumi.dynamic.Config``
    offers ``get()`` only; the map it holds (``_props``) is the only way to see a misspelt key."""
    props = getattr(req.config, "_props", None)
    return list(props) if isinstance(props, Mapping) else []


def is_lookup(state: Mapping[str, Any]) -> bool:
    """Whether a read is ``SipTrunk.get`` rather than a refresh.

    ``SipTrunk.get`` registers no property of the trunk, so its read receives none; a refresh
    receives the outputs in the stack, which always hold some.
    """
    return not any(name in PROPERTIES_BY_NAME for name in state)


class SipTrunkProvider(ResourceProvider):
    """Check, diff, create, read, update and delete autocalls SIP trunks."""

    # The name under which the state pickles this class (see pulumi_autocalls/_provider.py).
    __module__ = "pulumi_autocalls._provider"

    def __init__(self) -> None:
        self._start_unconfigured()

    # The pickle names the class and nothing else: no settings, client or lock reaches the state.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._start_unconfigured()

    def _start_unconfigured(self) -> None:
        self._lock = threading.Lock()
        self._settings: ProviderSettings | None = None
        self._client: AutocallsClient | None = None

    # -- configuration -------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        settings = ProviderSettings.load(req.config.get)
        for warning in configuration_warnings(settings, _stack_config_keys(req)):
            _say(f"autocalls: warning: {warning}")
        with self._lock:
            self._settings = settings
            self._client = None

    def _configured(self) -> ProviderSettings:
        return self._settings or ProviderSettings.load(lambda _key: None)

    def _api(self) -> AutocallsClient:
        with self._lock:
            if self._client is None:
                self._client = self._configured().client()
            return self._client

    # -- preview-time work: no HTTP -------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = check_inputs(news)
        refused = readoption(olds, checked.inputs)
        found = [*checked.failures, *([refused] if refused is not None else [])]
        return CheckResult(checked.inputs, [CheckFailure(f.field, f.reason) for f in found])

    def diff(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> SipTrunkDiff:
        # Already in the preview: a trunk of another API is neither compared nor changed.
        settings = self._configured()
        trunks.check_same_api(id, olds, settings.base_url, settings.names.base_url)
        result = SipTrunkDiff(compare(olds, news), olds)
        for notice in (result.recreation_notice(id), result.adoption_notice(id)):
            if notice is not None:
                _say(notice)
        return result

    # -- operations that reach the API ------------------------------------------------------------

    @headlined
    def create(self, props: dict[str, Any]) -> CreateResult:
        trunk_id, outputs = trunks.create(self._api(), props)
        return CreateResult(trunk_id, outputs)

    @headlined
    def update(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(trunks.update(self._api(), id, olds, news))

    @headlined
    def read(self, id: str, props: dict[str, Any]) -> ReadResult:
        if is_lookup(props):
            return ReadResult(*trunks.look_up(self._api(), id))
        found = trunks.read(self._api(), id, props)
        return ReadResult(None, {}) if found is None else ReadResult(*found)

    @headlined
    def delete(self, id: str, props: dict[str, Any]) -> None:
        trunks.delete(self._api(), id, props)
