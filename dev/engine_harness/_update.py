"""Step generation and execution for a program run (``preview`` and ``up``).

Follows docs/engine-facts.md: Check and Diff one registration at a time (the step
generator), Create/Update/Delete/Read concurrently (the step executor), deletes after the program.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ._deployment import Condemned, Deployment, RunContext, StepFailed
from ._goals import Goal
from ._host import ProviderHost, ProviderUnavailableError
from ._properties import (
    UNKNOWN,
    PropertyMap,
    UnexpectedUnknownError,
    changed_keys,
    mark_secret_outputs,
    path_covers_key,
    reset_ignored_paths,
)
from ._server import DiffResponse, ProviderError, ProviderProcess
from ._state import STACK_TYPE, ResourceState, StackState, make_urn, urn_qualified_type
from ._steps import (
    CREATE,
    CREATE_REPLACEMENT,
    DELETE_REPLACED,
    DISCARD_REPLACED,
    IMPORT,
    READ,
    READ_REPLACEMENT,
    REPLACE,
    SAME,
    UPDATE,
    Step,
    StepDiff,
)

T = TypeVar("T")


@dataclass
class Outcome:
    """What the engine answers the program: the URN, the id and the output properties."""

    urn: str
    id: str
    outputs: PropertyMap


@dataclass
class _Plan:
    kind: str  # CREATE, SAME, UPDATE or REPLACE
    provider: ProviderProcess
    inputs: PropertyMap  # the checked inputs (of the second Check for a replace)
    steps: list[Step] = field(default_factory=list)
    delete_before_replace: bool = False


def decide_diff(
    response: DiffResponse,
    old_inputs: PropertyMap,
    new_inputs: PropertyMap,
    goal: Goal,
) -> StepDiff:
    """The engine's reading of a Diff answer (docs/engine-facts.md)."""
    keys: list[str] = []
    if response.changes == "DIFF_UNKNOWN":
        compared = reset_ignored_paths(new_inputs, old_inputs, goal.ignore_changes)
        keys = changed_keys(old_inputs, compared)
        changes = bool(keys)
    else:
        changes = response.changes == "DIFF_SOME"
    replaces = list(response.replaces)
    for path in goal.replace_on_changes:
        replaces += [key for key in keys if path_covers_key(path, key) and key not in replaces]
    delete_before_replace = (
        goal.delete_before_replace
        if goal.delete_before_replace is not None
        else response.delete_before_replace
    )
    return StepDiff(
        provider_answer=response.changes,
        changes=changes,
        changed_keys=tuple(keys),
        replaces=tuple(replaces) if changes else (),
        delete_before_replace=bool(delete_before_replace),
    )


def _display_keys(
    old_inputs: PropertyMap, new_inputs: PropertyMap, diff: StepDiff
) -> tuple[str, ...]:
    keys = diff.changed_keys or tuple(changed_keys(old_inputs, new_inputs))
    return tuple(key for key in keys if not key.startswith("__"))


class ProgramDeployment(Deployment):
    """Answers the program's registrations the way the engine's step generator and executor do."""

    def __init__(self, context: RunContext, old: StackState, host: ProviderHost) -> None:
        super().__init__(context, old, host)
        self._generator = threading.Lock()
        self.registered: set[str] = set()
        self.replaced: list[Condemned] = []
        self.stack_outputs: PropertyMap = {}

    # --- URNs ----------------------------------------------------------------------------------

    def urn_for(self, type_: str, name: str, parent: str) -> str:
        if parent and urn_qualified_type(parent) != STACK_TYPE:
            type_ = f"{urn_qualified_type(parent)}${type_}"
        return make_urn(self.context.stack, self.context.project, type_, name)

    def _claim(self, urn: str, goal: Goal) -> None:
        with self.locked():
            self.parents[urn] = goal.parent
            if self.cancelled:
                raise StepFailed("the deployment was cancelled after an earlier error")
            if urn in self.registered:
                raise self.fail(
                    None, urn, f"Duplicate resource URN '{urn}'; try giving it a unique name"
                )
            self.registered.add(urn)

    def _require_dynamic(self, urn: str, goal: Goal) -> None:
        if goal.provider:
            raise self.fail(None, urn, "the harness does not model explicit provider resources")
        if not goal.type.startswith("pulumi-python:"):
            raise self.fail(
                None, urn, f"the harness only runs pulumi-python dynamic resources, not {goal.type}"
            )

    # --- registrations -------------------------------------------------------------------------

    def register(self, goal: Goal) -> Outcome:
        urn = self.urn_for(goal.type, goal.name, goal.parent)
        self._claim(urn, goal)
        if not goal.custom:
            return self._register_component(urn, goal)
        self._require_dynamic(urn, goal)
        old = self.old.get(urn)
        if goal.import_id and old is None:
            return self._import(urn, goal)
        if old is not None and old.pending_replacement:
            old = None  # deleted by an earlier delete-before-replace; only the create is left
        with self._generator:
            plan = self._plan(urn, goal, old)
        return self._execute(urn, goal, old, plan)

    def read(self, goal: Goal) -> Outcome:
        """A ``ResourceOptions(id=...)`` get: no Check, no Diff; Read also in preview."""
        urn = self.urn_for(goal.type, goal.name, goal.parent)
        self._claim(urn, goal)
        self._require_dynamic(urn, goal)
        old = self.old.get(urn)
        read_id = goal.read_id or ""
        # A managed resource at this URN with another id is condemned (read-replacement).
        replacing = old is not None and not old.external and old.id != read_id
        with self._generator:
            step = self.new_step(READ_REPLACEMENT if replacing else READ, urn, id=read_id)
            provider = self._provider(step, urn)
        if self.context.dry_run and read_id in ("", UNKNOWN):
            step.counted = False
            return Outcome(urn, "", {})
        response = self._rpc(
            step,
            urn,
            lambda: provider.read(urn, read_id, properties=goal.properties, inputs=goal.properties),
        )
        if response.properties is None:
            raise self.fail(step, urn, f"resource '{read_id}' does not exist")
        outputs = mark_secret_outputs(response.properties, goal.additional_secret_outputs)
        new_id = response.id or read_id
        step.id = new_id
        if step.op == READ:
            step.counted = old is not None and bool(changed_keys(old.outputs, outputs))
        entry = self._entry(urn, goal, new_id, goal.properties, outputs)
        entry.external = True
        with self.locked():
            if replacing:
                self._condemn(self.state.resources[urn])
            self.state.resources[urn] = entry
        return Outcome(urn, new_id, outputs)

    def register_outputs(self, urn: str, outputs: PropertyMap) -> None:
        with self.locked():
            entry = self.state.resources.get(urn)
            if entry is not None:
                entry.outputs = dict(outputs)
            if urn_qualified_type(urn) == STACK_TYPE:
                self.stack_outputs = dict(outputs)

    # --- after the program ---------------------------------------------------------------------

    def finish(self) -> None:
        """Delete what the program no longer declares and the originals of replacements, in
        reverse dependency order, then drop the default provider if nothing uses it."""
        provider_urn = self.context.provider_urn
        replaced = {id(item.entry): item for item in self.replaced}
        condemned: list[Condemned] = []
        for entry in reversed(self.state.all_entries()):
            if id(entry) in replaced:
                condemned.append(replaced[id(entry)])
            elif entry.delete or (entry.urn not in self.registered and entry.urn != provider_urn):
                condemned.append(Condemned.removed(entry))
        if self.delete_all(condemned):
            self.drop_unused_default_provider()

    # --- step generation -----------------------------------------------------------------------

    def _plan(self, urn: str, goal: Goal, old: ResourceState | None) -> _Plan:
        provider = self._provider(None, urn, CREATE if old is None else UPDATE)
        news = goal.properties
        if old is not None:
            news = reset_ignored_paths(news, old.inputs, goal.ignore_changes)
        fallback_op = CREATE if old is None else UPDATE
        checked = self._check(provider, urn, old.inputs if old else {}, news, fallback_op)
        if old is None:
            return _Plan(CREATE, provider, checked, [self.new_step(CREATE, urn)])

        response = self._rpc(
            None,
            urn,
            lambda: provider.diff(
                urn,
                old.id,
                olds=old.outputs,
                old_inputs=old.inputs,
                news=checked,
                ignore_changes=goal.ignore_changes,
                dry_run=self.context.dry_run,
            ),
            op=UPDATE,
        )
        diff = decide_diff(response, old.inputs, checked, goal)
        keys = _display_keys(old.inputs, checked, diff)
        if not diff.changes:
            return _Plan(SAME, provider, checked, [self.new_step(SAME, urn, id=old.id, diff=diff)])
        if not diff.replaces:
            step = self.new_step(UPDATE, urn, id=old.id, diff=diff, display_keys=keys)
            return _Plan(UPDATE, provider, checked, [step])

        if old.protect:
            step = self.new_step(REPLACE, urn, id=old.id, diff=diff, display_keys=keys)
            raise self.fail(
                step,
                urn,
                f'unable to replace resource "{urn}"\nas it is currently marked for protection. '
                "To unprotect the resource, remove the `protect` flag from the resource in your "
                "Pulumi program and run `pulumi up`",
            )
        rechecked = self._check(provider, urn, {}, news, REPLACE)

        def replace_step(op: str, id_: str = "") -> Step:
            return self.new_step(op, urn, id=id_, diff=diff, display_keys=keys)

        if diff.delete_before_replace:
            steps = [
                replace_step(DELETE_REPLACED, old.id),
                replace_step(REPLACE, old.id),
                replace_step(CREATE_REPLACEMENT),
            ]
        else:
            steps = [replace_step(CREATE_REPLACEMENT), replace_step(REPLACE, old.id)]
        return _Plan(REPLACE, provider, rechecked, steps, diff.delete_before_replace)

    def _check(
        self,
        provider: ProviderProcess,
        urn: str,
        olds: PropertyMap,
        news: PropertyMap,
        op: str,
    ) -> PropertyMap:
        response = self._rpc(
            None,
            urn,
            lambda: provider.check(urn, olds, news, dry_run=self.context.dry_run),
            op=op,
        )
        if response.failures:
            message = "\n".join(
                f"{prop}: {reason}" if prop else reason for prop, reason in response.failures
            )
            raise self.fail(self.new_step(op, urn), urn, message)
        return response.inputs

    def _provider(self, step: Step | None, urn: str, op: str = READ) -> ProviderProcess:
        try:
            return self.register_default_provider()
        except ProviderUnavailableError as error:
            raise self.fail(step or self.new_step(op, urn), urn, str(error)) from None

    def _rpc(self, step: Step | None, urn: str, call: Callable[[], T], *, op: str = "") -> T:
        """Run a provider call; a failure fails the step (creating it if needed)."""
        try:
            return call()
        except (ProviderError, UnexpectedUnknownError) as error:
            raise self.fail(step or self.new_step(op, urn), urn, str(error)) from None

    # --- step execution ------------------------------------------------------------------------

    def _execute(self, urn: str, goal: Goal, old: ResourceState | None, plan: _Plan) -> Outcome:
        if plan.kind == SAME:
            assert old is not None
            return self._settle(urn, goal, old.id, plan.inputs, old.outputs)
        if plan.kind == CREATE:
            return self._create(urn, goal, plan, plan.steps[0])
        assert old is not None
        if plan.kind == UPDATE:
            return self._update(urn, goal, old, plan)
        if plan.delete_before_replace:
            self._delete_before_replace(urn, old, plan)
            return self._create(urn, goal, plan, plan.steps[2])
        with self.locked():
            original = self.state.resources[urn]
        outcome = self._create(urn, goal, plan, plan.steps[0])
        with self.locked():
            self._condemn(original)
        return outcome

    def _create(self, urn: str, goal: Goal, plan: _Plan, step: Step) -> Outcome:
        if self.context.dry_run:
            # The engine answers a preview create itself: outputs are the checked inputs.
            return self._settle(urn, goal, "", plan.inputs, plan.inputs)
        with self.execution_slot():
            new_id, outputs = self._rpc(step, urn, lambda: plan.provider.create(urn, plan.inputs))
        if not new_id:
            raise self.fail(step, urn, "provider did not return an ID from Create")
        step.id = new_id
        return self._settle(urn, goal, new_id, plan.inputs, outputs)

    def _update(self, urn: str, goal: Goal, old: ResourceState, plan: _Plan) -> Outcome:
        if self.context.dry_run:
            return self._settle(urn, goal, old.id, plan.inputs, plan.inputs)
        with self.execution_slot():
            outputs = self._rpc(
                plan.steps[0],
                urn,
                lambda: plan.provider.update(
                    urn,
                    old.id,
                    olds=old.outputs,
                    old_inputs=old.inputs,
                    news=plan.inputs,
                    ignore_changes=goal.ignore_changes,
                ),
            )
        return self._settle(urn, goal, old.id, plan.inputs, outputs)

    def _delete_before_replace(self, urn: str, old: ResourceState, plan: _Plan) -> None:
        if self.context.dry_run:
            return
        if not old.retain_on_delete:
            with self.execution_slot():
                self._rpc(
                    plan.steps[0],
                    urn,
                    lambda: plan.provider.delete(
                        urn, old.id, properties=old.outputs, old_inputs=old.inputs
                    ),
                )
        with self.locked():
            self.state.resources[urn].pending_replacement = True

    def _condemn(self, original: ResourceState) -> None:
        """Mark a replaced entry ``delete: true``; it is deleted after the program."""
        original.delete = True
        self.state.pending_deletes.append(original)
        op = DISCARD_REPLACED if original.external else DELETE_REPLACED
        self.replaced.append(Condemned(original, op))

    def _entry(
        self,
        urn: str,
        goal: Goal,
        id_: str,
        inputs: PropertyMap,
        outputs: PropertyMap,
    ) -> ResourceState:
        return ResourceState(
            urn=urn,
            type=goal.type,
            custom=goal.custom,
            id=id_,
            inputs=dict(inputs),
            outputs=dict(outputs),
            parent=goal.parent,
            provider=self.provider_reference if goal.custom else "",
            dependencies=list(goal.dependencies),
            property_dependencies={k: list(v) for k, v in goal.property_dependencies.items()},
            protect=bool(goal.protect),
            retain_on_delete=bool(goal.retain_on_delete),
            delete_before_replace=goal.delete_before_replace,
            ignore_changes=list(goal.ignore_changes),
            replace_on_changes=list(goal.replace_on_changes),
            additional_secret_outputs=list(goal.additional_secret_outputs),
        )

    def _settle(
        self, urn: str, goal: Goal, id_: str, inputs: PropertyMap, outputs: PropertyMap
    ) -> Outcome:
        """Record the new state of a step that succeeded (``additional_secret_outputs``
        applied, as the step executor does for every step) and answer the program."""
        outputs = mark_secret_outputs(outputs, goal.additional_secret_outputs)
        self._store(self._entry(urn, goal, id_, inputs, outputs))
        return Outcome(urn, id_, outputs)

    def _store(self, entry: ResourceState) -> None:
        with self.locked():
            self.state.resources[entry.urn] = entry

    # --- components and imports ----------------------------------------------------------------

    def _register_component(self, urn: str, goal: Goal) -> Outcome:
        old = self.old.get(urn)
        if old is None:
            op = CREATE
        else:
            op = UPDATE if changed_keys(old.inputs, goal.properties) else SAME
        self.new_step(op, urn, custom=False)
        outputs = dict(old.outputs) if old else {}
        self._store(self._entry(urn, goal, "", goal.properties, outputs))
        return Outcome(urn, "", outputs)

    def _import(self, urn: str, goal: Goal) -> Outcome:
        """``import_``: the engine's ImportStep reads with no properties and no inputs, which
        the Python server cannot serve (it needs ``__provider``): pulumi/pulumi#16175."""
        with self._generator:
            step = self.new_step(IMPORT, urn, id=goal.import_id)
            provider = self._provider(step, urn)
        with self.execution_slot():
            response = self._rpc(
                step,
                urn,
                lambda: provider.read(urn, goal.import_id, properties=None, inputs=None),
            )
        if response.inputs is None:
            raise self.fail(
                step,
                urn,
                "provider does not support importing resources; please try updating the "
                "'pulumi-python' plugin",
            )
        raise self.fail(step, urn, "the harness does not model a successful import")
