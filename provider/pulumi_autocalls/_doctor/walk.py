"""``doctor --write``: one throwaway trunk walked through the API contract by the provider's own
operations (``_core/trunks``), so that each step expects what the provider expects: the body it
sends, the voice trunks its preview says are re-created (``compare``), and outputs that show no
change afterwards.

The steps: create, read back; an update of each field the API can change (each row of the
re-provisioning table, from the field table); a field sent with its current value; each field
that null clears, cleared; a switch of the inbound authorization and back, with the allow-list
changed in between; each documented refusal; a duplicate; delete through the phone-number route,
then a 404 from both routes. Whatever happens, every trunk the run made is deleted afterwards
(``throwaway.remove``), with Ctrl-C held off meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from .._core import trunks
from .._core.changes import compare, update_body
from .._core.client import AutocallsClient, ObservedResponse
from .._core.fields import FIELDS, FIELDS_BY_NAME, IDENTITY_FIELDS, Field, Kind, VoiceTrunk
from .._core.validation import check_inputs
from .._exceptions import APIStatusError, AutocallsError, UnexpectedResponseError
from .documented import (
    CREATED,
    DELETED,
    DUPLICATE,
    INVALID,
    PHONE_NUMBER_NOT_FOUND,
    READ,
    REFUSALS,
    TRUNK_NOT_FOUND,
    UPDATED,
    Refusal,
)
from .observe import Outcome, Recorder, data, seen
from .report import Check, Deviation, Report, not_run
from .shapes import (
    NOT_FOUND_UNSEEN,
    READ_FAILS,
    expected_fields,
    names,
    quoted,
    refusal,
    success,
)
from .throwaway import Throwaway, Unreachable, remove

AUTHORIZATION = FIELDS_BY_NAME["inbound_authorization_type"]
ALLOW_LIST = next(f for f in FIELDS if f.kind is Kind.IP_LIST)
UPDATABLE = tuple(f for f in FIELDS if not f.create_only and f not in (AUTHORIZATION, ALLOW_LIST))
"""The fields updated one by one; the authorization and its allow-list change together."""
SAME_VALUE = next(f for f in UPDATABLE if f.recreates and not f.write_only)
"""The field sent with its current value: one whose change would re-create voice trunks."""
CLEARABLE = tuple(f for f in FIELDS if f.cleared_by_null)

_CREATE_FAILS = "the provider could not create trunks: `pulumi up` fails for every new trunk"
_DELETE_FAILS = "`pulumi destroy` would fail"
_CHECKED_FIRST = (
    "the provider checks this rule itself before sending, and shows the API's message as it comes"
)
_LOOKUP = (
    "after a create whose answer was lost, the provider would not find its trunk and would fail "
    "(or create it again)"
)
_Step = Callable[[str], Check]


class Walk:
    """The steps, and the state of the throwaway trunk between them."""

    def __init__(
        self, client: AutocallsClient, recorder: Recorder, run: Throwaway, report: Report
    ) -> None:
        self.client = client
        self.recorder = recorder
        self.run = run
        self.report = report
        self.inputs = run.inputs
        self.outputs: dict[str, Any] = {}
        self.trunk_id: str | None = None
        self.created_as_answered = False
        """The outputs are the create's answer (not the inputs, taken as sent)."""
        self.made: set[int] = set()

    def walk(self) -> None:
        """Every step in order, each adding its check; then the cleanup, whatever happened."""
        try:
            self.report.add(self._create("create"))
            steps = self._steps()
            if self.trunk_id is None:
                why = "the throwaway trunk could not be created"
                self.report.add(*not_run([name for name, _ in steps], why))
                return
            for name, step in steps:
                try:
                    self.report.add(step(name))
                except Unreachable as why:
                    self.report.add(Check(name, "", "", not_run=f"after the steps before: {why}"))
        finally:
            self.report.add(remove(self.client, self.run, self.made))

    def _steps(self) -> list[tuple[str, _Step]]:
        steps: list[tuple[str, _Step]] = [("read back", self._read_back)]
        steps += [(f"update {f.name}", partial(self._change, f)) for f in UPDATABLE]
        steps.append((f"same {SAME_VALUE.name}", self._same_value))
        steps += [(f"clear {f.name}", partial(self._clear, f)) for f in CLEARABLE]
        current = self.inputs[AUTHORIZATION.name]
        other = self.run.changed(AUTHORIZATION, current)
        steps += [
            (f"switch to {other}", partial(self._switch, other)),
            (f"update {ALLOW_LIST.name}", partial(self._change, ALLOW_LIST)),
            (f"switch to {current}", partial(self._switch, current)),
        ]
        steps += [(f"refuse {r.field}", partial(self._refusal, r)) for r in REFUSALS]
        steps += [
            ("duplicate", self._duplicate),
            ("delete", self._delete),
            ("gone", self._gone),
            ("delete again", self._delete_again),
        ]
        return steps

    # -- create and read ------------------------------------------------------------------------

    def _create(self, name: str) -> Check:
        inputs = self.inputs
        expected = f"{CREATED.describe()}: {expected_fields('record')} as sent"
        outcome = self.recorder.run(lambda: trunks.create(self.client, inputs))
        post = outcome.answer("POST")
        made = self._note_made(post)
        deviations = success(outcome, "POST", CREATED, _CREATE_FAILS)
        if outcome.value is None:
            # An answer the client could not read may still show the trunk: then the walk goes
            # on with it, taking it as sent.
            self.trunk_id = None if made is None else str(made)
            self.outputs = dict(inputs)
            return Check(name, expected, seen(post), tuple(deviations))
        trunk_id, self.outputs = outcome.value
        self.trunk_id, self.created_as_answered = trunk_id, True
        self.made.add(int(trunk_id))
        sent = trunks.api_fields(inputs)
        deviations += _drift(self.outputs, inputs, sent=sent, answer=post)
        return Check(name, expected, f"{seen(post)}, id {trunk_id}", tuple(deviations))

    def _note_made(self, answer: ObservedResponse | None) -> int | None:
        """The id of the trunk a create answer shows, even one the client could not read; it
        is deleted at the end."""
        trunk = data(answer)
        trunk_id = trunk.get("id") if isinstance(trunk, Mapping) else None
        if isinstance(trunk_id, int) and not isinstance(trunk_id, bool) and trunk_id > 0:
            self.made.add(trunk_id)
            return trunk_id
        return None

    def _read_back(self, name: str) -> Check:
        expected = f"{READ.describe()}: the trunk as the create answered it"
        outcome = self._read()
        deviations = success(outcome, "GET", READ, READ_FAILS)
        if outcome.error is None and outcome.value is None:
            deviations.append(
                Deviation("404 right after create", "a refresh would drop the trunk", False)
            )
        elif outcome.value is not None and self.created_as_answered:
            live = outcome.value[1]
            deviations += [
                Deviation(
                    f"`{key}` differs from the create's answer",
                    "a refresh right after `pulumi up` would show a change nobody made",
                    False,
                )
                for key in sorted(set(self.outputs) | set(live))
                if self.outputs.get(key) != live.get(key)
            ]
        if outcome.value is not None:
            self.outputs = outcome.value[1]
        return Check(name, expected, seen(outcome.answer("GET")), tuple(deviations))

    def _read(self) -> Outcome[tuple[str, dict[str, Any], dict[str, Any]] | None]:
        trunk_id, state = self._id(), self.outputs
        return self.recorder.run(lambda: trunks.read(self.client, trunk_id, state))

    def _resync(self) -> None:
        """After a failed step: the trunk as it is live, if it can be read."""
        outcome = self._read()
        if outcome.value is not None:
            _, self.outputs, self.inputs = outcome.value

    # -- updates ----------------------------------------------------------------------------------

    def _change(self, item: Field, name: str) -> Check:
        changed = self.run.changed(item, self.inputs.get(item.name))
        return self._apply(name, self.run.checked({**self.inputs, item.name: changed}))

    def _clear(self, item: Field, name: str) -> Check:
        kept = {key: value for key, value in self.inputs.items() if key != item.name}
        return self._apply(name, self.run.checked(kept))

    def _switch(self, authorization: str, name: str) -> Check:
        """Switch to ``authorization``, with an allow-list if the provider's check then needs
        one, else without (the API clears it)."""
        news = {k: v for k, v in self.inputs.items() if k != ALLOW_LIST.name}
        news[AUTHORIZATION.name] = authorization
        if check_inputs(news).failures:
            news[ALLOW_LIST.name] = self.run.changed(ALLOW_LIST, None)
        return self._apply(name, self.run.checked(news))

    def _apply(self, name: str, news: dict[str, Any]) -> Check:
        """Update the trunk from its outputs to ``news`` as the provider does, and check that the
        answer carries what was sent, keeps what was not, and re-creates exactly the voice trunks
        that ``compare`` (what the preview shows) says."""
        olds = self.outputs
        changes = compare(olds, news)
        body = update_body(changes, news)
        if not body:
            raise Unreachable("the provider sees nothing to change, so it sends no update")
        expected = f"{UPDATED.describe()}: {_values(body)}; {_trunks(changes.recreates)}"
        trunk_id = self._id()
        outcome = self.recorder.run(lambda: trunks.update(self.client, trunk_id, olds, news))
        put = outcome.answer("PUT")
        deviations = success(outcome, "PUT", UPDATED, _update_fails(outcome.error, body))
        if outcome.value is None:
            self._resync()
            return Check(name, expected, seen(put), tuple(deviations))
        outputs = outcome.value
        renewed = _renewed(olds, outputs)
        deviations += _drift(outputs, news, sent=body, answer=put, cleared=changes.changed)
        deviations += _recreations(renewed, changes.recreates, list(body))
        self.inputs, self.outputs = news, outputs
        return Check(name, expected, f"{seen(put)}, {_trunks(renewed)}", tuple(deviations))

    def _same_value(self, name: str) -> Check:
        body = {SAME_VALUE.name: self.outputs.get(SAME_VALUE.name)}
        expected = f"{UPDATED.describe()}: {_values(body)} (unchanged); {_trunks(frozenset())}"
        trunk_id = self._id()
        outcome = self.recorder.run(lambda: self.client.update_sip_trunk(trunk_id, body))
        put = outcome.answer("PUT")
        deviations = success(outcome, "PUT", UPDATED, _update_fails(outcome.error, body))
        if outcome.value is None:
            self._resync()
            return Check(name, expected, seen(put), tuple(deviations))
        outputs = trunks.outputs(self.inputs, outcome.value, self.client.base_url)
        renewed = _renewed(self.outputs, outputs)
        deviations += [
            Deviation(
                f"new {trunk.label} id",
                "the provider never sends a value that did not change, so it is unaffected; but "
                "the table's rows hold for any field sent, changed or not",
                True,
            )
            for trunk in sorted(renewed)
        ]
        self.outputs = outputs
        return Check(name, expected, f"{seen(put)}, {_trunks(renewed)}", tuple(deviations))

    # -- refusals ---------------------------------------------------------------------------------

    def _refusal(self, documented: Refusal, name: str) -> Check:
        expected = f'{INVALID.status_text}, errors.{documented.field}: "{documented.message}"'
        if documented.operation == "create":
            # Another trunk's identity, so that only the refused field can fail the request.
            other = {
                field_name: self.run.changed(FIELDS_BY_NAME[field_name], self.inputs[field_name])
                for field_name in IDENTITY_FIELDS
            }
            fields = trunks.api_fields(self.run.checked({**self.inputs, **other}))
            body = _with(fields, documented.change)
            outcome: Outcome[Any] = self.recorder.run(lambda: self.client.create_sip_trunk(body))
            method = "POST"
            self._note_made(outcome.answer(method))
        else:
            trunk_id, body = self._id(), _with({}, documented.change)
            outcome = self.recorder.run(lambda: self.client.update_sip_trunk(trunk_id, body))
            method = "PUT"
        deviations = refusal(
            outcome,
            method,
            INVALID,
            on_status=(_CHECKED_FIRST, True),
            accepted=(f"the API accepted it; {_CHECKED_FIRST}", True),
        )
        answer = outcome.answer(method)
        error = outcome.error
        if isinstance(error, APIStatusError) and error.status_code == INVALID.status:
            messages = error.field_errors.get(documented.field, [])
            if documented.message not in messages:
                shown = "none" if not messages else "; ".join(f'"{m}"' for m in messages)
                deviations.append(
                    Deviation(f"errors.{documented.field}: {shown}", _CHECKED_FIRST, True)
                )
        if outcome.error is None and method == "PUT":
            self._resync()
        return Check(name, expected, seen(answer), tuple(deviations))

    def _duplicate(self, name: str) -> Check:
        expected = f"{DUPLICATE.describe()}; the list finds the trunk by its identity"
        body = trunks.api_fields(self.inputs)
        outcome = self.recorder.run(lambda: self.client.create_sip_trunk(body))
        post = outcome.answer("POST")
        self._note_made(post)
        deviations = refusal(
            outcome,
            "POST",
            DUPLICATE,
            on_status=(
                "the provider knows a duplicate by its 409: it could not name the trunk a create "
                "collided with (and suggest adopt_id)",
                False,
            ),
            accepted=(
                "the API allows two trunks with the same phone number, username and address: "
                "after a create whose answer was lost, the provider could take the wrong one",
                False,
            ),
        )
        identity = {f: self.inputs[f] for f in IDENTITY_FIELDS}
        found = self.recorder.run(lambda: self.client.find_sip_trunks(**identity))
        if found.error is not None:
            deviations.append(Deviation(f"listing failed: {found.error.message}", _LOOKUP, False))
        elif found.value is None or int(self._id()) not in {t.id for t in found.value}:
            deviations.append(
                Deviation(
                    f"the list does not find trunk {self._id()} by {', '.join(IDENTITY_FIELDS)}",
                    _LOOKUP,
                    False,
                )
            )
        return Check(name, expected, seen(post), tuple(deviations))

    # -- delete -----------------------------------------------------------------------------------

    def _delete(self, name: str) -> Check:
        expected = f"{DELETED.describe()} (DELETE /user/phone-numbers/{{id}})"
        trunk_id = self._id()
        outcome = self.recorder.run(lambda: trunks.delete(self.client, trunk_id, self.outputs))
        answer = outcome.answer("DELETE")
        if answer is None and outcome.error is None:
            deviation = Deviation(
                "the SIP trunk route says the trunk does not exist", _DELETE_FAILS, False
            )
            return Check(name, expected, seen(outcome.answer("GET")), (deviation,))
        deviations = success(outcome, "DELETE", DELETED, _DELETE_FAILS)
        return Check(name, expected, seen(answer), tuple(deviations))

    def _gone(self, name: str) -> Check:
        trunk_id = self._id()
        outcome = self.recorder.run(lambda: self.client.get_sip_trunk(trunk_id))
        deviations = refusal(
            outcome,
            "GET",
            TRUNK_NOT_FOUND,
            on_status=(NOT_FOUND_UNSEEN, False),
            accepted=("the trunk is still there: `pulumi destroy` would leave it behind", False),
        )
        answer = outcome.answer("GET")
        return Check(name, TRUNK_NOT_FOUND.describe(), seen(answer), tuple(deviations))

    def _delete_again(self, name: str) -> Check:
        trunk_id = self._id()
        outcome = self.recorder.run(lambda: self.client.delete_sip_trunk(trunk_id))
        deviations = refusal(
            outcome,
            "DELETE",
            PHONE_NUMBER_NOT_FOUND,
            on_status=(
                "the provider takes only a 404 as 'already gone': a delete retried after a lost "
                "answer would fail",
                False,
            ),
            accepted=("the provider is unaffected", True),
        )
        answer = outcome.answer("DELETE")
        return Check(name, PHONE_NUMBER_NOT_FOUND.describe(), seen(answer), tuple(deviations))

    def _id(self) -> str:
        if self.trunk_id is None:
            raise AssertionError("a step ran without a throwaway trunk")
        return self.trunk_id


def _update_fails(error: AutocallsError | None, body: Mapping[str, Any]) -> str:
    if isinstance(error, UnexpectedResponseError):
        return (
            "the update may have been made, but the provider would fail to read the new voice "
            "trunk ids (`pulumi up` fails)"
        )
    return f"the provider could not change {names(body)} in place: `pulumi up` fails"


def _drift(
    outputs: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    sent: Mapping[str, Any],
    answer: ObservedResponse | None,
    cleared: tuple[str, ...] = (),
) -> list[Deviation]:
    """What the provider would see as a change right after applying ``news``: each is a field
    that did not come back as sent, was not cleared as the provider relies on, or changed
    unsent. A field missing from the ``answer`` is left out: its own deviation says more."""
    trunk = data(answer)
    returned = set(trunk) if isinstance(trunk, Mapping) else set()
    deviations = []
    for field_name in compare(outputs, news).changed:
        if field_name not in returned:
            continue
        got = _shown(field_name, outputs.get(field_name))
        if field_name in sent:
            deviations.append(
                Deviation(
                    f"`{field_name}` came back as {got}, not as sent",
                    "the provider would show a change on every preview and send it again",
                    False,
                )
            )
        elif field_name in cleared:
            deviations.append(
                Deviation(
                    f"`{field_name}` is {got}, not cleared",
                    "the provider leaves it out and relies on the API to clear it: every "
                    "preview would show a change",
                    False,
                )
            )
        else:
            deviations.append(
                Deviation(
                    f"`{field_name}` changed to {got} although it was not sent",
                    "the provider sends only what changed: its updates would change "
                    f"`{field_name}` behind the program's back",
                    False,
                )
            )
    return deviations


def _renewed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> frozenset[VoiceTrunk]:
    """The voice trunks whose id changed (of those whose id was known)."""
    return frozenset(
        trunk
        for trunk in VoiceTrunk
        if olds.get(trunk.id_output) and news.get(trunk.id_output) != olds.get(trunk.id_output)
    )


def _recreations(
    renewed: frozenset[VoiceTrunk], expected: frozenset[VoiceTrunk], sent: list[str]
) -> list[Deviation]:
    fields = names(sent)
    deviations = [
        Deviation(
            f"{trunk.label} id kept",
            f"the re-provisioning table says {fields} re-creates the {trunk.label}: previews "
            "would announce a re-creation that does not happen",
            True,
        )
        for trunk in sorted(expected - renewed)
    ]
    deviations += [
        Deviation(
            f"new {trunk.label} id",
            f"previews would not announce that a change of {fields} re-creates the "
            f"{trunk.label} (its calls may drop without warning)",
            False,
        )
        for trunk in sorted(renewed - expected)
    ]
    return deviations


def _trunks(recreated: frozenset[VoiceTrunk]) -> str:
    if not recreated:
        return "voice trunk ids kept"
    labels = " and ".join(trunk.value for trunk in sorted(recreated))
    return f"new {labels} trunk id{'s' if len(recreated) > 1 else ''}"


def _values(body: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} = {_shown(name, value)}" for name, value in body.items())


def _shown(name: str, value: Any) -> str:
    field = FIELDS_BY_NAME.get(name)
    if field is not None and field.secret:
        return "<secret>"
    return "null" if value is None else quoted(value)


def _with(fields: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` with ``change`` applied: a None in ``change`` leaves the field out."""
    merged = {**fields, **change}
    return {key: value for key, value in merged.items() if value is not None}
