"""The native plugin started as the engine starts it: its port on stdout's first line, and a
package schema served without Configure that Pulumi's own schema for schemas accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import jsonschema
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
from pulumi_autocalls._core.fields import FIELDS
from pulumi_autocalls._native.naming import schema_name
from pulumi_autocalls._native.schema import SIP_TRUNK
from pulumi_autocalls.emulator import EmulatorProcess
from trunk_samples import TRUNK_ARGS, TRUNKS_PATH

PLUGIN = Path(sys.executable).parent / "pulumi-resource-autocalls"
GET_SIP_TRUNK = "autocalls:index:getSipTrunk"
URN = "urn:pulumi:dev::trunks::autocalls:index:SipTrunk::main"
_COUNTRY_CODE_FAILURE = "countryCode must be an ISO 3166-1 alpha-2 country code (got 'USA')"


@pytest.fixture(scope="module")
def plugin() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    process = subprocess.Popen(
        [str(PLUGIN), "--logtostderr", "-v=9", "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield provider_pb2_grpc.ResourceProviderStub(channel)
    process.terminate()
    process.communicate(timeout=10)


def _schema(plugin: provider_pb2_grpc.ResourceProviderStub) -> dict[str, Any]:
    answer = plugin.GetSchema(provider_pb2.GetSchemaRequest(version=0))
    schema: dict[str, Any] = json.loads(answer.schema)
    return schema


def _metaschema() -> dict[str, Any]:
    go = shutil.which("go")
    if go is None:
        pytest.skip("no Go toolchain: Pulumi's schema for schemas comes from its Go module")
    mod_cache = subprocess.run(
        [go, "env", "GOMODCACHE"], capture_output=True, text=True, check=True
    ).stdout.strip()
    found = sorted(
        Path(mod_cache).glob("github.com/pulumi/pulumi/pkg/v3@v3.*/codegen/schema/pulumi.json")
    )
    if not found:
        pytest.skip(
            "Pulumi's Go module is not in the module cache (scripts/pulumi_cli.py fetches it)"
        )
    # Its patterns name groups as Go does, (?<name>...); Python's re wants (?P<name>...).
    metaschema: dict[str, Any] = json.loads(found[-1].read_text().replace("(?<", "(?P<"))
    return metaschema


def test_schema_without_configure_is_valid_for_pulumi(
    plugin: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    schema = _schema(plugin)

    jsonschema.validate(schema, _metaschema())
    assert schema["name"] == "autocalls"
    assert set(schema["functions"]) == {
        "autocalls:index:getSipTrunk",
        "autocalls:index:listSipTrunks",
    }


def test_schema_declares_every_field_of_the_table(
    plugin: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    resource = _schema(plugin)["resources"][SIP_TRUNK]

    assert set(resource["inputProperties"]) == {schema_name(field.name) for field in FIELDS}
    assert resource["inputProperties"]["sipPassword"]["secret"] is True
    assert resource["properties"]["sipTrunkType"]["replaceOnChanges"] is True
    assert {"inboundTrunkId", "outboundTrunkId", "createdAt", "updatedAt"} <= set(
        resource["properties"]
    )


def test_plugin_info_and_configure_answers(plugin: provider_pb2_grpc.ResourceProviderStub) -> None:
    configured = plugin.Configure(provider_pb2.ConfigureRequest(acceptSecrets=True))

    assert configured.acceptSecrets is True
    assert configured.supportsPreview is True
    assert plugin.GetPluginInfo(empty_pb2.Empty()).version


@pytest.fixture(scope="module")
def configured(
    plugin: provider_pb2_grpc.ResourceProviderStub, emulator_session: EmulatorProcess
) -> provider_pb2_grpc.ResourceProviderStub:
    plugin.Configure(
        provider_pb2.ConfigureRequest(
            acceptSecrets=True,
            variables={
                "autocalls:config:apiKey": emulator_session.api_keys[0],
                "autocalls:config:baseUrl": emulator_session.base_url,
            },
        )
    )
    return plugin


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def test_check_names_the_schema_property_and_the_fix(
    configured: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    inputs = {schema_name(name): value for name, value in TRUNK_ARGS.items()}
    answer = configured.Check(
        provider_pb2.CheckRequest(
            urn=URN, olds=_struct({}), news=_struct({**inputs, "countryCode": "USA"})
        )
    )

    assert [(f.property, f.reason) for f in answer.failures] == [
        ("countryCode", _COUNTRY_CODE_FAILURE)
    ]


def test_read_of_a_missing_trunk_says_it_is_gone(
    configured: provider_pb2_grpc.ResourceProviderStub, clean_emulator: EmulatorProcess
) -> None:
    answer = configured.Read(provider_pb2.ReadRequest(id="999999", urn=URN))

    assert not answer.HasField("properties")
    assert [r["method"] for r in clean_emulator.requests()] == ["GET"]


def test_functions_answer_from_the_api_without_the_password(
    configured: provider_pb2_grpc.ResourceProviderStub, clean_emulator: EmulatorProcess
) -> None:
    api = httpx.Client(
        base_url=clean_emulator.root_url,
        headers={"Authorization": f"Bearer {clean_emulator.api_keys[0]}"},
    )
    made = api.post(TRUNKS_PATH, json=TRUNK_ARGS).json()["data"]

    got = configured.Invoke(
        provider_pb2.InvokeRequest(
            tok="autocalls:index:getSipTrunk", args=_struct({"id": str(made["id"])})
        )
    )
    listed = configured.Invoke(
        provider_pb2.InvokeRequest(
            tok="autocalls:index:listSipTrunks", args=_struct({"nickname": TRUNK_ARGS["nickname"]})
        )
    )

    trunk = json_format.MessageToDict(getattr(got, "return"))
    assert trunk["id"] == str(made["id"])
    assert trunk["sipAddress"] == TRUNK_ARGS["sip_address"]
    assert trunk["outboundTrunkId"] == made["outbound_trunk_id"]
    assert "sipPassword" not in trunk
    assert [t["id"] for t in json_format.MessageToDict(getattr(listed, "return"))["sipTrunks"]] == [
        str(made["id"])
    ]


def test_an_api_failure_is_one_sentence_without_a_traceback(
    configured: provider_pb2_grpc.ResourceProviderStub, clean_emulator: EmulatorProcess
) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        configured.Invoke(
            provider_pb2.InvokeRequest(
                tok="autocalls:index:getSipTrunk", args=_struct({"id": "424242"})
            )
        )

    details = raised.value.details()  # type: ignore[attr-defined]
    assert details.startswith("autocalls: get SIP trunk 424242 failed: ")
    assert "Traceback" not in details
    assert "\n" not in details
