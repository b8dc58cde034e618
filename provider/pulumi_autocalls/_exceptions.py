"""The errors of the autocalls client: one hierarchy, keyed on the HTTP status.

::

    AutocallsError                  every error below; .operation, .trunk_id, .attempts
    ├── ConfigurationError          the client cannot be built as configured; nothing was sent
    ├── APIConnectionError          no HTTP answer: the connection failed or dropped
    │   └── APITimeoutError         no answer within the timeout
    ├── UnexpectedResponseError     a success status whose body is not what the endpoint returns
    └── APIStatusError              the API answered with an error status (any other status)
        ├── BadRequestError             400
        ├── AuthenticationError         401
        ├── PermissionDeniedError       403
        ├── NotFoundError               404
        ├── ConflictError               409
        ├── UnprocessableEntityError    422
        ├── RateLimitError              429
        └── InternalServerError         500 and above

Every message is one sentence that starts with the operation, which names the trunk when there is
one: ``list SIP trunks``, ``get SIP trunk 42``, ``create SIP trunk``, ``update SIP trunk 42``,
``delete SIP trunk 42``, ``check API key``. Each class documents its message format; the exact
messages are collected by tests/unit/test_error_messages.py. Where the fix is a setting or an
input, a second sentence says which (``with_hint``): the client adds the API key's setting to a
401, the base URL's to a 404 from a base URL that does not end in /api and to a host that could
not be reached; the resource's operations add what to do about a trunk that is gone.

Secrets: an error keeps no ``httpx.Request`` or ``httpx.Response`` (they carry the Authorization
header) and is never chained to an httpx exception. Everything it holds that came from the server
was scrubbed by the client first (see ``_redact``): ``sip_password`` values read ``"***"`` and the
API key or a password that the server echoed back is replaced by ``"***"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, TypeVar

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AutocallsError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "reason_phrase",
    "status_error",
    "with_hint",
]

# Pinned here rather than taken from http.HTTPStatus, whose phrases change between Python
# versions (422 reads "Unprocessable Content" from 3.13), or from the server, which may send none.
_REASON_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_MAX_API_MESSAGE_LENGTH = 500
_WHITESPACE = re.compile(r"\s+")


def reason_phrase(status_code: int) -> str:
    """The standard reason phrase of a status (``404`` -> ``"Not Found"``), or ``""`` if none."""
    if status_code in _REASON_PHRASES:
        return _REASON_PHRASES[status_code]
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return ""


class AutocallsError(Exception):
    """Base of every error of the autocalls client.

    Attributes:
        message: the one-sentence message (also ``str(error)`` and ``error.args[0]``).
        operation: what was attempted, e.g. ``"get SIP trunk 42"`` (see the module docstring).
        trunk_id: the SIP trunk id the operation concerned, as a string, or None.
        attempts: how many requests the operation sent before giving up (0 if none was sent).
    """

    def __init__(
        self, message: str, *, operation: str, trunk_id: str | None = None, attempts: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.trunk_id = trunk_id
        self.attempts = attempts

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses' keyword-only constructors cannot be called with ``args`` alone, which is
        # what default exception pickling does; restore the attributes instead.
        return (_restore_error, (type(self), self.args, dict(self.__dict__)))


def _restore_error(
    cls: type[AutocallsError], args: tuple[Any, ...], state: dict[str, Any]
) -> AutocallsError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigurationError(AutocallsError):
    """The client cannot be built as configured; no request was sent.

    Its exact messages are collected by tests/unit/test_error_messages.py, one per cause.
    """

    def __init__(self, message: str, *, operation: str = "configure the autocalls client") -> None:
        super().__init__(message, operation=operation)


class APIConnectionError(AutocallsError):
    """No HTTP answer: the connection could not be made, or dropped before a response came.

    Message: ``<operation> failed: could not reach <origin> (<reason>)``, where ``origin`` is
    ``scheme://host[:port]`` of the base URL and ``reason`` is the transport's own short
    explanation, e.g. ``get SIP trunk 42 failed: could not reach https://app.autocalls.ai
    (Connection refused)``.

    Attributes: ``origin``, ``reason``, ``request_sent``: False when no connection was made
    (refused, unresolvable, TLS handshake failed, connect timeout), so the server cannot have
    seen the request; True when it may have (the connection dropped or timed out afterwards).
    """

    def __init__(
        self,
        *,
        operation: str,
        trunk_id: str | None = None,
        origin: str,
        reason: str,
        attempts: int = 0,
        request_sent: bool = True,
    ) -> None:
        super().__init__(
            f"{operation} failed: could not reach {origin} ({reason})",
            operation=operation,
            trunk_id=trunk_id,
            attempts=attempts,
        )
        self.origin = origin
        self.reason = reason
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """No answer within the timeout (connecting, sending, waiting for or reading the response).

    Message: ``<operation> failed: no response from <origin> within <timeout> s``, e.g.
    ``get SIP trunk 42 failed: no response from https://app.autocalls.ai within 30 s``.

    Attributes: ``origin``, ``timeout`` (seconds), ``reason`` (``"no response within <t> s"``),
    ``request_sent`` (False only when the connection itself timed out).
    """

    def __init__(
        self,
        *,
        operation: str,
        trunk_id: str | None = None,
        origin: str,
        timeout: float,
        attempts: int = 0,
        request_sent: bool = True,
    ) -> None:
        AutocallsError.__init__(
            self,
            f"{operation} failed: no response from {origin} within {timeout:g} s",
            operation=operation,
            trunk_id=trunk_id,
            attempts=attempts,
        )
        self.origin = origin
        self.timeout = timeout
        self.reason = f"no response within {timeout:g} s"
        self.request_sent = request_sent


class UnexpectedResponseError(AutocallsError):
    """A success status whose body is not what the endpoint returns (not JSON, wrong shape).

    Message: ``<operation> failed: the API answered HTTP <status> <reason> with an unexpected
    body (<problem>)``, e.g. ``get SIP trunk 42 failed: the API answered HTTP 200 OK with an
    unexpected body (data.outbound_proxy: Input should be a valid boolean)``. The problem names
    fields, never their values.

    Attributes: ``status_code``, ``problem``.
    """

    def __init__(
        self,
        *,
        operation: str,
        trunk_id: str | None = None,
        status_code: int,
        problem: str,
        attempts: int = 0,
    ) -> None:
        status = f"{status_code} {reason_phrase(status_code)}".rstrip()
        super().__init__(
            f"{operation} failed: the API answered HTTP {status} with an unexpected body "
            f"({problem})",
            operation=operation,
            trunk_id=trunk_id,
            attempts=attempts,
        )
        self.status_code = status_code
        self.problem = problem


class APIStatusError(AutocallsError):
    """The API answered with an error status; raised as is for statuses without a subclass.

    Message: ``<operation> failed: HTTP <status> <reason>: <api message>``, where ``reason`` is the
    standard reason phrase and ``api message`` is the body's ``error``, else its ``message``
    (whitespace collapsed, at most 500 characters). Then:

    - if the body has per-field ``errors``, `` (<field>: <msg>; <field>: <msg>)`` is appended,
      one pair per message, in the server's order;
    - if the body has no message, the sentence is ``<operation> failed: HTTP <status> <reason>.``
      (or ends with the field errors);
    - the client appends a hint for 401 and for some 404s (see the module docstring).

    Examples::

        get SIP trunk 42 failed: HTTP 404 Not Found: SIP trunk not found.
        create SIP trunk failed: HTTP 422 Unprocessable Entity: The given data was invalid.
          (sip_address: SIP server address is required.; sip_calling_format: SIP calling format
          must be one of: +e164, e164, national.)
        list SIP trunks failed: HTTP 503 Service Unavailable.

    Attributes:
        status_code: the HTTP status.
        reason: its standard reason phrase (``""`` for an unknown status).
        api_message: the body's ``error``, else ``message``, else the reason phrase.
        field_errors: ``{field: [message, ...]}`` from the body's ``errors``, in server order.
        body: the parsed JSON body with secrets redacted, or None if it was not JSON.
        request_id: the ``X-Request-Id`` response header, if any.
        retry_after: the wait in seconds the server asked for (``Retry-After`` header, else the
            body's ``retry_after``), or None.
    """

    def __init__(
        self,
        *,
        operation: str,
        trunk_id: str | None = None,
        status_code: int,
        body: object = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        attempts: int = 0,
    ) -> None:
        reason = reason_phrase(status_code)
        body_message = _body_message(body)
        field_errors = _field_errors(body)
        super().__init__(
            _status_message(operation, status_code, reason, body_message, field_errors),
            operation=operation,
            trunk_id=trunk_id,
            attempts=attempts,
        )
        self.status_code = status_code
        self.reason = reason
        self.api_message = body_message or reason or f"HTTP {status_code}"
        self.field_errors = field_errors
        self.body = body
        self.request_id = request_id
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400, e.g. ``delete SIP trunk 42 failed: HTTP 400 Bad Request: Phone number is already
    scheduled for release.``"""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked, e.g. ``check API key failed: HTTP 401
    Unauthorized: Unauthenticated. Check the API key (autocalls:apiKey).``"""


class PermissionDeniedError(APIStatusError):
    """403, e.g. a plan limit: ``create SIP trunk failed: HTTP 403 Forbidden: <api message>``."""


class NotFoundError(APIStatusError):
    """404: no such trunk, e.g. ``get SIP trunk 42 failed: HTTP 404 Not Found: SIP trunk not
    found.`` or ``delete SIP trunk 42 failed: HTTP 404 Not Found: Phone number not found.``"""


class ConflictError(APIStatusError):
    """409, e.g. ``create SIP trunk failed: HTTP 409 Conflict: A SIP trunk with the same phone
    number, username, and address already exists.``"""


class UnprocessableEntityError(APIStatusError):
    """422: validation failed; ``field_errors`` holds the per-field messages (APIStatusError)."""


class RateLimitError(APIStatusError):
    """429, e.g. ``list SIP trunks failed: HTTP 429 Too Many Requests: Too Many Attempts.``

    ``retry_after`` holds the wait the server asked for, in seconds, or None. The client raises it
    after its retries run out, at once for a POST, or at once when the server asks for a longer
    wait than ``RetryPolicy.max_retry_after``.
    """


class InternalServerError(APIStatusError):
    """500 and above, e.g. ``create SIP trunk failed: HTTP 500 Internal Server Error: Failed to
    create SIP trunk. Please try again or contact support.``"""


_CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(
    *,
    operation: str,
    trunk_id: str | None = None,
    status_code: int,
    body: object = None,
    request_id: str | None = None,
    retry_after: float | None = None,
    attempts: int = 0,
) -> APIStatusError:
    """The error for an error status, of the class keyed on it (``InternalServerError`` for any
    status from 500, ``APIStatusError`` for a status without a class). ``body`` must be redacted.
    The one place that maps a status to its class."""
    cls = InternalServerError if status_code >= 500 else _CLASS_BY_STATUS.get(status_code)
    cls = cls or APIStatusError
    return cls(
        operation=operation,
        trunk_id=trunk_id,
        status_code=status_code,
        body=body,
        request_id=request_id,
        retry_after=retry_after,
        attempts=attempts,
    )


_Error = TypeVar("_Error", bound=AutocallsError)


def with_hint(error: _Error, hint: str) -> _Error:
    """``error`` with ``hint`` (a sentence on what to do) appended to its message."""
    separator = " " if error.message.endswith((".", "!", "?")) else ". "
    error.message = f"{error.message}{separator}{hint}"
    error.args = (error.message,)
    return error


def _status_message(
    operation: str,
    status_code: int,
    reason: str,
    body_message: str | None,
    field_errors: Mapping[str, list[str]],
) -> str:
    message = f"{operation} failed: HTTP {status_code} {reason}".rstrip()
    if body_message:
        message += f": {body_message}"
    if field_errors:
        pairs = "; ".join(
            f"{field}: {text}" for field, texts in field_errors.items() for text in texts
        )
        message += f" ({pairs})"
    if not body_message and not field_errors:
        message += "."
    return message


def _body_message(body: object) -> str | None:
    if not isinstance(body, Mapping):
        return None
    for key in ("error", "message"):
        value = body.get(key)
        if isinstance(value, str):
            text = _one_line(value)
            if text:
                return text
    return None


def _field_errors(body: object) -> dict[str, list[str]]:
    if not isinstance(body, Mapping):
        return {}
    errors = body.get("errors")
    if not isinstance(errors, Mapping):
        return {}
    result: dict[str, list[str]] = {}
    for field, texts in errors.items():
        items = texts if isinstance(texts, list) else [texts]
        messages = [_one_line(str(text)) for text in items if text is not None]
        if messages:
            result[str(field)] = messages
    return result


def _one_line(text: str) -> str:
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > _MAX_API_MESSAGE_LENGTH:
        text = text[: _MAX_API_MESSAGE_LENGTH - 1].rstrip() + "…"
    return text
