"""The FastAPI application of the emulator: routes, error bodies and traffic middleware wired
around one EmulatorState."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from ._api import (
    Unauthenticated,
    build_api_router,
    unauthenticated_response,
    validation_failed_response,
)
from ._bodies import BodyLimitMiddleware
from ._control import build_control_router
from ._control_guard import ControlGuardMiddleware
from ._state import EmulatorState
from ._traffic import ApiTrafficMiddleware
from ._validation import ValidationFailed

APP_TITLE = "autocalls SIP trunk API (local emulator)"
APP_VERSION = "1.0"
_PROBED_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def create_app(
    api_keys: Sequence[str],
    db_path: str,
    latency_ms: float = 0,
    *,
    control_token: str | None = None,
) -> FastAPI:
    """An emulator app that accepts any of `api_keys` and keeps its trunks in SQLite at
    `db_path` (":memory:" for a throwaway store), adding `latency_ms` to every /api request.

    Its control routes need `control_token` if one is given, else a loopback Host (see
    _control_guard); every request meets the 1 MB body limit first (see _bodies)."""
    if isinstance(api_keys, str):
        raise TypeError("api_keys must be a sequence of keys, not a single string")
    state = EmulatorState.open(api_keys, db_path, latency_ms)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.store.close()

    app = FastAPI(title=APP_TITLE, version=APP_VERSION, lifespan=lifespan)
    app.state.emulator = state
    app.include_router(build_api_router(state.trunks, state.settings))
    app.include_router(build_control_router(state))
    app.add_exception_handler(Unauthenticated, _on_unauthenticated)
    app.add_exception_handler(ValidationFailed, _on_validation_failed)
    app.add_exception_handler(HTTPException, _on_http_exception)
    # The last one added runs first: the body limit, then the control guard, then the traffic.
    app.add_middleware(
        ApiTrafficMiddleware,
        journal=state.journal,
        faults=state.faults,
        settings=state.settings,
    )
    app.add_middleware(ControlGuardMiddleware, control_token=control_token)
    app.add_middleware(BodyLimitMiddleware)
    return app


async def _on_unauthenticated(_request: Request, _error: Exception) -> JSONResponse:
    return unauthenticated_response()


async def _on_validation_failed(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ValidationFailed)
    return validation_failed_response(error.errors)


async def _on_http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code != 405:
        return await http_exception_handler(request, error)
    # Starlette's Allow header names the methods of the first route that matched the path only;
    # here each method of a path is its own route, so ask every route about every method.
    allowed = ", ".join(_methods_of_path(request))
    return JSONResponse({"detail": error.detail}, status_code=405, headers={"Allow": allowed})


def _methods_of_path(request: Request) -> list[str]:
    routes = request.app.router.routes
    return [
        method
        for method in _PROBED_METHODS
        if any(route.matches(_probe(request, method))[0] is Match.FULL for route in routes)
    ]


def _probe(request: Request, method: str) -> dict[str, object]:
    return {
        "type": "http",
        "method": method,
        "path": request.scope["path"],
        "root_path": request.scope.get("root_path", ""),
        "headers": [],
    }
