"""The HTTP stack's own DEBUG log (httpx, httpcore) never shows a secret, even when the server
echoes the API key or the password in its response headers."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from loopback_http import QuietHandler, serving
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.http_logs import HTTP_LOGGERS
from pulumi_autocalls._core.retry import RetryPolicy
from pulumi_autocalls._exceptions import AuthenticationError, UnprocessableEntityError
from trunk_samples import TRUNK_ARGS

API_KEY = "canary-key-5e1f0c2d9b"
PASSWORD = "canary-pass-83kq"


class _Echo(QuietHandler):
    """Answers every request with the key and any password it received, in its headers."""

    def _echo(self, status: int) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        content = b'{"message": "no"}'
        self.send_response(status)
        self.send_header("X-Request-Id", key)
        self.send_header("WWW-Authenticate", f'Bearer error="{key}"')
        if PASSWORD.encode() in body:
            self.send_header("X-Echo", PASSWORD)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:
        self._echo(401)

    def do_POST(self) -> None:
        self._echo(422)


def test_echoed_secrets_never_reach_any_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with serving(_Echo) as base_url:
        client = AutocallsClient(API_KEY, base_url=base_url, retry=RetryPolicy(max_retries=0))
        with pytest.raises(AuthenticationError):
            client.list_sip_trunks()
        with pytest.raises(UnprocessableEntityError):
            client.create_sip_trunk({**TRUNK_ARGS, "sip_password": PASSWORD})

    by_logger: dict[str, list[str]] = {}
    for record in caplog.records:
        by_logger.setdefault(record.name, []).append(record.getMessage())
    assert {"httpx", "httpcore.http11"} <= set(by_logger)
    everything = caplog.text + repr(by_logger)
    assert API_KEY not in everything
    assert PASSWORD not in everything
    assert any("receive_response_headers.complete" in m for m in by_logger["httpcore.http11"])


def test_every_http_logger_carries_the_filter() -> None:
    filtered: dict[str, Any] = {
        name: [type(f).__name__ for f in logging.getLogger(name).filters] for name in HTTP_LOGGERS
    }

    assert filtered == {name: ["_ScrubbingFilter"] for name in HTTP_LOGGERS}
