"""``pulumi refresh`` (without running the program): Read every custom resource, then Diff the
refreshed state against the inputs the program last gave (docs/engine-facts.md)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ._deployment import Deployment
from ._host import ProviderUnavailableError
from ._properties import UnexpectedUnknownError, changed_keys, mark_secret_outputs
from ._server import ProviderError
from ._state import ResourceState
from ._steps import DELETE, SAME, UPDATE, Step, StepDiff


def refresh(deployment: Deployment) -> None:
    work: list[tuple[ResourceState, Step]] = []
    for entry in list(deployment.state.resources.values()):
        if entry.urn == deployment.context.provider_urn:
            continue
        step = deployment.new_step(SAME, entry.urn, id=entry.id, custom=entry.custom)
        if entry.custom:
            work.append((entry, step))
    with ThreadPoolExecutor(max_workers=max(1, deployment.context.parallel)) as pool:
        list(pool.map(lambda pair: _refresh_one(deployment, *pair), work))


def _refresh_one(deployment: Deployment, entry: ResourceState, step: Step) -> None:
    try:
        provider = deployment.provider_from_state()
        with deployment.execution_slot():
            response = provider.read(
                entry.urn, entry.id, properties=entry.outputs, inputs=entry.inputs
            )
            if not response.id or response.properties is None:
                step.op = DELETE
                with deployment.locked():
                    deployment.state.resources.pop(entry.urn, None)
                return
            outputs = mark_secret_outputs(response.properties, entry.additional_secret_outputs)
            inputs = response.inputs if response.inputs is not None else entry.inputs
            if entry.external:
                changed = bool(changed_keys(entry.outputs, outputs))
            else:
                diff = provider.diff(
                    entry.urn,
                    response.id,
                    olds=outputs,
                    old_inputs=inputs,
                    news=entry.inputs,
                    ignore_changes=entry.ignore_changes,
                    dry_run=deployment.context.dry_run,
                )
                if diff.changes == "DIFF_UNKNOWN":
                    keys = changed_keys(inputs, entry.inputs)
                    changed = bool(keys)
                else:
                    keys, changed = [], diff.changes == "DIFF_SOME"
                step.diff = StepDiff(
                    provider_answer=diff.changes,
                    changes=changed,
                    changed_keys=tuple(keys),
                    replaces=tuple(diff.replaces) if changed else (),
                    delete_before_replace=diff.delete_before_replace,
                )
    except (ProviderError, ProviderUnavailableError, UnexpectedUnknownError) as error:
        deployment.fail(step, entry.urn, str(error))
        return
    if changed:
        step.op = UPDATE
        step.display_keys = tuple(
            key for key in changed_keys(entry.outputs, outputs) if not key.startswith("__")
        )
    step.id = response.id
    with deployment.locked():
        entry.id, entry.outputs, entry.inputs = response.id, outputs, dict(inputs)
