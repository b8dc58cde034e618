"""Provider settings: stack config first, environment second, defaults last."""

from __future__ import annotations

import base64
import pickletools

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_autocalls._core.config import BASE_URL, Given, ProviderSettings, SettingNames
from pulumi_autocalls._core.config_warnings import configuration_warnings
from pulumi_autocalls._provider import SipTrunkProvider


def settings(config: dict[str, str], env: dict[str, str] | None = None) -> ProviderSettings:
    return ProviderSettings.load(config.get, env or {})


def test_defaults() -> None:
    assert settings({}) == ProviderSettings(
        api_key=None, base_url="https://app.autocalls.ai/api", timeout_s=30.0, max_retries=4
    )


def test_stack_config_wins_over_the_environment() -> None:
    loaded = settings(
        {
            "autocalls:apiKey": "from-config",
            "autocalls:baseUrl": "http://127.0.0.1:8787/api/",
            "autocalls:timeout": "2.5",
            "autocalls:maxRetries": "0",
        },
        {"AUTOCALLS_API_KEY": "from-env", "AUTOCALLS_BASE_URL": "https://elsewhere/api"},
    )
    assert loaded == ProviderSettings("from-config", "http://127.0.0.1:8787/api", 2.5, 0)


def test_the_environment_is_the_fallback() -> None:
    loaded = settings(
        {"autocalls:apiKey": ""},
        {
            "AUTOCALLS_API_KEY": "from-env",
            "AUTOCALLS_BASE_URL": "https://white.label/api",
            "AUTOCALLS_TIMEOUT": "5",
            "AUTOCALLS_MAX_RETRIES": "2",
        },
    )
    assert loaded == ProviderSettings("from-env", "https://white.label/api", 5.0, 2)


def test_messages_name_where_each_value_came_from() -> None:
    from_config = settings({"autocalls:apiKey": "k", "autocalls:baseUrl": "https://a.example/api"})
    assert from_config.names == SettingNames("autocalls:apiKey", "autocalls:baseUrl")
    from_environment = settings({}, {"AUTOCALLS_API_KEY": "k", "AUTOCALLS_BASE_URL": "https://b"})
    assert from_environment.names == SettingNames(
        "AUTOCALLS_API_KEY", "AUTOCALLS_BASE_URL", from_config.names.missing_api_key
    )
    unset = settings({})
    assert unset.names == SettingNames(
        "autocalls:apiKey or AUTOCALLS_API_KEY",
        "autocalls:baseUrl or AUTOCALLS_BASE_URL",
        from_config.names.missing_api_key,
    )


def test_the_command_line_reads_the_environment_and_its_option() -> None:
    environment = {
        "AUTOCALLS_API_KEY": "k",
        "AUTOCALLS_BASE_URL": "https://env.example/api",
        "AUTOCALLS_TIMEOUT": "5",
        "AUTOCALLS_MAX_RETRIES": "1",
    }
    option = {BASE_URL: Given("--base-url", "https://option.example/api")}
    loaded = ProviderSettings.load(None, environment, given=option)
    assert loaded == ProviderSettings("k", "https://option.example/api", 5.0, 1)
    assert (loaded.names.api_key, loaded.names.base_url) == ("AUTOCALLS_API_KEY", "--base-url")
    unset = ProviderSettings.load(None, {}, given={BASE_URL: Given("--base-url", None)})
    assert unset.names.base_url == "--base-url or AUTOCALLS_BASE_URL"


def test_the_api_key_never_shows_in_a_repr() -> None:
    assert "hunter2-key" not in repr(settings({"autocalls:apiKey": "hunter2-key"}))


def test_the_serialized_provider_is_a_small_stable_reference_with_no_configuration() -> None:
    provider = SipTrunkProvider()
    provider.configure(ConfigureRequest(Config({"autocalls:apiKey": "KEY-canary-1"}, "p")))
    serialized = serialize_provider(provider)
    assert serialized == serialize_provider(SipTrunkProvider())
    assert len(serialized) < 200
    listing = []
    pickletools.dis(base64.b64decode(serialized), out=_Collect(listing))
    strings = [line for line in listing if "UNICODE" in line]
    assert [line.split("'")[1] for line in strings] == [
        "pulumi_autocalls._provider",
        "SipTrunkProvider",
    ]
    assert b"KEY-canary-1" not in base64.b64decode(serialized)


class _Collect:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def write(self, text: str) -> None:
        self.lines.extend(text.splitlines())


@pytest.mark.parametrize(
    ("key", "warning"),
    [
        (
            "autocalls:apikey",
            "autocalls:apikey is not a setting of the autocalls provider: did "
            "you mean autocalls:apiKey?",
        ),
        (
            "autocalls:base_url",
            "autocalls:base_url is not a setting of the autocalls provider: "
            "did you mean autocalls:baseUrl?",
        ),
        (
            "autocalls:retries",
            "autocalls:retries is not a setting of the autocalls provider: "
            "did you mean autocalls:maxRetries?",
        ),
        (
            "autocalls:region",
            "autocalls:region is not a setting of the autocalls provider, which "
            "reads autocalls:apiKey, autocalls:baseUrl, autocalls:timeout, autocalls:maxRetries.",
        ),
    ],
)
def test_an_unknown_autocalls_key_is_pointed_out(key: str, warning: str) -> None:
    loaded = settings({"autocalls:apiKey": "k"})
    keys = ["autocalls:apiKey", key, "myproject:apikey", "aws:region"]
    assert configuration_warnings(loaded, keys) == [warning]


def test_a_base_url_from_the_environment_is_named_in_its_warning() -> None:
    loaded = settings({"autocalls:apiKey": "k"}, {"AUTOCALLS_BASE_URL": "http://10.1.2.3/api"})
    assert configuration_warnings(loaded, ["autocalls:apiKey"]) == [
        "Refusing to send the autocalls API key over plain http to 10.1.2.3 (AUTOCALLS_BASE_URL); "
        "use https:// (plain http is allowed only for loopback addresses)."
    ]
    assert configuration_warnings(settings({}, {"AUTOCALLS_API_KEY": "k"}), []) == []
