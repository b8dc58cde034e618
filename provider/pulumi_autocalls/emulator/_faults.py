"""Injected faults: which requests they hit, and the response each one gets instead.

A fault matches a request by method (any when None) and path prefix, and hits the next `times`
matching requests; the first registered fault that matches wins. What the hit request gets:

- ``drop``: the status line and headers of a 200 response promising a body, then the connection
  is closed: httpx raises ``httpx.RemoteProtocolError`` ("peer closed connection without sending
  complete message body"). Journalled with status 0.
- status 429 (or 503): ``{"message": "Too Many Attempts."}`` (503: the reason phrase), with
  ``retry_after`` in the body and/or a ``Retry-After`` header as ``retry_after_in`` says.
- status 500: the documented provisioning-error body of the route (create, update, delete), or
  ``{"message": "Server Error"}`` on any other route.
- status 422: the documented example of a validation error (two fields, their messages), as the
  API would answer a request that breaks rules the client did not check.
- any other status >= 400: ``{"message": "<HTTP reason phrase>"}``.
- a status below 400: no fault at all, the request is carried out normally (useful with
  ``delay_s`` to provoke a client timeout).

``delay_s`` is waited before the answer. With ``after_commit`` the request is first carried out
(committed), then the delay passes, then the fault answers: the "lost response" case.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, replace
from http import HTTPStatus
from typing import Any, Literal

RetryAfterPlacement = Literal["header", "body", "both"]

THROTTLED_MESSAGE = "Too Many Attempts."
GENERIC_SERVER_ERROR = "Server Error"
_PROVISIONING_ERRORS = (
    ("POST", re.compile(r"/api/user/phone-numbers/sip-trunks/?"), "Failed to create SIP trunk."),
    ("PUT", re.compile(r"/api/user/phone-numbers/sip-trunks/[^/]+"), "Failed to update SIP trunk."),
    ("DELETE", re.compile(r"/api/user/phone-numbers/[^/]+"), "Failed to release phone number."),
)
_PROVISIONING_ERROR_ADVICE = "Please try again or contact support."
DOCUMENTED_VALIDATION_ERROR: dict[str, Any] = {
    "message": "The given data was invalid.",
    "errors": {
        "sip_address": ["SIP server address is required."],
        "sip_calling_format": ["SIP calling format must be one of: +e164, e164, national."],
    },
}
_STATUSES_WITH_RETRY_AFTER = (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE)


@dataclass(frozen=True)
class Fault:
    status: int | None  # None only for a dropped connection
    method: str | None = None
    path_prefix: str = "/api"
    times: int = 1
    retry_after: int | None = None
    retry_after_in: RetryAfterPlacement = "both"
    delay_s: float = 0.0
    after_commit: bool = False
    drop: bool = False

    def matches(self, method: str, path: str) -> bool:
        method_matches = self.method is None or self.method.upper() == method.upper()
        return method_matches and path.startswith(self.path_prefix)

    @property
    def replaces_response(self) -> bool:
        """False for a pure delay: the request is then answered normally."""
        return self.drop or (self.status is not None and self.status >= 400)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FaultResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class FaultBook:
    """The registered faults, each with the number of hits it has left."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching the request, after counting this hit against it."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    if fault.times > 1:
                        self._faults[index] = replace(fault, times=fault.times - 1)
                    else:
                        del self._faults[index]
                    return fault
        return None

    def remaining(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


def fault_response(fault: Fault, method: str, path: str) -> FaultResponse:
    """The answer a (non-drop, status >= 400) fault gives to a request."""
    assert fault.status is not None
    status = fault.status
    body: dict[str, Any]
    if status == HTTPStatus.INTERNAL_SERVER_ERROR:
        body = _server_error_body(method, path)
    elif status == HTTPStatus.TOO_MANY_REQUESTS:
        body = {"message": THROTTLED_MESSAGE}
    elif status == HTTPStatus.UNPROCESSABLE_ENTITY:
        body = dict(DOCUMENTED_VALIDATION_ERROR)
    else:
        body = {"message": _reason_phrase(status)}
    headers: dict[str, str] = {}
    if fault.retry_after is not None and status in _STATUSES_WITH_RETRY_AFTER:
        if fault.retry_after_in in ("body", "both"):
            body["retry_after"] = fault.retry_after
        if fault.retry_after_in in ("header", "both"):
            headers["Retry-After"] = str(fault.retry_after)
    return FaultResponse(status=status, body=body, headers=headers)


def _server_error_body(method: str, path: str) -> dict[str, Any]:
    for route_method, route_path, failure in _PROVISIONING_ERRORS:
        if method.upper() == route_method and route_path.fullmatch(path):
            return {"error": f"{failure} {_PROVISIONING_ERROR_ADVICE}"}
    return {"message": GENERIC_SERVER_ERROR}


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
