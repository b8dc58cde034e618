"""The file ``pulumi import --file`` takes to bring existing trunks into a stack as ``SipTrunk``s.

Since Pulumi 3.254 an entry of an import file may carry the resource's ``inputs`` and ``outputs``,
and the engine then takes them as they are instead of asking the provider to read the resource,
which a dynamic provider cannot answer (its server needs the serialized provider among the
inputs, and an import sends none). So each entry carries what a ``SipTrunk`` of the program would
store: the serialized provider, as a secret, and the live trunk's fields normalized as ``check``
would; its outputs add the voice trunk ids and timestamps. The write-only fields
(``sip_password``, ``sip_trunk_type``) are left out: the API never shows them, and the first
``pulumi up`` records the program's values without sending them (see ``_core.changes``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from .._core.models import SipTrunkRecord
from .._core.trunks import outputs, record_inputs
from .provider import SipTrunkProvider
from .resource import SipTrunk, sdk_pickler_patches_undone

# How ``pulumi stack export`` marks a secret: the engine decrypts nothing it reads from this file.
_SECRET_SIGNATURE = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
RESOURCE_TYPE = f"pulumi-python:{SipTrunk._resource_type_name}"
"""The type token every ``SipTrunk`` registers (``pulumi-python:dynamic/autocalls:SipTrunk``)."""


def _secret(value: Any) -> dict[str, Any]:
    return {**_SECRET_SIGNATURE, "plaintext": json.dumps(value)}


def import_file(records: Mapping[str, SipTrunkRecord], base_url: str) -> dict[str, Any]:
    """The import file for ``records`` of the API at ``base_url``, keyed by the resource name each
    gets in the program."""
    with sdk_pickler_patches_undone():
        provider = serialize_provider(SipTrunkProvider())
    resources = []
    for name, record in records.items():
        inputs = {"__provider": _secret(provider), **record_inputs(record)}
        resources.append(
            {
                "type": RESOURCE_TYPE,
                "name": name,
                "id": str(record.id),
                "inputs": inputs,
                "outputs": {**inputs, **outputs(record_inputs(record), record, base_url)},
            }
        )
    return {"resources": resources}
