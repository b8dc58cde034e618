"""What the API answered to each operation the doctor runs through the provider's own client."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .._core.client import ObservedResponse
from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    AutocallsError,
    UnexpectedResponseError,
    reason_phrase,
)

_Value = TypeVar("_Value")


class Recorder:
    """The client's observer: every answer, retries included, in order."""

    def __init__(self) -> None:
        self.answers: list[ObservedResponse] = []

    def __call__(self, answer: ObservedResponse) -> None:
        self.answers.append(answer)

    def run(self, operation: Callable[[], _Value]) -> Outcome[_Value]:
        """Run ``operation`` (calls of the client), keeping its result or its error, and the
        answers it drew."""
        start = len(self.answers)
        try:
            value, error = operation(), None
        except AutocallsError as failure:
            value, error = None, failure
        return Outcome(value, error, tuple(self.answers[start:]))


@dataclass(frozen=True)
class Outcome(Generic[_Value]):
    value: _Value | None
    error: AutocallsError | None
    answers: tuple[ObservedResponse, ...]

    def answer(self, method: str) -> ObservedResponse | None:
        """The last answer to a ``method`` request."""
        return next((a for a in reversed(self.answers) if a.method == method), None)


def data(answer: ObservedResponse | None) -> Any:
    """The ``data`` of an answer's body, or None."""
    body = answer.body if answer is not None else None
    return body.get("data") if isinstance(body, Mapping) else None


def seen(answer: ObservedResponse | None) -> str:
    """``201 Created``, or ``no answer``."""
    if answer is None:
        return "no answer"
    return f"{answer.status_code} {reason_phrase(answer.status_code)}".rstrip()


def failure(error: AutocallsError, answer: ObservedResponse | None) -> str:
    """What went wrong, short: ``405 Method Not Allowed: <API message> (Allow: PATCH)``,
    ``200 OK with an unexpected body (no 'data' object)``, or the transport's reason."""
    if isinstance(error, APIStatusError):
        text = f"{error.status_code} {error.reason}".rstrip()
        if error.api_message != error.reason:
            text += f": {error.api_message}"
        allow = answer.allow if answer is not None else None
        return f"{text} (Allow: {allow})" if allow else text
    if isinstance(error, UnexpectedResponseError):
        phrase = f"{error.status_code} {reason_phrase(error.status_code)}".rstrip()
        return f"{phrase} with an unexpected body ({error.problem})"
    if isinstance(error, APIConnectionError):
        return f"no answer ({error.reason})"
    return error.message
