"""The API key never crosses a network in clear text, and TLS verification cannot be switched off
from the stack.

The client's own tests cover the rules one by one (tests/client/test_client_config.py: every
refused base URL, no ``verify`` parameter; tests/client/test_client_tls.py: a self-signed
server is refused before any request). Here the same rules hold for a whole stack.
"""

from __future__ import annotations

import inspect
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from loopback_http import QuietHandler, self_signed_certificate, serving
from pulumi_autocalls import AutocallsClient
from pulumi_autocalls._core.config import SETTINGS
from trunk_samples import trunk_args, trunks_program

KEY = "transport-key-0123456789"


def stack_against(root: Path, base_url: str, **config: str) -> Engine:
    return Engine(
        root,
        project="trunks",
        config={"autocalls:apiKey": Secret(KEY), "autocalls:baseUrl": base_url, **config},
        state_path=root / "state" / "dev.json",
    )


def last_error_line(failed: DeploymentFailed) -> str:
    return failed.result.errors[0].rstrip().splitlines()[-1]


def own_non_loopback_address() -> str | None:
    """An IPv4 address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a UDP connect sends nothing; it picks a route
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture
def listener() -> Iterator[tuple[str, socket.socket]]:
    """A TCP listener on a non-loopback address of this machine: anything sent there shows."""
    address = own_non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    with socket.create_server((address, 0)) as server:
        server.setblocking(False)
        yield f"http://{address}:{server.getsockname()[1]}/api", server


def test_plain_http_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    stack = stack_against(tmp_path, "http://example.invalid/api")
    program = trunks_program({"main": trunk_args()})
    stack.preview(program)  # no request: only a warning (see test_configuration_mistakes.py)
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(program)
    assert last_error_line(failed.value) == (
        "pulumi_autocalls._exceptions.ConfigurationError: Refusing to send the autocalls API "
        "key over plain http to example.invalid (autocalls:baseUrl); use https:// (plain http "
        "is allowed only for loopback addresses)."
    )


def test_plain_http_to_a_reachable_lan_address_sends_nothing(
    tmp_path: Path, listener: tuple[str, socket.socket]
) -> None:
    base_url, server = listener
    stack = stack_against(tmp_path, base_url)
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(trunks_program({"main": trunk_args()}))
    host = base_url.split("//")[1].split(":")[0]
    assert last_error_line(failed.value) == (
        "pulumi_autocalls._exceptions.ConfigurationError: Refusing to send the autocalls API "
        f"key over plain http to {host} (autocalls:baseUrl); use https:// (plain http is "
        "allowed only for loopback addresses)."
    )
    with pytest.raises(BlockingIOError):
        server.accept()  # nobody even connected


class _Recorder(QuietHandler):
    paths: list[str]

    def _answer(self) -> None:
        self.paths.append(self.path)
        self.send_json(500, {"message": "should never be reached"})

    do_GET = do_POST = do_PUT = do_DELETE = _answer


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """An https server on loopback with a self-signed certificate, recording request paths."""
    paths: list[str] = []
    tls = self_signed_certificate(tmp_path)
    with serving(type("R", (_Recorder,), {"paths": paths}), tls=tls) as base_url:
        yield base_url, paths


def test_no_setting_turns_tls_verification_off(
    tmp_path: Path,
    self_signed_server: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Config keys and environment variables that other tools read to skip verification change
    nothing: the provider reads four settings, none of them about TLS, and the client has no
    switch for it."""
    assert [setting.config_key for setting in SETTINGS] == [
        "autocalls:apiKey",
        "autocalls:baseUrl",
        "autocalls:timeout",
        "autocalls:maxRetries",
    ]
    assert not {"verify", "insecure", "ssl", "tls"} & set(
        inspect.signature(AutocallsClient).parameters
    )
    for variable in ("PYTHONHTTPSVERIFY", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.setenv(variable, "0" if variable == "PYTHONHTTPSVERIFY" else "")
    base_url, paths = self_signed_server
    stack = stack_against(
        tmp_path,
        base_url,
        **{
            "autocalls:insecure": "true",
            "autocalls:skipTlsVerify": "true",
            "autocalls:verifySsl": "false",
            "autocalls:maxRetries": "0",
        },
    )
    with pytest.raises(DeploymentFailed) as failed:
        stack.up(trunks_program({"main": trunk_args()}))
    origin = base_url.removesuffix("/api")
    assert last_error_line(failed.value).startswith(
        "pulumi_autocalls._exceptions.APIConnectionError: create SIP trunk failed: could not "
        f"reach {origin} ([SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self"
    )
    assert paths == []
