"""The lookups: inside a Pulumi program, with the stack's configuration, in their plain and their
Output forms; and under Pulumi's unit-test mocks, where they invoke Pulumi functions instead of
calling the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest
from engine_harness import DeploymentFailed, Engine, Secret
from engines import StackDriver
from pulumi_autocalls import (
    AutocallsClient,
    SipTrunk,
    get_sip_trunk,
    get_sip_trunk_output,
    list_sip_trunks,
    list_sip_trunks_output,
)
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import TRUNKS_PATH, api_calls, trunk_args


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


def test_the_output_forms_take_inputs_and_wait_for_them(
    make_stack: Callable[..., StackDriver], clean_emulator: EmulatorProcess
) -> None:
    def program() -> None:
        trunk = SipTrunk("main", **trunk_args(nickname="Lookup target"))
        found = get_sip_trunk_output(trunk.id)
        listed = list_sip_trunks_output(nickname=trunk.nickname, phone_number="1000")
        pulumi.export("found_outbound_trunk_id", found.outbound_trunk_id)
        pulumi.export("listed_ids", listed.apply(lambda trunks: [str(t.id) for t in trunks]))

    config = {
        "autocalls:apiKey": Secret(clean_emulator.api_keys[0]),
        "autocalls:baseUrl": clean_emulator.base_url,
    }
    stack = make_stack(program, project="trunks", config=config)
    preview = stack.preview()
    assert preview.ops["main"] == "create"
    # The id is unknown until the create: nothing is read for it; the list's filters are known.
    assert api_calls(clean_emulator) == [("GET", TRUNKS_PATH)]
    clean_emulator.clear_requests()

    up = stack.up()
    trunk_id = stack.resource_id("main")
    calls = api_calls(clean_emulator)
    assert calls[0] == ("POST", TRUNKS_PATH)  # the lookups waited for the create
    assert sorted(calls[1:]) == [("GET", TRUNKS_PATH), ("GET", f"{TRUNKS_PATH}/{trunk_id}")]
    assert up.outputs == {
        "found_outbound_trunk_id": stack.resource_outputs("main")["outbound_trunk_id"],
        "listed_ids": [trunk_id],
    }


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_unit_test_passes_under_mocks_and_reaches_no_api(
    clean_emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """The README's example, run as a user runs a test file, with a real key in the shell."""
    text = README.read_text(encoding="utf-8")
    example = text.partition("<!-- example:unit-test -->\n```python\n")[2].partition("```")[0]
    assert "set_mocks" in example
    (tmp_path / "test_program.py").write_text(example, encoding="utf-8")
    environment = {
        **os.environ,
        "AUTOCALLS_API_KEY": clean_emulator.api_keys[0],
        "AUTOCALLS_BASE_URL": clean_emulator.base_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_program.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert clean_emulator.requests() == []


MOCKED_PROGRAM = """
import json
import pulumi

calls = []
TRUNK = {
    "id": 7, "phoneNumber": "1000", "sipUsername": "main", "sipAddress": "sip.provider.com",
    "sipCallingFormat": "+e164", "inboundAuthorizationType": "auth", "countryCode": "US",
    "outboundProxy": False, "createdAt": "t0", "updatedAt": "t1", "outboundTrunkId": "ST_out",
}


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args):
        calls.append([args.token, args.args])
        answer = args.args.get("nickname") or args.args.get("id")
        if answer == "not-a-trunk":
            return {"id": 7, "phoneNumber": "1000"}
        if answer == "missing":
            return {}, [("id", "SIP trunk not found.")]
        if args.token == "autocalls:index:listSipTrunks":
            return {} if answer == "no-list" else {"sipTrunks": [TRUNK]}
        return TRUNK


pulumi.runtime.set_mocks(Mocks(), preview=False)
from pulumi_autocalls import (
    get_sip_trunk, get_sip_trunk_output, list_sip_trunks, list_sip_trunks_output,
)

seen = {}


def failure(call):
    try:
        call()
    except Exception as error:
        return str(error)


@pulumi.runtime.test
def run():
    seen["plain"] = get_sip_trunk(42).model_dump()
    seen["listed"] = [t.id for t in list_sip_trunks(nickname="Backup", phone_number="1000")]
    seen["all"] = len(list_sip_trunks())
    seen["not a trunk"] = failure(lambda: get_sip_trunk("not-a-trunk"))
    seen["no list"] = failure(lambda: list_sip_trunks(nickname="no-list"))
    seen["not found"] = failure(lambda: get_sip_trunk("missing"))
    secret_id = pulumi.Output.secret("42")
    found = get_sip_trunk_output(secret_id)
    listed = list_sip_trunks_output(nickname=pulumi.Output.from_input("Backup"))

    async def gather():
        seen["output"] = (await found.future()).outbound_trunk_id
        seen["output secret"] = await found.is_secret()
        seen["attribute"] = await found.sip_address.future()
        seen["listed output"] = [t.id for t in await listed.future()]
        seen["listed secret"] = await listed.is_secret()

    return pulumi.Output.from_input(gather())


run()
print(json.dumps({"seen": seen, "calls": calls}))
"""


def test_under_mocks_the_lookups_invoke_pulumi_functions(clean_emulator: EmulatorProcess) -> None:
    environment = {
        **os.environ,
        "AUTOCALLS_API_KEY": clean_emulator.api_keys[0],
        "AUTOCALLS_BASE_URL": clean_emulator.base_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", MOCKED_PROGRAM],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    get, listing = "autocalls:index:getSipTrunk", "autocalls:index:listSipTrunks"
    assert result["calls"] == [
        [get, {"id": "42"}],
        [listing, {"nickname": "Backup", "phoneNumber": "1000"}],
        [listing, {}],
        [get, {"id": "not-a-trunk"}],
        [listing, {"nickname": "no-list"}],
        [get, {"id": "missing"}],
        [get, {"id": "42"}],
        [listing, {"nickname": "Backup"}],
    ]
    seen = result["seen"]
    assert seen["plain"]["outbound_trunk_id"] == "ST_out"
    assert (seen["listed"], seen["all"]) == ([7], 1)
    assert seen["not a trunk"] == (
        "The result of autocalls:index:getSipTrunk is not a SIP trunk (it lacks sipUsername, "
        "sipAddress, sipCallingFormat, inboundAuthorizationType, countryCode, outboundProxy, "
        "createdAt, updatedAt): a Mocks.call answering it returns the trunk's fields under their "
        "schema names (see the README)."
    )
    assert seen["no list"] == (
        "The result of autocalls:index:listSipTrunks has no sipTrunks list: a Mocks.call "
        'answering it returns {"sipTrunks": [...]}, each trunk under the schema names (see the '
        "README)."
    )
    assert seen["not found"] == (
        "invoke of autocalls:index:getSipTrunk failed: SIP trunk not found. (id)"
    )
    assert (seen["output"], seen["output secret"], seen["attribute"]) == (
        "ST_out",
        True,
        "sip.provider.com",
    )
    assert (seen["listed output"], seen["listed secret"]) == ([7], False)
    assert clean_emulator.requests() == []
