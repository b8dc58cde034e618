"""Who may use the control routes (/_emulator/...), decided before FastAPI sees the request.

The control plane can wipe every trunk, install API keys and read the journal, so a request is
refused unless, in this order:

1. it has no Origin header, or one of a page served from this machine (403): a web page
   elsewhere cannot drive it, even with a "simple" cross-site request;
2. with a control token: it carries ``Authorization: Bearer <token>`` (401); without one: its
   Host is a loopback name or address (403), which defeats DNS rebinding (a page whose own name
   was made to resolve to 127.0.0.1 still sends its own name as Host);
3. a request that changes something (any method but GET and HEAD) is sent as
   ``Content-Type: application/json`` (415), which no cross-site form or simple request can do;
4. a body, if any, is JSON the emulator reads (_json_body) (422).
"""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ._bodies import read_body, replaying_receive
from ._control import CONTROL_PREFIX
from ._hosts import is_loopback_host_header, is_loopback_origin
from ._json_body import UnreadableJson, read_json

TOKEN_REQUIRED = (
    "This control request needs the emulator's control token: send it as "
    "'Authorization: Bearer <token>'."
)
JSON_REQUIRED = (
    "A control request that changes something must be sent with 'Content-Type: application/json'."
)
_READ_ONLY_METHODS = ("GET", "HEAD")


def foreign_origin_message(origin: str) -> str:
    return (
        f"Control requests from web pages are refused: the Origin {origin!r} is not this machine."
    )


def foreign_host_message(host: str | None) -> str:
    return (
        f"Control requests must be addressed to this machine: the Host {host!r} is not a "
        "loopback name or address."
    )


class ControlGuardMiddleware:
    def __init__(self, app: ASGIApp, *, control_token: str | None) -> None:
        self._app = app
        self._expected_authorization = (
            None if control_token is None else b"Bearer " + control_token.encode()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_control_path(scope["path"]):
            await self._app(scope, receive, send)
            return
        refusal = self._refusal(scope["method"], Headers(scope=scope))
        body = b""
        if refusal is None:
            body = await read_body(receive)
            refusal = _unreadable_body(body)
        if refusal is not None:
            status, message = refusal
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            response = JSONResponse({"detail": message}, status_code=status, headers=headers)
            await response(scope, receive, send)
            return
        await self._app(scope, replaying_receive(body, receive), send)

    def _refusal(self, method: str, headers: Headers) -> tuple[int, str] | None:
        origin = headers.get("origin")
        if origin is not None and not is_loopback_origin(origin):
            return 403, foreign_origin_message(origin)
        if self._expected_authorization is not None:
            if not self._authorized(headers.get("authorization")):
                return 401, TOKEN_REQUIRED
        elif not is_loopback_host_header(headers.get("host", "")):
            return 403, foreign_host_message(headers.get("host"))
        if method not in _READ_ONLY_METHODS and not _is_json(headers.get("content-type")):
            return 415, JSON_REQUIRED
        return None

    def _authorized(self, authorization: str | None) -> bool:
        assert self._expected_authorization is not None
        # Starlette decodes header values as latin-1: encoding them back gives the bytes sent.
        given = (authorization or "").encode("latin-1")
        return secrets.compare_digest(given, self._expected_authorization)


def _is_control_path(path: str) -> bool:
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def _is_json(content_type: str | None) -> bool:
    return content_type is not None and (
        content_type.split(";", 1)[0].strip().lower() == "application/json"
    )


def _unreadable_body(body: bytes) -> tuple[int, str] | None:
    if not body.strip():
        return None
    try:
        read_json(body)
    except UnreadableJson as error:
        return 422, str(error)
    return None
