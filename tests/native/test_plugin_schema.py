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
import jsonschema
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc
from pulumi_autocalls._core.fields import FIELDS
from pulumi_autocalls._native.naming import schema_name
from pulumi_autocalls._native.schema import SIP_TRUNK

PLUGIN = Path(sys.executable).parent / "pulumi-resource-autocalls"


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
