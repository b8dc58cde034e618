"""The stack's state (the engine's snapshot) and its checkpoint file."""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._crypto import PassphraseCipher
from ._properties import (
    RESOURCE_REFERENCE_SIGNATURE,
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    Computed,
    PropertyMap,
    ResourceReference,
    Secret,
)

STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_TYPE = "pulumi:providers:pulumi-python"
CHECKPOINT_VERSION = 3


def make_urn(stack: str, project: str, qualified_type: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{project}::{qualified_type}::{name}"


def urn_name(urn: str) -> str:
    return urn.split("::", 3)[3]


def urn_qualified_type(urn: str) -> str:
    return urn.split("::")[2]


def default_provider_urn(stack: str, project: str) -> str:
    return make_urn(stack, project, PROVIDER_TYPE, "default")


@dataclass
class ResourceState:
    """One resource in the snapshot (the fields of a checkpoint resource that matter here)."""

    urn: str
    type: str
    custom: bool
    id: str = ""
    inputs: PropertyMap = field(default_factory=dict)
    outputs: PropertyMap = field(default_factory=dict)
    parent: str = ""
    provider: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    external: bool = False
    delete: bool = False
    pending_replacement: bool = False
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool | None = None
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return urn_name(self.urn)

    @property
    def provider_urn(self) -> str:
        return self.provider.rsplit("::", 1)[0] if self.provider else ""

    def depends_on(self) -> set[str]:
        """Every URN this resource needs to exist: parent, provider and dependencies."""
        needed = set(self.dependencies)
        for urns in self.property_dependencies.values():
            needed.update(urns)
        if self.parent:
            needed.add(self.parent)
        if self.provider_urn:
            needed.add(self.provider_urn)
        return needed

    def copy(self) -> ResourceState:
        return copy.deepcopy(self)


@dataclass
class StackState:
    """The live resources by URN (in snapshot order) plus resources pending deletion."""

    resources: dict[str, ResourceState] = field(default_factory=dict)
    pending_deletes: list[ResourceState] = field(default_factory=list)

    def __getitem__(self, urn: str) -> ResourceState:
        return self.resources[urn]

    def __contains__(self, urn: object) -> bool:
        return urn in self.resources

    def __iter__(self) -> Iterator[str]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def get(self, urn: str) -> ResourceState | None:
        return self.resources.get(urn)

    def by_name(self, name: str, type_: str | None = None) -> ResourceState:
        """The single live resource with this name (and type, if given)."""
        found = [
            res
            for res in self.resources.values()
            if res.name == name and (type_ is None or res.type == type_)
        ]
        if len(found) != 1:
            raise KeyError(f"{len(found)} resources named {name!r} in state")
        return found[0]

    def custom_resources(self) -> list[ResourceState]:
        """Managed and external custom resources, excluding providers."""
        return [
            res
            for res in self.resources.values()
            if res.custom and not res.type.startswith("pulumi:providers:")
        ]

    def stack_resource(self) -> ResourceState | None:
        return next((r for r in self.resources.values() if r.type == STACK_TYPE), None)

    @property
    def outputs(self) -> PropertyMap:
        """The stack outputs (``pulumi.export``) recorded at the last update."""
        stack = self.stack_resource()
        return dict(stack.outputs) if stack else {}

    def copy(self) -> StackState:
        return copy.deepcopy(self)

    def all_entries(self) -> list[ResourceState]:
        """Every entry in dependency order: what a checkpoint lists."""
        return _dependency_order([*self.resources.values(), *self.pending_deletes])


def _dependency_order(entries: list[ResourceState]) -> list[ResourceState]:
    """A stable topological order: each entry after the entries it depends on."""
    placed: set[int] = set()
    placed_urns: set[str] = set()
    present = {entry.urn for entry in entries}
    ordered: list[ResourceState] = []
    while len(ordered) < len(entries):
        progressed = False
        for index, entry in enumerate(entries):
            if index in placed:
                continue
            waiting = (entry.depends_on() & present) - placed_urns - {entry.urn}
            if not waiting:
                placed.add(index)
                placed_urns.add(entry.urn)
                ordered.append(entry)
                progressed = True
        if not progressed:  # a cycle cannot come from a real program; keep the rest as is
            ordered.extend(e for i, e in enumerate(entries) if i not in placed)
            break
    return ordered


# --- checkpoint file ---------------------------------------------------------------------------


def write_checkpoint(
    path: Path,
    state: StackState,
    *,
    stack: str,
    project: str,
    cipher: PassphraseCipher,
) -> None:
    """Write the state as a Pulumi checkpoint (``pulumi stack export`` shape), secrets encrypted."""
    resources = []
    for entry in state.all_entries():
        resource: dict[str, Any] = {
            "urn": entry.urn,
            "custom": entry.custom,
            "type": entry.type,
        }
        if entry.id:
            resource["id"] = entry.id
        if entry.delete:
            resource["delete"] = True
        resource["inputs"] = _encode_map(entry.inputs, cipher)
        resource["outputs"] = _encode_map(entry.outputs, cipher)
        optional: dict[str, Any] = {
            "parent": entry.parent,
            "provider": entry.provider,
            "dependencies": entry.dependencies,
            "propertyDependencies": entry.property_dependencies,
            "external": entry.external,
            "pendingReplacement": entry.pending_replacement,
            "protect": entry.protect,
            "retainOnDelete": entry.retain_on_delete,
            "ignoreChanges": entry.ignore_changes,
            "replaceOnChanges": entry.replace_on_changes,
            "additionalSecretOutputs": entry.additional_secret_outputs,
        }
        resource.update({key: value for key, value in optional.items() if value})
        if entry.delete_before_replace is not None:
            resource["deleteBeforeReplace"] = entry.delete_before_replace
        resources.append(resource)
    checkpoint = {
        "version": CHECKPOINT_VERSION,
        "checkpoint": {
            "stack": f"organization/{project}/{stack}",
            "latest": {
                "manifest": {
                    "time": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                    "magic": "",
                    "version": "pulumi-autocalls test harness",
                },
                "secrets_providers": {
                    "type": "passphrase",
                    "state": {"salt": cipher.provider_state()},
                },
                "resources": resources,
            },
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(checkpoint, indent=4) + "\n")
    temporary.replace(path)


def read_checkpoint(path: Path, passphrase: str) -> tuple[StackState, PassphraseCipher | None]:
    """Load a checkpoint written by :func:`write_checkpoint`, restoring Secret values."""
    document = json.loads(path.read_text())
    latest = document["checkpoint"].get("latest") or {}
    provider = latest.get("secrets_providers") or {}
    cipher = None
    if provider.get("type") == "passphrase":
        cipher = PassphraseCipher.from_provider_state(passphrase, provider["state"]["salt"])
    state = StackState()
    for resource in latest.get("resources") or []:
        entry = ResourceState(
            urn=resource["urn"],
            type=resource["type"],
            custom=resource.get("custom", False),
            id=resource.get("id", ""),
            inputs=_decode_map(resource.get("inputs") or {}, cipher),
            outputs=_decode_map(resource.get("outputs") or {}, cipher),
            parent=resource.get("parent", ""),
            provider=resource.get("provider", ""),
            dependencies=list(resource.get("dependencies") or []),
            property_dependencies=dict(resource.get("propertyDependencies") or {}),
            external=resource.get("external", False),
            delete=resource.get("delete", False),
            pending_replacement=resource.get("pendingReplacement", False),
            protect=resource.get("protect", False),
            retain_on_delete=resource.get("retainOnDelete", False),
            delete_before_replace=resource.get("deleteBeforeReplace"),
            ignore_changes=list(resource.get("ignoreChanges") or []),
            replace_on_changes=list(resource.get("replaceOnChanges") or []),
            additional_secret_outputs=list(resource.get("additionalSecretOutputs") or []),
        )
        if entry.delete:
            state.pending_deletes.append(entry)
        else:
            state.resources[entry.urn] = entry
    return state, cipher


def _encode_map(properties: Mapping[str, Any], cipher: PassphraseCipher) -> dict[str, Any]:
    return {key: _encode(value, cipher) for key, value in properties.items()}


def _encode(value: Any, cipher: PassphraseCipher) -> Any:
    if isinstance(value, Secret):
        plaintext = json.dumps(_encode(value.value, cipher))
        return {SIGNATURE_KEY: SECRET_SIGNATURE, "ciphertext": cipher.encrypt(plaintext)}
    if isinstance(value, Computed):
        raise ValueError("an unknown value cannot be written to state")
    if isinstance(value, ResourceReference):
        reference: dict[str, Any] = {SIGNATURE_KEY: RESOURCE_REFERENCE_SIGNATURE, "urn": value.urn}
        if value.id is not None:
            reference["id"] = _encode(value.id, cipher)
        if value.package_version:
            reference["packageVersion"] = value.package_version
        return reference
    if isinstance(value, Mapping):
        return _encode_map(value, cipher)
    if isinstance(value, list):
        return [_encode(item, cipher) for item in value]
    return value


def _decode_map(properties: Mapping[str, Any], cipher: PassphraseCipher | None) -> PropertyMap:
    return {key: _decode(value, cipher) for key, value in properties.items()}


def _decode(value: Any, cipher: PassphraseCipher | None) -> Any:
    if isinstance(value, Mapping):
        signature = value.get(SIGNATURE_KEY)
        if signature == SECRET_SIGNATURE:
            if "ciphertext" in value:
                if cipher is None:
                    raise ValueError("state holds encrypted secrets but no secrets provider")
                return Secret(_decode(json.loads(cipher.decrypt(value["ciphertext"])), cipher))
            return Secret(_decode(value.get("value"), cipher))
        if signature == RESOURCE_REFERENCE_SIGNATURE:
            ref_id = _decode(value["id"], cipher) if "id" in value else None
            return ResourceReference(value["urn"], ref_id, value.get("packageVersion", ""))
        return _decode_map(value, cipher)
    if isinstance(value, list):
        return [_decode(item, cipher) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
