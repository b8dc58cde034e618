"""Secrets never ride along inside objects: settings refuse to be pickled, and the error for a
malformed success answer carries no exception whose text holds the payload."""

from __future__ import annotations

import pickle
import traceback

import pytest
from loopback_http import QuietHandler, serving
from pulumi_autocalls._core.client import AutocallsClient
from pulumi_autocalls._core.config import ProviderSettings
from pulumi_autocalls._core.retry import RetryPolicy
from pulumi_autocalls._exceptions import UnexpectedResponseError
from trunk_samples import TRUNK_ARGS

PASSWORD = "canary-pass-2x9"


def test_settings_with_a_key_refuse_to_be_pickled() -> None:
    settings = ProviderSettings(api_key="canary-key-77")

    with pytest.raises(TypeError) as raised:
        pickle.dumps(settings)

    assert str(raised.value) == (
        "ProviderSettings cannot be pickled: they hold the API key; load them where they are "
        "used (ProviderSettings.load)."
    )


class _MalformedSuccess(QuietHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_json(201, {"data": {"id": "not-a-trunk", "sip_password": PASSWORD, "x": [1]}})

    def do_GET(self) -> None:
        self.send_json(200, {"data": [{"id": None, "sip_password": PASSWORD}]})


def _chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


@pytest.mark.parametrize("operation", ["create", "list"])
def test_a_malformed_success_answer_chains_no_payload(operation: str) -> None:
    with serving(_MalformedSuccess) as base_url:
        client = AutocallsClient("k" * 20, base_url=base_url, retry=RetryPolicy(max_retries=0))
        with pytest.raises(UnexpectedResponseError) as raised:
            if operation == "create":
                client.create_sip_trunk(TRUNK_ARGS)
            else:
                client.list_sip_trunks()

    assert _chain(raised.value) == [raised.value]
    shown = "".join(traceback.format_exception(raised.value))
    assert PASSWORD not in shown
