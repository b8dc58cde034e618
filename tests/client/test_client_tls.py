"""TLS verification is always on: a server whose certificate is not trusted never sees a request,
and ``ca_bundle`` is how a private CA is trusted. Real TLS on loopback, with a throwaway
self-signed certificate made by the ``openssl`` command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback_http import QuietHandler, self_signed_certificate, serving
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.models import AccountInfo
from pulumi_autocalls._core.retry import RetryPolicy
from pulumi_autocalls._exceptions import APIConnectionError

KEY = "test-key-0123456789"


class _User(QuietHandler):
    paths: list[str]

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_json(200, {"name": "TLS", "email": "tls@example.com"})


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    cert, _key = self_signed_certificate(tmp_path)
    return cert


@pytest.fixture
def https_server(certificate: Path) -> Iterator[tuple[str, list[str]]]:
    paths: list[str] = []
    tls = (certificate, certificate.with_name("key.pem"))
    with serving(type("User", (_User,), {"paths": paths}), tls=tls) as base_url:
        yield base_url, paths


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
