"""compare / update_body / SipTrunkDiff: what changed, what it costs, what is sent."""

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_autocalls._core.changes import compare, update_body
from pulumi_autocalls._core.fields import FIELDS, VoiceTrunk
from pulumi_autocalls._dynamic.diff import SipTrunkDiff
from trunk_samples import trunk_args

OLD_OUTPUTS: dict[str, Any] = {
    **trunk_args(nickname="Main"),
    "outbound_proxy": False,
    "inbound_trunk_id": "ST_inbound0001",
    "outbound_trunk_id": "ST_outbound001",
    "created_at": "2026-03-31T10:00:00.000000Z",
    "updated_at": "2026-03-31T10:00:00.000000Z",
    "__provider": "old",
}
NEW_VALUES = {
    "phone_number": "1001",
    "nickname": "Backup",
    "sip_username": "otheruser",
    "sip_password": "n3w-pass",
    "sip_address": "sip2.provider.com",
    "sip_calling_format": "national",
    "country_code": "GB",
    "outbound_proxy": True,
}


def inputs(**changes: Any) -> dict[str, Any]:
    news = {k: v for k, v in OLD_OUTPUTS.items() if not k.endswith(("_id", "_at"))}
    news.update(changes, __provider="new")
    return {k: v for k, v in news.items() if v is not None}


def test_nothing_changed_means_no_changes_even_with_a_new_provider_string() -> None:
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, inputs()), OLD_OUTPUTS)
    assert (diff.changes, diff.replaces, diff.changed_fields) == (False, None, [])
    assert diff.recreation_notice("42") is None


@pytest.mark.parametrize("field", sorted(NEW_VALUES))
def test_each_field_is_its_own_update_marking_the_voice_trunks_of_its_row(field: str) -> None:
    news = inputs(**{field: NEW_VALUES[field]})
    changes = compare(OLD_OUTPUTS, news)
    diff = SipTrunkDiff(changes, OLD_OUTPUTS)
    row = next(f for f in FIELDS if f.name == field).recreates
    assert diff.changes is True and diff.replaces is None
    assert diff.changed_fields == [field]
    assert diff.recreates_inbound == ([field] if VoiceTrunk.INBOUND in row else [])
    assert diff.recreates_outbound == ([field] if VoiceTrunk.OUTBOUND in row else [])
    assert update_body(changes, news) == {field: NEW_VALUES[field]}


def test_the_notice_names_the_trunk_and_each_recreated_voice_trunk() -> None:
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, inputs(sip_password="n3w-pass")), OLD_OUTPUTS)
    assert diff.recreation_notice("42") == (
        "autocalls: SIP trunk 42: this update re-creates the inbound trunk ST_inbound0001 and "
        "the outbound trunk ST_outbound001 (changed: sip_password)"
    )
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, inputs(sip_address="pbx.example.com")), OLD_OUTPUTS)
    assert diff.recreation_notice("42") == (
        "autocalls: SIP trunk 42: this update re-creates the outbound trunk ST_outbound001 "
        "(changed: sip_address)"
    )


def test_removing_the_nickname_sends_null() -> None:
    news = inputs(nickname=None)
    assert update_body(compare(OLD_OUTPUTS, news), news) == {"nickname": None}


def test_switching_to_ip_sends_the_list_and_back_to_auth_sends_only_the_type() -> None:
    to_ip = inputs(inbound_authorization_type="ip", allowed_inbound_ips=["203.0.113.10"])
    changes = compare(OLD_OUTPUTS, to_ip)
    assert update_body(changes, to_ip) == {
        "inbound_authorization_type": "ip",
        "allowed_inbound_ips": ["203.0.113.10"],
    }
    assert SipTrunkDiff(changes, OLD_OUTPUTS).recreates_outbound == []

    ip_outputs = {**OLD_OUTPUTS, **to_ip}
    back = inputs()
    changes = compare(ip_outputs, back)
    assert changes.changed == ("inbound_authorization_type", "allowed_inbound_ips")
    assert update_body(changes, back) == {"inbound_authorization_type": "auth"}


def test_reordering_the_ip_list_is_no_change() -> None:
    olds = {
        **OLD_OUTPUTS,
        "inbound_authorization_type": "ip",
        "allowed_inbound_ips": ["203.0.113.10", "198.51.100.20"],
    }
    news = inputs(
        inbound_authorization_type="ip", allowed_inbound_ips=["198.51.100.20", "203.0.113.10"]
    )
    assert compare(olds, news).changed == ()


def test_an_unknown_value_counts_as_changed() -> None:
    news = inputs(sip_username=Unknown())
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, news), OLD_OUTPUTS)
    assert diff.changes is True
    assert diff.recreates_inbound == diff.recreates_outbound == ["sip_username"]


def test_changing_the_trunk_type_replaces_deleting_first_when_the_identity_collides() -> None:
    same_identity = inputs(sip_trunk_type="number", phone_number="1000")
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, same_identity), OLD_OUTPUTS)
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (
        True,
        ["sip_trunk_type"],
        True,
    )
    assert diff.recreation_notice("42") is None

    new_identity = inputs(sip_trunk_type="number", phone_number="+14155551234")
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, new_identity), OLD_OUTPUTS)
    assert (diff.replaces, diff.delete_before_replace) == (["sip_trunk_type"], False)


def test_stables_hold_what_an_update_leaves_alone() -> None:
    diff = SipTrunkDiff(compare(OLD_OUTPUTS, inputs(sip_address="pbx.example.com")), OLD_OUTPUTS)
    assert diff.stables is not None
    assert "inbound_trunk_id" in diff.stables and "outbound_trunk_id" not in diff.stables
    assert "sip_address" not in diff.stables and "created_at" in diff.stables
