"""A thin proxy in front of the emulator that changes one documented behaviour at a time: what a
real API that differs from its documentation would look like to ``pulumi-autocalls doctor``.

Each deviation is a middleware: it gets the request and a way to forward it to the emulator, and
returns the answer the doctor sees. The proxy keeps every request it was sent (bodies included),
so that a test knows the passwords the doctor made up.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from loopback_http import QuietHandler, serving
from pulumi_autocalls.emulator import EmulatorProcess


@dataclass
class Request:
    method: str
    path: str
    """As sent to the proxy, ``/api/...``."""
    body: Any
    authorization: str


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Forward = Callable[[Request], Answer]
Deviation = Callable[[Request, Forward], Answer]


def as_documented(request: Request, forward: Forward) -> Answer:
    return forward(request)


@dataclass
class Proxy:
    base_url: str
    requests: list[Request]


@contextmanager
def deviating_api(emulator: EmulatorProcess, deviation: Deviation) -> Iterator[Proxy]:
    """Serve the emulator's API through ``deviation`` on a loopback port of its own."""
    requests: list[Request] = []
    lock = threading.Lock()
    upstream = httpx.Client(base_url=emulator.root_url, timeout=30)

    def forward(request: Request) -> Answer:
        response = upstream.request(
            request.method,
            request.path,
            headers={"Authorization": request.authorization, "Accept": "application/json"},
            json=request.body if request.method in ("POST", "PUT", "PATCH") else None,
        )
        return Answer(response.status_code, response.json() if response.content else None)

    class Handler(QuietHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Request(
                self.command,
                self.path,
                json.loads(raw) if raw else None,
                self.headers.get("Authorization", ""),
            )
            with lock:
                requests.append(request)
            answer = deviation(request, forward)
            content = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    with upstream, serving(Handler) as base_url:
        yield Proxy(base_url, requests)


def trunk_objects(body: Any) -> list[dict[str, Any]]:
    """The trunk objects of an answer: ``data`` itself, or each item of a ``data`` list."""
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    return []
