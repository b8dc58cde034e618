"""The field table drives every consumer: the generated source matches it, and a new row is one
edit (plus ``python -m pulumi_autocalls._codegen``) that reaches them all."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pulumi_autocalls
from pulumi_autocalls import _codegen
from pulumi_autocalls._core.fields import PROPERTIES

PACKAGE = Path(pulumi_autocalls.__file__).resolve().parent


def test_the_generated_source_matches_the_table() -> None:
    for path, blocks in _codegen.TARGETS.items():
        text = path.read_text(encoding="utf-8")
        assert _codegen.render(text, blocks) == text, (
            f"{path.name} is out of date: run python -m pulumi_autocalls._codegen"
        )


def test_every_property_has_what_a_package_schema_needs() -> None:
    schema = {
        p.schema_name: (p.schema_type, p.choices, p.secret, p.create_only) for p in PROPERTIES
    }
    assert schema["sipTrunkType"] == ({"type": "string"}, ("extension", "number"), False, True)
    assert schema["sipPassword"] == ({"type": "string"}, (), True, False)
    assert schema["allowedInboundIps"][0] == {"type": "array", "items": {"type": "string"}}
    assert schema["outboundProxy"][0] == {"type": "boolean"}
    assert {"adoptId", "inboundTrunkId", "outboundTrunkId", "createdAt", "updatedAt"} <= set(schema)
    assert all(p.doc for p in PROPERTIES)


NEW_ROW = """
    Field(
        "caller_name",
        Kind.TEXT,
        "The name shown to the called party.",
        recreates=_OUTBOUND,
        max_length=15,
    ),
"""

PROBE = """
import inspect, json
from pulumi_autocalls import SipTrunk, SipTrunkArgs, SipTrunkRecord
from pulumi_autocalls._core.changes import compare, update_body
from pulumi_autocalls._core.trunks import api_fields, outputs
from pulumi_autocalls._core.validation import check_inputs
from pulumi_autocalls._docs import SECTIONS
from pulumi_autocalls._doctor.throwaway import Throwaway
from pulumi_autocalls._doctor.walk import UPDATABLE
from pulumi_autocalls._dynamic.diff import SipTrunkDiff
from pulumi_autocalls._dynamic.resource import registered_properties

base = {
    "sip_trunk_type": "extension", "phone_number": "1000", "sip_username": "myuser",
    "sip_password": "s3cret-pass", "sip_address": "sip.provider.com",
    "sip_calling_format": "+e164", "inbound_authorization_type": "auth", "country_code": "US",
}
checked = check_inputs({**base, "caller_name": "Front desk"})
too_long = check_inputs({**base, "caller_name": "x" * 16})
olds = {**checked.inputs, "outbound_trunk_id": "ST_b"}
news = {**checked.inputs, "caller_name": "Back office"}
diff = SipTrunkDiff(compare(olds, news), olds)
record = SipTrunkRecord.model_validate({
    "id": 7, **{k: v for k, v in base.items() if k not in ("sip_trunk_type", "sip_password")},
    "outbound_proxy": False, "caller_name": "Front desk", "created_at": "t", "updated_at": "t",
})
props, _ = registered_properties({**base, "caller_name": "Front desk"})
print(json.dumps({
    "check": [checked.inputs.get("caller_name"), [f.reason for f in too_long.failures]],
    "create_body": api_fields(checked.inputs).get("caller_name"),
    "update_body": update_body(compare(olds, news), news),
    "recreates_outbound": diff.recreates_outbound,
    "outputs": outputs(checked.inputs, record, "https://api.example/api").get("caller_name"),
    "registered": props["caller_name"],
    "args_field": "caller_name" in SipTrunkArgs.__dataclass_fields__,
    "keyword": "caller_name: pulumi.Input[str] | None = None," in inspect.getsource(SipTrunk),
    "output_doc": SipTrunk.caller_name.__doc__,
    "docs": ["caller_name" in SECTIONS[name]() for name in ("inputs", "reprovisioning")],
    "doctor": [
        Throwaway.new().inputs["caller_name"][:7], "caller_name" in [f.name for f in UPDATABLE]
    ],
}))
"""


def test_a_new_row_reaches_every_consumer(tmp_path: Path) -> None:
    copy = tmp_path / "pulumi_autocalls"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "emulator"))
    fields = copy / "_core" / "fields.py"
    text = fields.read_text(encoding="utf-8")
    anchor = '    Field(\n        "adopt_id",'
    fields.write_text(text.replace(anchor, NEW_ROW.lstrip("\n") + anchor), encoding="utf-8")

    env_path = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "pulumi_autocalls._codegen"],
        cwd=tmp_path,
        env={"PYTHONPATH": env_path, "PATH": ""},
        check=True,
        timeout=60,
    )
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PROBE)],
        cwd=tmp_path,
        env={"PYTHONPATH": env_path, "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "check": [
            "Front desk",
            ["caller_name must be at most 15 characters (got 'xxxxxxxxxxxxxxxx')"],
        ],
        "create_body": "Front desk",
        "update_body": {"caller_name": "Back office"},
        "recreates_outbound": ["caller_name"],
        "outputs": "Front desk",
        "registered": "Front desk",
        "args_field": True,
        "keyword": True,
        "output_doc": "The name shown to the called party.",
        "docs": [True, True],
        "doctor": ["doctor-", True],
    }
