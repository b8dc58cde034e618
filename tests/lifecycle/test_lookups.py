"""get_sip_trunk and list_sip_trunks inside a Pulumi program, with the stack's configuration."""

from __future__ import annotations

import pulumi
import pytest
from engine_harness import DeploymentFailed, Engine
from pulumi_autocalls import AutocallsClient, get_sip_trunk, list_sip_trunks
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_calls, trunk_args


def test_lookups_read_through_the_stack_configuration(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    with AutocallsClient(clean_emulator.api_keys[0], base_url=clean_emulator.base_url) as api:
        main = api.create_sip_trunk(trunk_args())
        api.create_sip_trunk(trunk_args(phone_number="1001", nickname="Backup"))
    clean_emulator.clear_requests()

    def program() -> None:
        found = get_sip_trunk(main.id)
        pulumi.export("outbound_trunk_id", found.outbound_trunk_id)
        pulumi.export("backups", [t.id for t in list_sip_trunks(nickname="Backup")])
        pulumi.export("by_number", [t.id for t in list_sip_trunks(phone_number="1000")])

    result = stack.up(program)
    assert result.outputs == {
        "outbound_trunk_id": main.outbound_trunk_id,
        "backups": [float(main.id + 1)],
        "by_number": [float(main.id)],
    }
    assert api_calls(clean_emulator) == [
        ("GET", f"/api/user/phone-numbers/sip-trunks/{main.id}"),
        ("GET", "/api/user/phone-numbers/sip-trunks"),
        ("GET", "/api/user/phone-numbers/sip-trunks"),
    ]


def test_a_lookup_without_a_key_says_how_to_set_it(
    stack: Engine, clean_emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUTOCALLS_API_KEY", raising=False)
    del stack.config["autocalls:apiKey"]

    def program() -> None:
        list_sip_trunks()

    with pytest.raises(DeploymentFailed) as caught:
        stack.preview(program)
    assert (
        "No autocalls API key is configured. Set it with 'pulumi config set --secret "
        in (caught.value.result.errors[0])
    )
    assert api_calls(clean_emulator) == []
