"""Comparing one answer with the model: the envelope with its documented form, and a trunk
object with the response models (rendered from the field table) and the field table's rules.

Deviations name fields, statuses, the API's messages and choices outside the field table, never
another value of a trunk: the report may be attached to a public issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from .._core.client import ObservedResponse
from .._core.fields import (
    COMPUTED_NAMES,
    IDENTITY_FIELDS,
    PROPERTIES_BY_NAME,
    WRITE_ONLY_NAMES,
    Kind,
    VoiceTrunk,
)
from .._core.models import SipTrunkRecord, SipTrunkSummary
from .documented import Answer
from .observe import Outcome, failure, seen
from .report import Deviation

Where = Literal["list", "record"]

_MODELS: dict[Where, type[SipTrunkSummary]] = {"list": SipTrunkSummary, "record": SipTrunkRecord}
LIST_FAILS = (
    "listing would fail: the provider could not find the trunk of a create whose answer was "
    "lost, nor name the trunk a duplicate create collided with"
)
READ_FAILS = "the provider would fail to read the trunk (create, refresh and update would fail)"
NOT_FOUND_UNSEEN = (
    "the provider knows a missing trunk by its 404: a refresh would fail on a trunk deleted "
    "outside Pulumi instead of dropping it"
)
_ANY_SUCCESS = ("the provider accepts any success status", True)
_UNREAD = "the provider does not read it"
_RECOVERED = "the provider takes the answer as lost and finds the new trunk by its identity"
_WORDS = (
    "the provider tells errors apart by their status alone; only its messages, which quote the "
    "API, would read differently"
)
_MAX_MESSAGE = 200


def expected_fields(where: Where) -> str:
    """The documented fields of a trunk, as the expected side of a check says it."""
    return f"the trunk's {len(_MODELS[where].model_fields)} fields"


def success(
    outcome: Outcome[Any], method: str, documented: Answer, fails: str, where: Where = "record"
) -> list[Deviation]:
    """How the success answer to ``method`` differs from ``documented`` (envelope, then the trunk
    in ``data``); if the provider's call failed for a reason none of that explains, that failure.
    ``fails`` says what the call failing does to the provider."""
    answer = outcome.answer(method)
    deviations = []
    if answer is not None and answer.status_code < 400:
        call_failed = outcome.error is not None
        deviations += envelope(answer, documented, on_status=_ANY_SUCCESS)
        body = answer.body if isinstance(answer.body, Mapping) else {}
        if answer.body is None:
            consequence = fails if call_failed else _UNREAD
            deviations.append(Deviation("a body that is not JSON", consequence, not call_failed))
        elif "data" not in body and "data" in documented.keys:
            ok = not call_failed
            deviations.append(Deviation("no `data`", _RECOVERED if ok else fails, ok))
        elif "data" in body and where == "record":
            deviations += trunk_object(body["data"], where)
    if outcome.error is not None and all(d.provider_ok for d in deviations):
        deviations.append(Deviation(failure(outcome.error, answer), fails, False))
    return deviations


def refusal(
    outcome: Outcome[Any],
    method: str,
    documented: Answer,
    *,
    on_status: tuple[str, bool],
    accepted: tuple[str, bool],
) -> list[Deviation]:
    """How the answer to a request the API should refuse differs from ``documented``.

    ``on_status`` and ``accepted``: what another error status, or a success, means for the
    provider, and whether it still behaves correctly."""
    answer = outcome.answer(method)
    if outcome.error is None:
        return [Deviation(f"{seen(answer)}: accepted", *accepted)]
    if answer is None:
        return [Deviation(failure(outcome.error, None), "the answer could not be checked", False)]
    return envelope(answer, documented, on_status=on_status)


def envelope(
    answer: ObservedResponse, documented: Answer, *, on_status: tuple[str, bool]
) -> list[Deviation]:
    """How ``answer`` differs from ``documented`` in its status, the keys of its body (``data``
    aside: see ``success``) and the documented text."""
    if answer.status_code != documented.status:
        # Another answer altogether: its body is no version of the documented one.
        return [Deviation(f"{seen(answer)} instead of {documented.status}", *on_status)]
    deviations = []
    if not isinstance(answer.body, Mapping):
        if answer.status_code >= 400:
            deviations.append(Deviation("a body that is not a JSON object", _WORDS, True))
        return deviations
    body = answer.body
    missing = [key for key in documented.keys if key not in body and key != "data"]
    if missing:
        deviations.append(
            Deviation(
                f"no {names(missing)}",
                _UNREAD if answer.status_code < 400 else _WORDS,
                True,
            )
        )
    key, text = documented.text_key, documented.text
    if key is not None and key in body and body[key] != text:
        consequence = _UNREAD if answer.status_code < 400 else _WORDS
        deviations.append(Deviation(f"{key} {quoted(body[key])}", consequence, True))
    return deviations


def trunk_object(value: Any, where: Where) -> list[Deviation]:
    """How a trunk object differs from the model: missing and unknown fields, values outside the
    field table's choices, and voice trunk ids without a value."""
    if not isinstance(value, Mapping):
        return [Deviation("a trunk that is not an object", _fails(where), False)]
    model = _MODELS[where]
    deviations = [_missing(name, model, where) for name in model.model_fields if name not in value]
    deviations += _unexpected(sorted(str(key) for key in value if key not in model.model_fields))
    for name, item in value.items():
        prop = PROPERTIES_BY_NAME.get(str(name))
        if prop is None or prop.name not in model.model_fields or item is None:
            continue
        if prop.kind is Kind.CHOICE and item not in prop.choices:
            deviations.append(
                Deviation(
                    f"{prop.name} {quoted(item)}",
                    f"the field table allows only {prop.rule}: a trunk with this value could not "
                    "be adopted, and a refresh would show a change",
                    False,
                )
            )
    if where == "record":
        for trunk in VoiceTrunk:
            if trunk.id_output in value and value[trunk.id_output] is None:
                deviations.append(_no_value(trunk.id_output, "null"))
    return deviations


def _missing(name: str, model: type[SipTrunkSummary], where: Where) -> Deviation:
    if model.model_fields[name].is_required():
        return Deviation(f"no `{name}`", _fails(where), False)
    if where == "list":
        if name in IDENTITY_FIELDS:
            return Deviation(f"no `{name}`", LIST_FAILS, False)
        return Deviation(
            f"no `{name}`", "the provider does not read it from the list (only adopt does)", True
        )
    return _no_value(name, "missing")


def _no_value(name: str, how: str) -> Deviation:
    if name in COMPUTED_NAMES:
        return Deviation(f"`{name}` {how}", f"the provider's `{name}` output would be empty", False)
    return Deviation(
        f"`{name}` {how}",
        f"the provider would read `{name}` as unset: a trunk that sets it would show a change "
        "on every preview",
        False,
    )


def _unexpected(fields: list[str]) -> list[Deviation]:
    """Fields the model does not expect here: write-only ones, ones documented for other answers
    (the voice trunk ids in the list), and ones the field table does not know."""
    write_only = [name for name in fields if name in WRITE_ONLY_NAMES]
    elsewhere = [name for name in fields if name in PROPERTIES_BY_NAME and name not in write_only]
    unknown = [name for name in fields if name not in PROPERTIES_BY_NAME]
    deviations = []
    if write_only:
        deviations.append(
            Deviation(
                f"returns {names(write_only)}",
                "the provider treats it as write-only and ignores what comes back",
                True,
            )
        )
    if elsewhere:
        deviations.append(
            Deviation(
                f"also returns {names(elsewhere)}",
                "documented only for get, create and update; the provider ignores it here",
                True,
            )
        )
    if unknown:
        deviations.append(
            Deviation(
                f"unknown fields {names(unknown)}",
                "the provider ignores them; the field table does not know them, so programs "
                "cannot set them",
                True,
            )
        )
    return deviations


def names(fields: Iterable[str]) -> str:
    """Field names as the report writes them: `a`, `b`."""
    return ", ".join(f"`{name}`" for name in fields)


def _fails(where: Where) -> str:
    return LIST_FAILS if where == "list" else READ_FAILS


def quoted(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"
