"""``pulumi destroy``: delete everything in reverse dependency order (engine-semantics.md 4.6)."""

from __future__ import annotations

from ._deployment import Condemned, Deployment
from ._steps import DELETE, DELETE_REPLACED, DISCARD, DISCARD_REPLACED


def destroy(deployment: Deployment) -> None:
    condemned = []
    for entry in reversed(deployment.state.all_entries()):
        if entry.urn == deployment.context.provider_urn:
            continue
        if entry.delete:
            op = DISCARD_REPLACED if entry.external else DELETE_REPLACED
        else:
            op = DISCARD if entry.external else DELETE
        condemned.append(Condemned(entry, op))
    if deployment.delete_all(condemned):
        deployment.drop_unused_default_provider()
