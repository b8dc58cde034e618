"""Request bodies at the ASGI level, below FastAPI: the size limit that every request meets
before anything else looks at it, and the helpers that read a body once and hand it on."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Also nginx's default (client_max_body_size), a likely front of the real API. A create at the
# emulator's field limits (a 10,000-character password, 100 IPv6 addresses) stays far below it.
MAX_BODY_BYTES = 1024 * 1024
BODY_TOO_LARGE = f"The request body must not be larger than {MAX_BODY_BYTES} bytes (1 MB)."


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Answers 413 to a request whose body is larger than MAX_BODY_BYTES: at once when its
    Content-Length says so, else as soon as the bytes read pass the limit. Nothing beyond the
    limit is kept in memory, and the request goes no further (no auth, no journal)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        # h11 has already refused a Content-Length that is not a single decimal number.
        if declared is not None and int(declared) > MAX_BODY_BYTES:
            await _too_large(scope, receive, send)
            return
        try:
            body = await read_body(receive)
        except BodyTooLarge:
            await _too_large(scope, receive, send)
            return
        await self._app(scope, replaying_receive(body, receive), send)


async def read_body(receive: Receive) -> bytes:
    """The whole body of the request (what arrived of it, if the client hung up first); raises
    BodyTooLarge once it passes MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying_receive(raw_body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the app, then waits for the disconnect."""
    body_sent = False

    async def replay() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": raw_body, "more_body": False}
        return await receive()

    return replay


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    # No "Connection: close": uvicorn then reads and drops the rest of the body, so that a client
    # that sends its whole body before it reads the answer still gets the 413.
    response = JSONResponse({"message": BODY_TOO_LARGE}, status_code=413)
    await response(scope, receive, send)
