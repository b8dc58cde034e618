"""The engine's value rules, without any process: marshalling, secrets, diff, paths, cipher."""

from __future__ import annotations

import pytest
from engine_harness import (
    UNKNOWN,
    Computed,
    ResourceReference,
    Secret,
    annotate_secrets,
    changed_keys,
)
from engine_harness._crypto import PassphraseCipher
from engine_harness._properties import (
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    UnexpectedUnknownError,
    parse_property_path,
    properties_to_struct,
    reset_ignored_paths,
    struct_to_properties,
)
from engine_harness._server import provider_environment
from google.protobuf import json_format, struct_pb2

WRAPPED = {SIGNATURE_KEY: SECRET_SIGNATURE, "value": "pw"}


def wire(data: dict) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(data)
    return struct


def test_unmarshal_makes_secrets_unknowns_and_floats():
    props = struct_to_properties(
        wire({"pw": WRAPPED, "n": 3, "u": UNKNOWN, "deep": {"l": [UNKNOWN, None, 1]}})
    )
    assert props == {
        "pw": Secret("pw"),
        "n": 3.0,
        "u": Computed(),
        "deep": {"l": [Computed(), None, 1.0]},
    }
    with pytest.raises(UnexpectedUnknownError):
        struct_to_properties(wire({"u": UNKNOWN}), allow_unknowns=False)


def test_marshal_to_the_provider_unwraps_secrets_and_drops_unknowns_unless_kept():
    props = {
        "pw": Secret({"inner": Secret("x")}),
        "u": Computed(),
        "l": [Computed(), None, "a"],
        "ref": ResourceReference("urn:a", "id-1"),
        "component": ResourceReference("urn:c"),
    }
    plain = json_format.MessageToDict(
        properties_to_struct(props, keep_secrets=False, keep_unknowns=False, keep_resources=False)
    )
    assert plain == {
        "pw": {"inner": "x"},
        "l": [None, "a"],
        "ref": "id-1",
        "component": "urn:c",
    }
    preview = json_format.MessageToDict(
        properties_to_struct(props, keep_secrets=False, keep_unknowns=True, keep_resources=False)
    )
    assert preview["u"] == UNKNOWN
    assert preview["l"] == [UNKNOWN, None, "a"]
    wrapped = json_format.MessageToDict(
        properties_to_struct(
            {"pw": Secret("pw")}, keep_secrets=True, keep_unknowns=True, keep_resources=True
        )
    )
    assert wrapped == {"pw": WRAPPED}


def test_annotate_secrets_restores_secrecy_from_the_request():
    inputs = {
        "pw": Secret("x"),
        "obj": {"inner": Secret("y"), "plain": 1.0},
        "arr": [Secret("z"), "w"],
        "plain": "p",
        "absent": Secret("gone"),
    }
    outputs = {
        "pw": "x",
        "obj": {"inner": "y", "plain": 1.0, "extra": "e"},
        "arr": ["z", "w"],
        "plain": "p",
        "new": "n",
    }
    assert annotate_secrets(outputs, inputs) == {
        "pw": Secret("x"),
        "obj": {"inner": Secret("y"), "plain": 1.0, "extra": "e"},
        "arr": Secret(["z", "w"]),
        "plain": "p",
        "new": "n",
    }


def test_engine_diff_rules():
    assert changed_keys({"a": Secret("x")}, {"a": "x"}) == []
    assert changed_keys({"a": None}, {}) == []
    assert changed_keys({"a": {"b": None}}, {"a": {}}) == []
    assert changed_keys({"a": 3.0}, {"a": 3}) == []
    assert changed_keys({"a": 1.0}, {"a": True}) == ["a"]
    assert changed_keys({"a": "x"}, {"a": Computed()}) == ["a"]
    assert changed_keys({"a": [1.0, 2.0]}, {"a": [1.0]}) == ["a"]
    assert changed_keys({"a": 1.0, "z": "q"}, {"b": 1.0, "z": "q"}) == ["a", "b"]


def test_property_paths_and_ignore_changes():
    assert parse_property_path('a.b[0]["c.d"]') == ["a", "b", 0, "c.d"]
    assert parse_property_path("tags[*]") == ["tags", "*"]
    olds = {"a": "old", "n": {"x": 1.0, "y": 2.0}, "l": [1.0, 2.0]}
    news = {"a": "new", "n": {"x": 9.0, "y": 9.0}, "l": [9.0, 9.0], "b": "added"}
    assert reset_ignored_paths(news, olds, ["a", "n.x", "l[1]", "b"]) == {
        "a": "old",
        "n": {"x": 1.0, "y": 9.0},
        "l": [9.0, 2.0],
    }
    assert reset_ignored_paths(news, olds, ["n.*"])["n"] == {"x": 1.0, "y": 2.0}


def test_cipher_round_trips_and_detects_tampering_and_wrong_passphrases():
    cipher = PassphraseCipher("correct horse")
    sealed = cipher.encrypt('"s3cret"')
    assert "s3cret" not in sealed
    assert cipher.encrypt('"s3cret"') != sealed  # a fresh nonce every time
    assert cipher.decrypt(sealed) == '"s3cret"'

    state = cipher.provider_state()
    assert PassphraseCipher.from_provider_state("correct horse", state).decrypt(sealed) == (
        '"s3cret"'
    )
    with pytest.raises(ValueError, match="incorrect passphrase"):
        PassphraseCipher.from_provider_state("wrong", state)
    scheme, nonce, body = sealed.split(":")
    flipped = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises(ValueError):
        cipher.decrypt(f"{scheme}:{nonce}:{flipped}")


def test_the_provider_environment_is_the_engines():
    env = provider_environment(
        {"PATH": "/bin", "PULUMI_CONFIG": "stale"},
        project="proj",
        config={"proj:key": "v", "pulumi-python:opt": Secret("s")},
        runtime_options={"virtualenv": "venv"},
    )
    assert env == {
        "PATH": "/bin",
        "PULUMI_PROJECT": "proj",
        "PULUMI_CONFIG": '{"opt": "s"}',
        "PULUMI_RUNTIME_VIRTUALENV": "venv",
    }
