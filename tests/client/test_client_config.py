"""Building a client: what it refuses before any request leaves, and what it never shows.

Every client here sends through a transport that fails the test if it is ever called: these rules
must hold before anything reaches the network.
"""

from __future__ import annotations

import inspect
import pickle

import certifi
import dill  # type: ignore[import-untyped]
import httpx
import pytest
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.transport_security import base_url_problem
from pulumi_autocalls._exceptions import ConfigurationError

KEY = "test-key-0123456789"
MISSING_KEY = (
    "No autocalls API key is configured. Set it with "
    "'pulumi config set --secret autocalls:apiKey <key>' or the AUTOCALLS_API_KEY "
    "environment variable."
)


def _no_network(request: httpx.Request) -> httpx.Response:
    pytest.fail(f"a request left the client: {request.method} {request.url}")


NO_NETWORK = httpx.MockTransport(_no_network)


@pytest.mark.parametrize("key", ["", "   ", "\n", None])
def test_missing_api_key_says_how_to_set_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(key, transport=NO_NETWORK)
    assert str(caught.value) == MISSING_KEY


@pytest.mark.parametrize("key", ["two words", "tab\there", "naïve-key", "line\nbreak"])
def test_api_key_that_cannot_be_a_header_is_refused_without_showing_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(key, transport=NO_NETWORK)
    assert str(caught.value) == (
        "The autocalls API key contains characters that cannot be sent in an HTTP header "
        "(only printable ASCII without spaces is allowed)."
    )


@pytest.mark.parametrize(
    ("base_url", "host"),
    [
        ("http://app.autocalls.ai/api", "app.autocalls.ai"),
        ("http://10.0.0.5:8080/api", "10.0.0.5"),
        ("http://128.0.0.1/api", "128.0.0.1"),
        ("http://[2001:db8::1]/api", "2001:db8::1"),
        ("http://localhost.example.com/api", "localhost.example.com"),
    ],
)
def test_plain_http_to_a_non_loopback_host_is_refused_before_anything_is_sent(
    base_url: str, host: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, base_url=base_url, transport=NO_NETWORK)
    assert str(caught.value) == (
        f"Refusing to send the autocalls API key over plain http to {host} (autocalls:baseUrl); "
        "use https:// (plain http is allowed only for loopback addresses)."
    )
    assert KEY not in repr(caught.value.args)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080/api",
        "http://127.4.5.6/api",
        "http://localhost:9/api",
        "http://LOCALHOST/api",
        "http://[::1]:8080/api",
        "https://app.autocalls.ai/api",
        "https://10.0.0.5/api",
    ],
)
def test_https_anywhere_and_plain_http_on_loopback_are_accepted(base_url: str) -> None:
    with AutocallsClient(KEY, base_url=base_url, transport=NO_NETWORK) as client:
        assert client.base_url == base_url.replace("LOCALHOST", "localhost")


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        (
            "ftp://app.autocalls.ai/api",
            "Unsupported scheme 'ftp' in the autocalls base URL (autocalls:baseUrl); use https://.",
        ),
        (
            "ws://127.0.0.1/api",
            "Unsupported scheme 'ws' in the autocalls base URL (autocalls:baseUrl); use https://.",
        ),
        ("app.autocalls.ai/api", "The autocalls base URL (autocalls:baseUrl) has no scheme: "),
        ("localhost:8799/api", "The autocalls base URL (autocalls:baseUrl) has no scheme: "),
        ("https:///api", "The autocalls base URL (autocalls:baseUrl) has no host."),
        (
            "https://user:pw@app.autocalls.ai/api",
            "The autocalls base URL (autocalls:baseUrl) must not contain a user name or password.",
        ),
        (
            "https://app.autocalls.ai:port/api",
            "The autocalls base URL (autocalls:baseUrl) is not a valid URL.",
        ),
    ],
)
def test_other_base_urls_are_refused(base_url: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, base_url=base_url, transport=NO_NETWORK)
    assert str(caught.value).startswith(message)
    assert "pw" not in str(caught.value)
    # A preview says the same without building a client (or loading httpx).
    assert base_url_problem(base_url, "autocalls:baseUrl") == str(caught.value)


def test_the_preview_check_accepts_what_the_client_accepts() -> None:
    for base_url in ("https://app.autocalls.ai/api", "http://127.0.0.1:8787/api", "http://[::1]/"):
        AutocallsClient(KEY, base_url=base_url, transport=NO_NETWORK).close()
        assert base_url_problem(base_url, "autocalls:baseUrl") is None


def test_tls_verification_cannot_be_turned_off() -> None:
    parameters = inspect.signature(AutocallsClient).parameters
    assert "verify" not in parameters
    with pytest.raises(TypeError):
        AutocallsClient(KEY, verify=False)  # type: ignore[call-arg]


def test_a_ca_bundle_is_loaded_and_a_missing_one_refused() -> None:
    AutocallsClient(KEY, ca_bundle=certifi.where()).close()
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, ca_bundle="/nonexistent/ca.pem")
    assert str(caught.value) == (
        "The CA bundle /nonexistent/ca.pem cannot be used: No such file or directory."
    )


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan"), float("inf"), True])
def test_timeout_must_be_a_positive_number(timeout: float) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, timeout=timeout, transport=NO_NETWORK)
    assert str(caught.value) == (
        f"The autocalls client timeout must be a positive number of seconds, got {timeout!r}."
    )


def test_user_agent_suffix_must_be_printable_ascii() -> None:
    with pytest.raises(ConfigurationError) as caught:
        AutocallsClient(KEY, user_agent_extra="bad\nvalue", transport=NO_NETWORK)
    assert str(caught.value) == "The User-Agent suffix must be printable ASCII, got 'bad\\nvalue'."


def test_repr_shows_the_base_url_and_never_the_key() -> None:
    client = AutocallsClient(KEY, base_url="https://app.autocalls.ai/api/", transport=NO_NETWORK)
    assert repr(client) == "AutocallsClient(base_url='https://app.autocalls.ai/api')"
    assert str(client) == repr(client)
    assert KEY not in repr(client._http.auth)
    client.close()
    client.close()  # idempotent


def test_client_refuses_to_be_pickled() -> None:
    client = AutocallsClient(KEY, transport=NO_NETWORK)
    message = "AutocallsClient cannot be pickled: it holds the API key and open connections"
    with pytest.raises(TypeError, match=message):
        pickle.dumps(client)
    with pytest.raises(TypeError, match=message):
        dill.dumps(client)


@pytest.mark.parametrize("bad_id", ["abc", "4 2", "42a", "", "-1", "0", 0, -3, True, 4.2, None])
def test_non_numeric_trunk_id_raises_value_error_naming_it(bad_id: object) -> None:
    client = AutocallsClient(KEY, transport=NO_NETWORK)
    for call in (
        lambda: client.get_sip_trunk(bad_id),  # type: ignore[arg-type]
        lambda: client.update_sip_trunk(bad_id, {"nickname": "x"}),  # type: ignore[arg-type]
        lambda: client.delete_sip_trunk(bad_id),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError) as caught:
            call()
        assert str(caught.value) == (
            f"A SIP trunk id must be a positive integer or a string of digits, got {bad_id!r}."
        )
