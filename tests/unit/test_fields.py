"""The field table against the documented re-provisioning table (docs/api-contract.md)."""

from pulumi_autocalls._core.fields import (
    FIELDS,
    FIELDS_BY_NAME,
    SECRET_FIELDS,
    VoiceTrunk,
    recreated_trunks,
)

IN, OUT = VoiceTrunk.INBOUND, VoiceTrunk.OUTBOUND

# The documentation's table, written out once more on purpose: this test is the independent check.
DOCUMENTED = {
    "sip_username": {IN, OUT},
    "sip_password": {IN, OUT},
    "phone_number": {IN, OUT},
    "sip_address": {OUT},
    "outbound_proxy": {OUT},
    "inbound_authorization_type": {IN},
    "allowed_inbound_ips": {IN},
    "sip_calling_format": set(),
    "country_code": set(),
    "nickname": set(),
}


def test_every_updatable_field_recreates_exactly_the_documented_voice_trunks() -> None:
    table = {f.name: set(f.recreates) for f in FIELDS if not f.create_only}
    assert table == DOCUMENTED


def test_only_the_trunk_type_replaces_the_trunk() -> None:
    assert tuple(f.name for f in FIELDS if f.create_only) == ("sip_trunk_type",)
    assert recreated_trunks(["sip_trunk_type"]) == frozenset()


def test_the_password_is_the_only_secret_and_is_write_only() -> None:
    assert SECRET_FIELDS == ("sip_password",)
    assert {f.name for f in FIELDS if f.write_only} == {"sip_password", "sip_trunk_type"}


def test_the_ip_list_compares_as_a_set_and_the_nickname_clears_with_null() -> None:
    assert [f.name for f in FIELDS if f.unordered] == ["allowed_inbound_ips"]
    assert [f.name for f in FIELDS if f.cleared_by_null] == ["nickname"]


def test_recreated_trunks_unions_the_rows() -> None:
    assert recreated_trunks(["sip_address", "allowed_inbound_ips"]) == {IN, OUT}
    assert recreated_trunks(["nickname", "country_code"]) == frozenset()


def test_rules_read_as_documented() -> None:
    assert FIELDS_BY_NAME["sip_username"].rule == "3 to 128 characters"
    assert FIELDS_BY_NAME["sip_password"].rule == "at least 3 characters"
    assert FIELDS_BY_NAME["nickname"].rule == "at most 50 characters"
    assert FIELDS_BY_NAME["sip_calling_format"].rule == 'one of "+e164", "e164", "national"'
