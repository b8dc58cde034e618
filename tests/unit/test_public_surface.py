"""The package's public surface is what ``__all__`` names, loaded on first use; a provider process
that only checks and diffs (every ``pulumi preview``) never loads the HTTP client."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pulumi_autocalls
import pytest
from pulumi_autocalls import _exceptions
from pulumi_autocalls._core import client, models, retry
from pulumi_autocalls._dynamic import resource

HTTP_STACK = ("httpx", "pulumi_autocalls._core.client", "pulumi_autocalls._core.models")


def test_every_public_name_resolves_to_its_private_definition() -> None:
    expected = {
        "AutocallsClient": client.AutocallsClient,
        "SipTrunk": resource.SipTrunk,
        "SipTrunkRecord": models.SipTrunkRecord,
        "RetryPolicy": retry.RetryPolicy,
        "NotFoundError": _exceptions.NotFoundError,
    }
    for name, value in expected.items():
        assert getattr(pulumi_autocalls, name) is value
    for name in pulumi_autocalls.__all__:
        assert getattr(pulumi_autocalls, name) is not None


def test_the_public_surface_is_pinned() -> None:
    assert pulumi_autocalls.__all__ == [
        "APIConnectionError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "AutocallsClient",
        "AutocallsError",
        "BadRequestError",
        "ConfigurationError",
        "ConflictError",
        "InboundAuthorizationType",
        "InternalServerError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "RetryPolicy",
        "SipCallingFormat",
        "SipTrunk",
        "SipTrunkArgs",
        "SipTrunkRecord",
        "SipTrunkSummary",
        "SipTrunkType",
        "UnexpectedResponseError",
        "UnprocessableEntityError",
        "__version__",
        "get_sip_trunk",
        "get_sip_trunk_output",
        "list_sip_trunks",
        "list_sip_trunks_output",
    ]


def test_the_whole_documented_error_tree_is_public() -> None:
    documented = re.findall(r"\b(\w+Error) {2,}", _exceptions.__doc__ or "")
    assert len(documented) == 14
    for name in documented:
        assert name in pulumi_autocalls.__all__
        assert issubclass(getattr(pulumi_autocalls, name), pulumi_autocalls.AutocallsError)


def test_dir_lists_exactly_the_public_names() -> None:
    assert dir(pulumi_autocalls) == sorted(pulumi_autocalls.__all__)
    assert set(pulumi_autocalls._LAZY) <= set(pulumi_autocalls.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'pulumi_autocalls' has no attribute 'Nope'"):
        pulumi_autocalls.Nope  # noqa: B018


def _loaded_in_fresh_process(script: str) -> dict[str, list[str]]:
    """Run ``script`` in a new interpreter; it prints a JSON object of module-name lists."""
    preamble = (
        "import json, sys\n"
        f"HTTP_STACK = {HTTP_STACK!r}\n"
        "def loaded():\n"
        "    return [name for name in HTTP_STACK if name in sys.modules]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", preamble + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_check_and_diff_run_without_loading_the_http_client() -> None:
    loaded = _loaded_in_fresh_process(
        """
        from pulumi.dynamic import Config, ConfigureRequest
        from pulumi_autocalls._provider import SipTrunkProvider  # what the server unpickles

        provider = SipTrunkProvider()
        raw = {"autocalls:apiKey": "key-0123456789", "autocalls:baseUrl": "http://127.0.0.1:9"}
        provider.configure(ConfigureRequest(Config(raw, "autocalls")))
        news = {
            "sip_trunk_type": "extension", "phone_number": "1000", "nickname": "Main",
            "sip_username": "myuser", "sip_password": "s3cret-pass",
            "sip_address": "sip.provider.com", "sip_calling_format": "+e164",
            "inbound_authorization_type": "auth", "country_code": "US",
        }
        checked = provider.check({}, news)
        assert not checked.failures, checked.failures
        olds = {**checked.inputs, "inbound_trunk_id": "ST_a", "outbound_trunk_id": "ST_b"}
        changed = provider.diff("7", olds, {**checked.inputs, "nickname": "Other"})
        assert changed.changes
        after_preview = loaded()
        provider._api()
        print(json.dumps({"after_preview": after_preview, "after_first_api_use": loaded()}))
        """
    )
    assert loaded == {"after_preview": [], "after_first_api_use": list(HTTP_STACK)}


def test_importing_the_package_loads_no_http_client_until_asked() -> None:
    loaded = _loaded_in_fresh_process(
        """
        import pulumi_autocalls
        from pulumi_autocalls import SipTrunk
        before = loaded()
        from pulumi_autocalls import AutocallsClient
        print(json.dumps({"before": before, "after": loaded()}))
        """
    )
    assert loaded == {"before": [], "after": list(HTTP_STACK)}
