"""``SipTrunk(name, SipTrunkArgs(...))``: the args object takes Outputs like keywords do."""

from __future__ import annotations

import pulumi
from engine_harness import Engine, Secret
from pulumi_autocalls import SipTrunk, SipTrunkArgs
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import api_bodies, trunk_args


def test_args_may_hold_outputs_and_keywords_override_them(
    stack: Engine, clean_emulator: EmulatorProcess
) -> None:
    def program() -> None:
        args = trunk_args(sip_password=None, nickname=None)
        SipTrunk(
            "main",
            SipTrunkArgs(
                **args,
                sip_password=pulumi.Output.secret("s3cret-pass"),
                nickname=pulumi.Output.from_input("from args"),
            ),
            nickname="from keyword",
        )

    stack.up(program)
    [body] = api_bodies(clean_emulator, "POST")
    assert body["nickname"] == "from keyword"
    assert body["sip_password"] == "***"
    outputs = stack.state.by_name("main").outputs
    assert outputs["sip_password"] == Secret("s3cret-pass")


def test_the_args_repr_never_shows_the_password() -> None:
    args = SipTrunkArgs(**trunk_args(sip_password="canary-pw-41"))

    assert "canary-pw-41" not in repr(args)
    assert "canary-pw-41" not in str(args)
    assert repr(args).startswith("SipTrunkArgs(sip_trunk_type='extension', ")
