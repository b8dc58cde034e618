"""The resource's operations against the API, for any face: create, adopt, read, update, delete.

They take and return plain property maps (the inputs ``check`` produced, the outputs kept in the
stack), so the dynamic provider and a native provider can both stand on them. Every output map
echoes every input (the engine diffs against outputs) overlaid with the live record, and records
the base URL of the API that holds the trunk (``api_base_url``): read, update and delete refuse a
trunk recorded against another API (``check_same_api``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    AutocallsError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    UnexpectedResponseError,
    with_hint,
)
from .changes import compare, update_body
from .constants import AMBIGUOUS_STATUSES
from .fields import ADOPT_ID, API_BASE_URL, COMPUTED_NAMES, FIELDS, IDENTITY_FIELDS, READABLE_NAMES
from .fields import WRITE_ONLY_NAMES as WRITE_ONLY
from .transport_security import same_base_url

if TYPE_CHECKING:
    from .client import AutocallsClient
    from .models import SipTrunkRecord, SipTrunkSummary

GONE_HINT = (
    "It was deleted outside Pulumi: 'pulumi refresh' drops it from the stack, then "
    "'pulumi up' creates it again."
)
ADOPTED_GONE_HINT = (
    "It was deleted outside Pulumi: 'pulumi refresh' drops it from the stack; then remove "
    f"{ADOPT_ID} from the program for 'pulumi up' to create a new trunk (or point {ADOPT_ID} at "
    "an existing one)."
)


def _adoption_missing_hint(trunk_id: str) -> str:
    """What to do when ``adopt_id`` names a trunk that does not exist. A new trunk is never
    created in its place: the id may be a typo, and only the person running Pulumi knows."""
    return (
        f"{ADOPT_ID} names SIP trunk {trunk_id}, which does not exist (deleted, or a typo): "
        f"remove {ADOPT_ID} to create a new trunk, or set it to the id of an existing one."
    )


def _adopt_id_hint(trunk_id: str) -> str:
    """What a 409 on create tells the user of ``adopt_id`` to do about the trunk it hit."""
    return (
        f"It is SIP trunk {trunk_id}: if this resource should manage it (for example, an earlier "
        f'run created it and lost the answer), set {ADOPT_ID}="{trunk_id}".'
    )


def create(
    client: AutocallsClient,
    inputs: Mapping[str, Any],
    *,
    take_over_hint: Callable[[str], str] = _adopt_id_hint,
) -> tuple[str, dict[str, Any]]:
    """Create the trunk (or adopt the one ``adopt_id`` names); its id and outputs.

    ``take_over_hint(trunk_id)``: the sentence that a 409 (a trunk with the same identity
    exists) adds, saying how the resource can take that trunk over.
    """
    adopt_id = inputs.get(ADOPT_ID)
    if adopt_id:
        record = _adopt(client, str(adopt_id), inputs)
    else:
        record = _CreateOnce(client, api_fields(inputs), take_over_hint).run()
    return str(record.id), outputs(inputs, record, client.base_url)


def update(
    client: AutocallsClient, trunk_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]
) -> dict[str, Any]:
    """Send exactly the changed fields; the new outputs (no request if nothing changed)."""
    _check_same_api(client, trunk_id, olds)
    body = update_body(compare(olds, news), news)
    if not body:
        return {**olds, **_inputs_of(news), API_BASE_URL: client.base_url}
    try:
        record = client.update_sip_trunk(trunk_id, body)
    except NotFoundError as error:
        raise with_hint(error, ADOPTED_GONE_HINT if news.get(ADOPT_ID) else GONE_HINT) from None
    return outputs(news, record, client.base_url)


def read(
    client: AutocallsClient, trunk_id: str, state: Mapping[str, Any]
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The id, live outputs and inputs of a trunk the stack holds, or None if it is gone.

    What the API never returns (the write-only fields, ``adopt_id``) is kept from ``state``.
    """
    _check_same_api(client, trunk_id, state)
    try:
        record = client.get_sip_trunk(trunk_id)
    except NotFoundError:
        return None
    kept = {name: state[name] for name in (*WRITE_ONLY, ADOPT_ID) if name in state}
    inputs = {**record_inputs(record), **kept}
    return str(record.id), outputs(inputs, record, client.base_url), inputs


def look_up(client: AutocallsClient, trunk_id: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The id, live outputs and inputs of an existing trunk; NotFoundError if there is none."""
    record = client.get_sip_trunk(trunk_id)
    inputs = record_inputs(record)
    return str(record.id), outputs(inputs, record, client.base_url), inputs


def delete(client: AutocallsClient, trunk_id: str, state: Mapping[str, Any]) -> None:
    """Delete the trunk; one that is already gone is success."""
    _check_same_api(client, trunk_id, state)
    try:
        # The delete route is shared with paid phone numbers: only delete what is a SIP trunk.
        client.get_sip_trunk(trunk_id)
        client.delete_sip_trunk(trunk_id)
    except NotFoundError:
        return


def may_have_changed(error: AutocallsError) -> bool:
    """Whether a failed request may have changed the trunk all the same: the API answered a
    server error (5xx), the connection was lost after the request was sent, or a success answer
    could not be read. A 4xx, a bad configuration or a connection never made changed nothing."""
    if isinstance(error, APIStatusError):
        return error.status_code >= 500
    if isinstance(error, APIConnectionError):
        return error.request_sent
    return isinstance(error, UnexpectedResponseError)


def check_same_api(trunk_id: str, state: Mapping[str, Any], base_url: str, setting: str) -> None:
    """Refuse (``ConfigurationError``) to act on a trunk that ``state`` records as a trunk of
    another API than ``base_url`` (set by ``setting``).

    Trunk ids are each API's own: trunk 1 of the emulator is not trunk 1 of an account, so a stack
    pointed at another base URL would read, change or delete whatever has the same id there.
    Moving a stack between APIs must be deliberate. A state written before the base URL was
    recorded has none, and is accepted as it is (the next write or read records it).
    """
    recorded = state.get(API_BASE_URL)
    if not isinstance(recorded, str) or not recorded or same_base_url(recorded, base_url):
        return
    raise ConfigurationError(
        f"SIP trunk {trunk_id} is a trunk of {recorded} (recorded in the stack), but the provider "
        f"now uses {base_url} ({setting}): set {setting} back to {recorded}, or start a new stack "
        f"for {base_url} ('pulumi stack init').",
        operation=f"check SIP trunk {trunk_id}",
    )


def _check_same_api(client: AutocallsClient, trunk_id: str, state: Mapping[str, Any]) -> None:
    check_same_api(trunk_id, state, client.base_url, client.setting_names.base_url)


# -- create, safely -------------------------------------------------------------------------------


@dataclass
class _CreateOnce:
    """POST the trunk; never create it twice, never lose one whose answer was lost.

    A POST is not repeated blindly: after an answer that leaves open whether the trunk was
    created (connection lost, timeout, 502/503/504, an unreadable 201), the trunk is looked up by
    its identity first, and the POST is sent again only if the lookup found nothing. A 429 means
    the request was refused unprocessed, and a connection that could not be made never carried
    it: both are sent again without a lookup. The waits are the client's ``RetryPolicy``'s.
    """

    client: AutocallsClient
    body: dict[str, Any]
    take_over_hint: Callable[[str], str]
    may_exist: bool = False
    """An earlier attempt may have reached the API, so a 409 may be this create's own trunk."""
    last_lookup_found_nothing: bool = False
    earlier_failure: AutocallsError | None = None

    def run(self) -> SipTrunkRecord:
        return self.client.retrying(self._attempt, repeatable=self._repeatable)

    def _repeatable(self, _error: AutocallsError) -> bool:
        return self.last_lookup_found_nothing

    def _attempt(self, _number: int) -> SipTrunkRecord:
        self.last_lookup_found_nothing = False
        try:
            return self.client.create_sip_trunk(self.body)
        except ConflictError as conflict:
            if not self.may_exist:
                # Not made by this create: only the person running it can say whether this
                # resource should take the trunk over.
                raise self._naming_the_trunk(conflict) from None
            # Made by an earlier attempt of this create, whose answer was lost.
            found = self._find_after_lost_answer(self.earlier_failure or conflict)
            if found is None:
                raise
            return found
        except AutocallsError as failure:
            self.earlier_failure = failure
            if not self._leaves_open(failure):
                raise
            found = self._find_after_lost_answer(failure)
            if found is not None:
                return found
            self.last_lookup_found_nothing = True
            raise

    def _leaves_open(self, failure: AutocallsError) -> bool:
        """Whether ``failure`` leaves open that the trunk was created (then it is looked up)."""
        if isinstance(failure, APIStatusError):
            self.may_exist |= failure.status_code in AMBIGUOUS_STATUSES
            return failure.status_code in AMBIGUOUS_STATUSES
        if isinstance(failure, APIConnectionError):
            # Once a request may have reached the API, later attempts stay uncertain too.
            self.may_exist |= failure.request_sent
            return self.may_exist
        if isinstance(failure, UnexpectedResponseError):
            self.may_exist = True
            return True
        return False

    def _find_after_lost_answer(self, failure: AutocallsError) -> SipTrunkRecord | None:
        """The trunk a create whose answer was lost made, or None if it made none.

        If the lookup fails too, nobody knows whether the trunk exists: say so, rather than
        report only the lookup's failure (the next create then names the trunk if it exists).
        """
        try:
            found = _find_by_identity(self.client, self.body)
            return None if found is None else self.client.get_sip_trunk(found.id)
        except AutocallsError as lookup:
            raise AutocallsError(
                f"{failure.message}; looking the trunk up afterwards failed too "
                f"({lookup.message}), so it may have been created: if it was, the next "
                "'pulumi up' names it.",
                operation=failure.operation,
                attempts=failure.attempts,
            ) from None

    def _naming_the_trunk(self, conflict: ConflictError) -> ConflictError:
        """``conflict``, saying which trunk it collided with and how to adopt it, if found."""
        try:
            found = _find_by_identity(self.client, self.body)
        except AutocallsError:
            return conflict
        if found is None:
            return conflict
        return with_hint(conflict, self.take_over_hint(str(found.id)))


def _find_by_identity(client: AutocallsClient, body: Mapping[str, Any]) -> SipTrunkSummary | None:
    matches = client.find_sip_trunks(**{name: body.get(name) for name in IDENTITY_FIELDS})
    return matches[0] if matches else None


def _adopt(client: AutocallsClient, trunk_id: str, inputs: Mapping[str, Any]) -> SipTrunkRecord:
    """Take over an existing trunk, then send only the fields that differ from the program.

    The API never shows the password, so the declared one is assumed to be the trunk's current
    password and is not sent (sending it would re-create both voice trunks). A later change of
    ``sip_password`` in the program is sent as usual.
    """
    try:
        record = client.get_sip_trunk(trunk_id)
    except NotFoundError as error:
        raise with_hint(error, _adoption_missing_hint(trunk_id)) from None
    current = {**record_inputs(record), **{n: inputs[n] for n in WRITE_ONLY if n in inputs}}
    body = update_body(compare(current, inputs), inputs)
    if body:
        record = client.update_sip_trunk(trunk_id, body)
    return record


# -- property maps --------------------------------------------------------------------------------


def api_fields(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The create body: every field the API stores that the inputs set."""
    return {f.name: inputs[f.name] for f in FIELDS if inputs.get(f.name) is not None}


def record_inputs(record: SipTrunkRecord) -> dict[str, Any]:
    """The inputs that describe ``record`` as it is live, as ``check`` would normalize them."""
    values = record.model_dump()
    return {name: values[name] for name in READABLE_NAMES if values.get(name) is not None}


def outputs(inputs: Mapping[str, Any], record: SipTrunkRecord, base_url: str) -> dict[str, Any]:
    """Every input echoed (the engine diffs against outputs), overlaid with the live record, and
    ``base_url``, the API that holds it."""
    values = record.model_dump()
    live = {name: values[name] for name in (*READABLE_NAMES, *COMPUTED_NAMES)}
    merged = {**_inputs_of(inputs), **live, API_BASE_URL: base_url}
    return {key: value for key, value in merged.items() if value is not None}


def _inputs_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` without the engine's own entries (``__provider``)."""
    return {key: value for key, value in props.items() if not key.startswith("__")}
