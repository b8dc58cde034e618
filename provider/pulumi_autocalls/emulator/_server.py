"""Runs an emulator app under uvicorn on a socket bound up front, and announces readiness."""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

READY_LINE_PREFIX = "Autocalls emulator ready at "
# What uvicorn logs when a drop fault abandons a response on purpose.
_DROPPED_RESPONSE_LOG = "ASGI callable returned without completing response."
_GRACEFUL_SHUTDOWN_TIMEOUT_S = 1


def base_url(host: str, port: int) -> str:
    url_host = f"[{host}]" if ":" in host else host
    return f"http://{url_host}:{port}/api"


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port (port 0: a free port chosen by the OS)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP matters: asyncio only disables Nagle's algorithm on accepted
    # sockets whose proto says TCP; with proto 0 every keep-alive response waits ~40 ms for a
    # delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: FastAPI, sock: socket.socket, host: str) -> None:
    """Serves `app` on `sock` until SIGINT/SIGTERM; prints the ready line once it accepts
    connections."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        http="h11",
        ws="none",
        lifespan="on",
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_TIMEOUT_S,
    )
    logging.getLogger("uvicorn.error").addFilter(_hide_dropped_response_log)
    ready_line = READY_LINE_PREFIX + base_url(host, sock.getsockname()[1])
    server = _AnnouncingServer(config, lambda: print(ready_line, flush=True))
    server.run(sockets=[sock])


class _AnnouncingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self._announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._announce()


def _hide_dropped_response_log(record: logging.LogRecord) -> bool:
    return record.getMessage() != _DROPPED_RESPONSE_LOG
