"""Mistakes in the environment that httpx's constructor would raise as plain exceptions become a
ConfigurationError with one sentence naming the variable and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._exceptions import ConfigurationError


def test_a_socks_proxy_without_socksio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1")

    with pytest.raises(ConfigurationError) as raised:
        AutocallsClient("k" * 20)

    assert raised.value.message == (
        "A proxy set in the environment (HTTPS_PROXY or ALL_PROXY) is a SOCKS proxy, which needs "
        "the socksio package: pip install 'httpx[socks]', or unset the variable."
    )


def test_an_unreadable_ssl_cert_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))

    with pytest.raises(ConfigurationError) as raised:
        AutocallsClient("k" * 20)

    assert raised.value.message == (
        "The certificates named by SSL_CERT_FILE or SSL_CERT_DIR cannot be used "
        "(NO_CERTIFICATE_OR_CRL_FOUND): point the variable at a PEM file of CA certificates, or "
        "unset it."
    )
