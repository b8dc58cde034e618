"""SipTrunkProvider's operations against the emulator, without an engine in between."""

from __future__ import annotations

import pytest
from pulumi_autocalls import ConflictError, NotFoundError
from pulumi_autocalls._provider import SipTrunkProvider
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import desired


def api_calls(emulator: EmulatorProcess) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in emulator.requests()]


def test_create_posts_once_and_echoes_every_input(
    provider: SipTrunkProvider, clean_emulator: EmulatorProcess
) -> None:
    props = desired()
    result = provider.create(props)
    outs = result.outs or {}
    assert api_calls(clean_emulator) == [("POST", "/api/user/phone-numbers/sip-trunks")]
    assert clean_emulator.requests()[0]["status"] == 201
    assert {k: outs[k] for k in props if k != "__provider"} == {
        k: v for k, v in props.items() if k != "__provider"
    }
    assert outs["inbound_trunk_id"].startswith("ST_")
    assert set(outs) - set(props) == {
        "inbound_trunk_id",
        "outbound_trunk_id",
        "created_at",
        "updated_at",
        "api_base_url",
    }
    assert outs["api_base_url"] == clean_emulator.base_url


def test_a_lost_create_response_is_found_not_repeated(
    provider: SipTrunkProvider, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(method="POST", status=503, after_commit=True)
    result = provider.create(desired())
    assert api_calls(clean_emulator) == [
        ("POST", "/api/user/phone-numbers/sip-trunks"),
        ("GET", "/api/user/phone-numbers/sip-trunks"),
        ("GET", f"/api/user/phone-numbers/sip-trunks/{result.id}"),
    ]


def test_a_throttled_create_is_sent_again_after_waiting(
    provider: SipTrunkProvider, clean_emulator: EmulatorProcess
) -> None:
    clean_emulator.add_fault(method="POST", status=429, retry_after=1, times=1)
    provider.create(desired())
    assert [r["status"] for r in clean_emulator.requests()] == [429, 201]


def test_a_duplicate_names_the_conflict(provider: SipTrunkProvider) -> None:
    existing = provider.create(desired())
    with pytest.raises(ConflictError) as caught:
        provider.create(desired(nickname="again"))
    assert str(caught.value) == (
        "create SIP trunk failed: HTTP 409 Conflict: A SIP trunk with the same phone number, "
        f"username, and address already exists. It is SIP trunk {existing.id}: if this resource "
        "should manage it (for example, an earlier run created it and lost the answer), set "
        f'adopt_id="{existing.id}".'
    )


def test_read_of_a_deleted_trunk_reports_it_gone(
    provider: SipTrunkProvider, clean_emulator: EmulatorProcess
) -> None:
    created = provider.create(desired())
    outs = created.outs or {}
    provider.delete(created.id, outs)
    gone = provider.read(created.id, outs)
    assert (gone.id, gone.outs) == (None, {})
    with pytest.raises(NotFoundError):
        provider.read(created.id, {"__provider": "serialized"})
