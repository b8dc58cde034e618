"""What the program asked for: a resource registration or read, decoded from the wire request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._properties import PropertyMap, struct_to_properties


@dataclass
class Goal:
    """A ``RegisterResource`` or ``ReadResource`` request, as the engine sees it."""

    type: str
    name: str
    parent: str
    custom: bool
    properties: PropertyMap
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str = ""
    protect: bool | None = None
    retain_on_delete: bool | None = None
    delete_before_replace: bool | None = None
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)
    import_id: str = ""
    read_id: str | None = None  # set for a ReadResource ("get")

    @classmethod
    def from_register_request(cls, request: Any) -> Goal:
        return cls(
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=request.custom,
            properties=struct_to_properties(request.object),
            dependencies=list(request.dependencies),
            property_dependencies={
                key: list(deps.urns) for key, deps in request.propertyDependencies.items()
            },
            provider=request.provider,
            protect=request.protect if request.HasField("protect") else None,
            retain_on_delete=(
                request.retainOnDelete if request.HasField("retainOnDelete") else None
            ),
            delete_before_replace=(
                request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None
            ),
            ignore_changes=list(request.ignoreChanges),
            replace_on_changes=list(request.replaceOnChanges),
            additional_secret_outputs=list(request.additionalSecretOutputs),
            import_id=request.importId,
        )

    @classmethod
    def from_read_request(cls, request: Any) -> Goal:
        return cls(
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=True,
            properties=struct_to_properties(request.properties),
            dependencies=list(request.dependencies),
            provider=request.provider,
            additional_secret_outputs=list(request.additionalSecretOutputs),
            read_id=request.id,
        )
