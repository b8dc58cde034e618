"""SipTrunkProvider: the dynamic provider behind ``SipTrunk``.

The engine facts this class is shaped by (shared/engine-semantics.md):
- it is pickled by reference into every resource's ``__provider`` input, so the instance carries
  no state at all (``__getstate__``); settings arrive in ``configure()`` in the provider process;
- one instance serves up to four threads at once, so the lazily built HTTP client is guarded;
- ``olds`` in ``diff``/``update`` are the old *outputs*, which therefore echo every input;
- ``check`` and ``diff`` run during previews and make no HTTP request.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from ._config import ProviderSettings
from ._diff import SipTrunkDiff, compare, update_body
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    AutocallsError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    UnexpectedResponseError,
)
from ._fields import ADOPT_ID, FIELDS, IDENTITY_FIELDS
from ._inputs import check_inputs

if TYPE_CHECKING:  # the HTTP stack is loaded on the first API call (see ProviderSettings.client)
    from ._client import AutocallsClient
    from ._models import SipTrunk as SipTrunkRecord
    from ._models import SipTrunkSummary
    from ._retry import RetryPolicy

_CLIENT_LOCK = threading.Lock()
_AMBIGUOUS_STATUSES = frozenset({502, 503, 504})


class SipTrunkProvider(ResourceProvider):
    """Check, diff, create, read, update and delete autocalls SIP trunks."""

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    # -- configuration -------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        settings = ProviderSettings.load(req.config.get)
        with _CLIENT_LOCK:
            self._settings = settings
            self._client: AutocallsClient | None = None

    def _settings_now(self) -> ProviderSettings:
        settings: ProviderSettings | None = self.__dict__.get("_settings")
        return settings if settings is not None else ProviderSettings.load(lambda _key: None)

    def _api(self) -> AutocallsClient:
        with _CLIENT_LOCK:
            client: AutocallsClient | None = self.__dict__.get("_client")
            if client is None:
                client = self._settings_now().client()
                self._client = client
            return client

    # -- preview-time work: no HTTP -------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = check_inputs(news)
        failures = [CheckFailure(f.field, f.reason) for f in checked.failures]
        return CheckResult(checked.inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> SipTrunkDiff:
        result = SipTrunkDiff(compare(_olds, _news), _olds)
        notice = result.recreation_notice(_id)
        if notice is not None:
            sys.stderr.write(notice + "\n")
            sys.stderr.flush()
        return result

    # -- operations that reach the API ------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        adopt_id = props.get(ADOPT_ID)
        record = self._adopt(str(adopt_id), props) if adopt_id else self._create(props)
        return CreateResult(str(record.id), _outputs(props, record))

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        body = update_body(compare(_olds, _news), _news)
        if not body:
            return UpdateResult({**_olds, **_inputs_of(_news)})
        try:
            record = self._api().update_sip_trunk(_id, body)
        except NotFoundError as error:
            raise _with_hint(error, _GONE_HINT) from None
        return UpdateResult(_outputs(_news, record))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        is_lookup = "created_at" not in props
        try:
            record = self._api().get_sip_trunk(id_)
        except NotFoundError:
            if is_lookup:
                raise
            return ReadResult(None, {})
        kept = {name: props[name] for name in _WRITE_ONLY if name in props}
        if ADOPT_ID in props:
            kept[ADOPT_ID] = props[ADOPT_ID]
        inputs = {**_record_inputs(record), **kept}
        return ReadResult(str(record.id), _outputs(inputs, record), inputs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        client = self._api()
        try:
            # The delete route is shared with paid phone numbers: only delete what is a SIP trunk.
            client.get_sip_trunk(_id)
            client.delete_sip_trunk(_id)
        except NotFoundError:
            return

    # -- create, safely ----------------------------------------------------------------------------

    def _create(self, props: Mapping[str, Any]) -> SipTrunkRecord:
        """POST the trunk; never create it twice, never lose one whose response was lost.

        A POST is not repeated blindly: after an answer that leaves open whether the trunk was
        created (connection lost, timeout, 502/503/504, an unreadable 201), the trunk is looked
        up by its identity first. A 429 means the request was refused unprocessed, and a
        connection that could not be made never carried it: both are sent again after waiting.
        """
        client = self._api()
        body = _api_fields(props)
        policy = client.retry
        uncertain = False
        attempt = 0
        while True:
            try:
                return client.create_sip_trunk(body)
            except RateLimitError as error:
                failure: AutocallsError = error
                wait = error.retry_after
            except ConflictError as error:
                if not uncertain:
                    # Not made by this create: only the person running it can say whether this
                    # resource should take the trunk over.
                    raise self._naming_the_trunk(error, body) from None
                # Made by an earlier attempt of this create, whose answer was lost.
                found = self._find_after_lost_answer(failure, body)
                if found is None:
                    raise
                return found
            except APIStatusError as error:
                if error.status_code not in _AMBIGUOUS_STATUSES:
                    raise
                failure, wait, uncertain = error, None, True
            except APIConnectionError as error:
                # Once a request may have reached the API, later attempts stay uncertain too.
                failure, wait, uncertain = error, None, uncertain or error.request_sent
            except UnexpectedResponseError as error:
                failure, wait, uncertain = error, None, True
            if uncertain:
                found = self._find_after_lost_answer(failure, body)
                if found is not None:
                    return found
            if attempt >= policy.max_retries:
                raise failure
            _sleep(policy, attempt, wait)
            attempt += 1

    def _find_by_identity(self, body: Mapping[str, Any]) -> SipTrunkSummary | None:
        for summary in self._api().list_sip_trunks():
            if all(getattr(summary, name) == body.get(name) for name in IDENTITY_FIELDS):
                return summary
        return None

    def _find_after_lost_answer(
        self, failure: AutocallsError, body: Mapping[str, Any]
    ) -> SipTrunkRecord | None:
        """The trunk a create whose answer was lost made, or None if it made none.

        If the lookup fails too, nobody knows whether the trunk exists: say so, rather than
        report only the lookup's failure (the next create then names the trunk if it exists).
        """
        try:
            found = self._find_by_identity(body)
            return None if found is None else self._api().get_sip_trunk(found.id)
        except AutocallsError as lookup:
            raise AutocallsError(
                f"{failure.message}; looking the trunk up afterwards failed too "
                f"({lookup.message}), so it may have been created: if it was, the next "
                "'pulumi up' names it.",
                operation=failure.operation,
                attempts=failure.attempts,
            ) from None

    def _naming_the_trunk(self, conflict: ConflictError, body: Mapping[str, Any]) -> ConflictError:
        """``conflict``, saying which trunk it collided with and how to adopt it, if found."""
        try:
            found = self._find_by_identity(body)
        except AutocallsError:
            return conflict
        if found is None:
            return conflict
        return _with_hint(
            conflict,
            f"It is SIP trunk {found.id}: if this resource should manage it (for example, "
            f'an earlier run created it and lost the answer), set {ADOPT_ID}="{found.id}".',
        )

    def _adopt(self, trunk_id: str, props: Mapping[str, Any]) -> SipTrunkRecord:
        """Take over an existing trunk, then send only the fields that differ from the program.

        The API never shows the password, so the declared one is assumed to be the trunk's
        current password and is not sent (sending it would re-create both voice trunks). A later
        change of ``sip_password`` in the program is sent as usual.
        """
        client = self._api()
        record = client.get_sip_trunk(trunk_id)
        current = {
            **_record_inputs(record),
            **{name: props[name] for name in _WRITE_ONLY if name in props},
        }
        body = update_body(compare(current, props), props)
        if body:
            record = client.update_sip_trunk(trunk_id, body)
        return record


_WRITE_ONLY = tuple(field.name for field in FIELDS if field.write_only)
_RECORD_FIELDS = tuple(field.name for field in FIELDS if not field.write_only)
_COMPUTED = ("inbound_trunk_id", "outbound_trunk_id", "created_at", "updated_at")


def _inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if not key.startswith("__")}


def _api_fields(props: Mapping[str, Any]) -> dict[str, Any]:
    return {f.name: props[f.name] for f in FIELDS if props.get(f.name) is not None}


def _record_inputs(record: SipTrunkRecord) -> dict[str, Any]:
    """The inputs that describe ``record`` as it is live, as ``check`` would normalize them."""
    values = record.model_dump()
    return {name: values[name] for name in _RECORD_FIELDS if values.get(name) is not None}


def _outputs(inputs: Mapping[str, Any], record: SipTrunkRecord) -> dict[str, Any]:
    """Every input echoed (the engine diffs against outputs), overlaid with the live record."""
    values = record.model_dump()
    live = {name: values[name] for name in (*_RECORD_FIELDS, *_COMPUTED)}
    outputs = {**_inputs_of(inputs), **live}
    return {key: value for key, value in outputs.items() if value is not None}


_Error = TypeVar("_Error", bound=AutocallsError)
_GONE_HINT = (
    "It was deleted outside Pulumi: 'pulumi refresh' drops it from the stack, then "
    "'pulumi up' creates it again."
)


def _with_hint(error: _Error, hint: str) -> _Error:
    """``error`` with ``hint`` (a sentence on what to do) appended to its message."""
    separator = " " if error.message.endswith((".", "!", "?")) else ". "
    error.message = f"{error.message}{separator}{hint}"
    error.args = (error.message,)
    return error


def _sleep(policy: RetryPolicy, attempt: int, wait: float | None) -> None:
    delay = wait if wait is not None else policy.backoff(attempt)
    time.sleep(min(delay, policy.max_retry_after) + random.uniform(0, 0.05))
