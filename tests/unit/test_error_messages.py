"""The exact message of every ConfigurationError, one per cause: the list that _exceptions points
to instead of keeping a copy in a docstring. (The messages of the API errors are pinned by
tests/client/test_client_errors.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_autocalls import AutocallsClient, ConfigurationError
from pulumi_autocalls._core.config import ProviderSettings

KEY = "test-key-0123456789"


def _client(**kwargs: object) -> Callable[[], object]:
    arguments = {"api_key": KEY, **kwargs}
    return lambda: AutocallsClient(**arguments)  # type: ignore[arg-type]


def _settings(config: dict[str, str], environ: dict[str, str] | None = None) -> Callable[[], Any]:
    """Settings as the provider loads them: stack config, else the environment."""
    return lambda: ProviderSettings.load(config.get, environ or {}).client()


def _command_line(environ: dict[str, str]) -> Callable[[], object]:
    """Settings as ``pulumi-autocalls adopt`` loads them: the environment only."""
    return lambda: ProviderSettings.load(None, environ).client()


NO_SCHEME = "has no scheme: it needs https:// in front (http:// only for a loopback address, "

CAUSES: dict[str, tuple[Callable[[], object], str]] = {
    "no key": (
        lambda: ProviderSettings(api_key=None).client(),
        "No autocalls API key is configured. Set it with 'pulumi config set --secret "
        "autocalls:apiKey <key>' or the AUTOCALLS_API_KEY environment variable.",
    ),
    "no key (command line)": (
        _command_line({}),
        "No autocalls API key is configured. Set the AUTOCALLS_API_KEY environment variable.",
    ),
    "unsendable key": (
        _client(api_key="key with spaces"),
        "The autocalls API key contains characters that cannot be sent in an HTTP header "
        "(only printable ASCII without spaces is allowed).",
    ),
    "plain http to a remote host": (
        _client(base_url="http://example.invalid/api"),
        "Refusing to send the autocalls API key over plain http to example.invalid "
        "(autocalls:baseUrl); use https:// (plain http is allowed only for loopback addresses).",
    ),
    "no scheme": (
        _client(base_url="localhost:8799/api"),
        f"The autocalls base URL (autocalls:baseUrl) {NO_SCHEME}such as the emulator's).",
    ),
    "no scheme, from the environment": (
        _settings({}, {"AUTOCALLS_API_KEY": KEY, "AUTOCALLS_BASE_URL": "localhost:8799/api"}),
        f"The autocalls base URL (AUTOCALLS_BASE_URL) {NO_SCHEME}such as the emulator's).",
    ),
    "no scheme, from the command line": (
        _command_line({"AUTOCALLS_API_KEY": KEY, "AUTOCALLS_BASE_URL": "localhost:8799/api"}),
        f"The autocalls base URL (AUTOCALLS_BASE_URL) {NO_SCHEME}such as the emulator's).",
    ),
    "unsupported scheme": (
        _client(base_url="ftp://example.invalid/api"),
        "Unsupported scheme 'ftp' in the autocalls base URL (autocalls:baseUrl); use https://.",
    ),
    "no host": (
        _client(base_url="https:///api"),
        "The autocalls base URL (autocalls:baseUrl) has no host.",
    ),
    "user info": (
        _client(base_url="https://user:pw@example.invalid/api"),
        "The autocalls base URL (autocalls:baseUrl) must not contain a user name or password.",
    ),
    "timeout": (
        _client(timeout=0),
        "The autocalls client timeout must be a positive number of seconds, got 0.",
    ),
    "user agent": (
        _client(user_agent_extra="caf\u00e9"),
        "The User-Agent suffix must be printable ASCII, got 'caf\u00e9'.",
    ),
    "settings: timeout not a number": (
        _settings({"autocalls:timeout": "soon"}),
        "autocalls:timeout must be a number of seconds greater than 0 (got 'soon').",
    ),
    "settings: timeout 0, from the environment": (
        _settings({}, {"AUTOCALLS_TIMEOUT": "0"}),
        "AUTOCALLS_TIMEOUT must be a number of seconds greater than 0 (got '0').",
    ),
    "settings: timeout not finite": (
        _settings({"autocalls:timeout": "inf"}),
        "autocalls:timeout must be a number of seconds greater than 0 (got 'inf').",
    ),
    "settings: retries not whole, from the environment": (
        _settings({}, {"AUTOCALLS_MAX_RETRIES": "2.5"}),
        "AUTOCALLS_MAX_RETRIES must be a whole number, 0 or more (got '2.5').",
    ),
    "settings: retries negative": (
        _settings({"autocalls:maxRetries": "-1"}),
        "autocalls:maxRetries must be a whole number, 0 or more (got '-1').",
    ),
    "settings: the command line reads the environment": (
        _command_line({"AUTOCALLS_API_KEY": KEY, "AUTOCALLS_TIMEOUT": "abc"}),
        "AUTOCALLS_TIMEOUT must be a number of seconds greater than 0 (got 'abc').",
    ),
}


@pytest.mark.parametrize("cause", list(CAUSES))
def test_each_configuration_error_is_one_exact_sentence(cause: str) -> None:
    build, message = CAUSES[cause]
    with pytest.raises(ConfigurationError) as caught:
        build()
    assert str(caught.value) == message


def test_an_unusable_ca_bundle_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, ca_bundle=str(missing))
    assert str(caught.value).startswith(f"The CA bundle {missing} cannot be used: ")
