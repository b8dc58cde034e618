"""``pulumi destroy``: delete everything in reverse dependency order (docs/engine-facts.md)."""

from __future__ import annotations

from ._deployment import Condemned, Deployment


def destroy(deployment: Deployment) -> None:
    condemned = [
        Condemned.removed(entry)
        for entry in reversed(deployment.state.all_entries())
        if entry.urn != deployment.context.provider_urn
    ]
    if deployment.delete_all(condemned):
        deployment.drop_unused_default_provider()
