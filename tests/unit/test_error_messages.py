"""The exact message of every ConfigurationError, one per cause: the list that _exceptions points
to instead of keeping a copy in a docstring. (The messages of the API errors are pinned by
tests/client/test_client_errors.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pulumi_autocalls import AutocallsClient, ConfigurationError
from pulumi_autocalls._core.config import ProviderSettings

KEY = "test-key-0123456789"


def _client(**kwargs: object) -> Callable[[], object]:
    arguments = {"api_key": KEY, **kwargs}
    return lambda: AutocallsClient(**arguments)  # type: ignore[arg-type]


CAUSES: dict[str, tuple[Callable[[], object], str]] = {
    "no key": (
        lambda: ProviderSettings(api_key=None).client(),
        "No autocalls API key is configured. Set it with 'pulumi config set --secret "
        "autocalls:apiKey <key>' or the AUTOCALLS_API_KEY environment variable.",
    ),
    "unsendable key": (
        _client(api_key="key with spaces"),
        "The autocalls API key contains characters that cannot be sent in an HTTP header "
        "(only printable ASCII without spaces is allowed).",
    ),
    "plain http to a remote host": (
        _client(base_url="http://example.invalid/api"),
        "Refusing to send the autocalls API key over plain http to example.invalid; use "
        "https:// (plain http is allowed only for loopback addresses).",
    ),
    "unsupported scheme": (
        _client(base_url="ftp://example.invalid/api"),
        "Unsupported scheme 'ftp' in the autocalls base URL; use https://.",
    ),
    "no host": (_client(base_url="https:///api"), "The autocalls base URL has no host."),
    "user info": (
        _client(base_url="https://user:pw@example.invalid/api"),
        "The autocalls base URL must not contain a user name or password.",
    ),
    "timeout": (
        _client(timeout=0),
        "The autocalls client timeout must be a positive number of seconds, got 0.",
    ),
    "user agent": (
        _client(user_agent_extra="caf\u00e9"),
        "The User-Agent suffix must be printable ASCII, got 'caf\u00e9'.",
    ),
    "settings: timeout": (
        lambda: ProviderSettings.load({"autocalls:timeout": "soon"}.get, {}),
        "autocalls:timeout (or AUTOCALLS_TIMEOUT) must be a number (got 'soon').",
    ),
    "settings: retries": (
        lambda: ProviderSettings.load({"autocalls:maxRetries": "-1"}.get, {}),
        "autocalls:maxRetries must be 0 or more.",
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
