"""ASGI middleware around every /api request: latency, injected faults, and the journal.

It works at the ASGI level, below FastAPI, because a dropped connection and a response that is
swapped after the request was carried out cannot be expressed as a normal response.
"""

from __future__ import annotations

import asyncio

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._bodies import read_body, replaying_receive
from ._faults import Fault, FaultBook, fault_response
from ._journal import DROPPED_CONNECTION_STATUS, Journal
from ._settings import RuntimeSettings

API_PREFIX = "/api"
# Promised in the headers of a dropped response and never sent.
_DROPPED_BODY_LENGTH = b"64"


class ApiTrafficMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        journal: Journal,
        faults: FaultBook,
        settings: RuntimeSettings,
    ) -> None:
        self._app = app
        self._journal = journal
        self._faults = faults
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_api_path(scope["path"]):
            await self._app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        # Read in full already, and within the size limit, by BodyLimitMiddleware.
        raw_body = await read_body(receive)
        replay = replaying_receive(raw_body, receive)
        if self._settings.latency_ms > 0:
            await asyncio.sleep(self._settings.latency_ms / 1000)
        fault = self._faults.take(method, path)
        if fault is None or not fault.replaces_response:
            if fault is not None:
                await asyncio.sleep(fault.delay_s)
            status = await self._carry_out(scope, replay, send)
        else:
            status = await self._answer_with_fault(fault, scope, replay, send)
        self._journal.record(method, path, status, raw_body)

    async def _carry_out(self, scope: Scope, receive: Receive, send: Send) -> int:
        """Runs the request through the app; returns the status it answered with."""
        status = DROPPED_CONNECTION_STATUS

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self._app(scope, receive, recording_send)
        return status

    async def _answer_with_fault(
        self, fault: Fault, scope: Scope, receive: Receive, send: Send
    ) -> int:
        if fault.after_commit:
            await self._carry_out(scope, receive, _discard)
        await asyncio.sleep(fault.delay_s)
        if fault.drop:
            await _drop_connection(send)
            return DROPPED_CONNECTION_STATUS
        answer = fault_response(fault, scope["method"], scope["path"])
        response = JSONResponse(answer.body, status_code=answer.status, headers=answer.headers)
        await response(scope, receive, send)
        return answer.status


def _is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


async def _discard(message: Message) -> None:
    pass


async def _drop_connection(send: Send) -> None:
    # Start a response whose body never comes and return: uvicorn then closes the connection
    # ("ASGI callable returned without completing response"), which the client sees as a
    # peer that hung up mid-response.
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", _DROPPED_BODY_LENGTH),
            ],
        }
    )
