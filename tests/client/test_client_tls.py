"""TLS verification is always on: a server whose certificate is not trusted never sees a request,
and ``ca_bundle`` is how a private CA is trusted. Real TLS on loopback, with a throwaway
self-signed certificate made by the ``openssl`` command."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pulumi_autocalls._client import AutocallsClient
from pulumi_autocalls._exceptions import APIConnectionError
from pulumi_autocalls._models import AccountInfo
from pulumi_autocalls._retry import RetryPolicy

KEY = "test-key-0123456789"


class _User(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    paths: list[str]

    def do_GET(self) -> None:
        self.paths.append(self.path)
        content = json.dumps({"name": "TLS", "email": "tls@example.com"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
    )
    return cert


@pytest.fixture
def https_server(certificate: Path) -> Iterator[tuple[str, list[str]]]:
    paths: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("User", (_User,), {"paths": paths}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/api", paths
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_untrusted_certificate_fails_before_any_request(
    https_server: tuple[str, list[str]],
) -> None:
    base_url, paths = https_server
    no_retries = RetryPolicy(max_retries=0)
    with (
        AutocallsClient(KEY, base_url=base_url, retry=no_retries) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.me()

    origin = base_url.removesuffix("/api")
    assert str(caught.value).startswith(
        f"check API key failed: could not reach {origin} ([SSL: CERTIFICATE_VERIFY_FAILED] "
        "certificate verify failed: self"
    )
    assert "_ssl.c" not in str(caught.value)
    assert paths == []


def test_ca_bundle_trusts_a_private_ca(
    https_server: tuple[str, list[str]], certificate: Path
) -> None:
    base_url, paths = https_server
    with AutocallsClient(KEY, base_url=base_url, ca_bundle=str(certificate)) as client:
        assert client.me() == AccountInfo(name="TLS", email="tls@example.com")
    assert paths == ["/api/user/me"]
