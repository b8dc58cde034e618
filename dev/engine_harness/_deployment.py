"""Bookkeeping shared by every operation: the state being built, steps, errors, the provider,
and the engine's delete scheduling (reverse dependency order, in parallel antichains)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from ._host import ProviderHost, ProviderUnavailableError
from ._properties import UNKNOWN, PropertyMap, changed_keys
from ._server import ProviderError, ProviderProcess
from ._state import (
    PROVIDER_TYPE,
    ResourceState,
    StackState,
    default_provider_urn,
    urn_name,
    urn_qualified_type,
)
from ._steps import (
    CREATE,
    DELETE,
    DELETE_REPLACED,
    DISCARD,
    DISCARD_REPLACED,
    REMOVE_PENDING_REPLACE,
    SAME,
    UPDATE,
    Step,
    StepDiff,
)


class StepFailed(Exception):
    """A step failed; the program's registration fails with this error."""


@dataclass(frozen=True)
class RunContext:
    project: str
    stack: str
    config: PropertyMap  # the current stack config, secrets as Secret
    dry_run: bool
    parallel: int

    @property
    def provider_urn(self) -> str:
        return default_provider_urn(self.stack, self.project)


@dataclass
class Condemned:
    """A state entry to delete, and the op the step will show."""

    entry: ResourceState
    op: str

    @classmethod
    def removed(cls, entry: ResourceState) -> Condemned:
        """The step for an entry that is no longer wanted (a program no longer declares it,
        or a destroy)."""
        if entry.delete:
            return cls(entry, DISCARD_REPLACED if entry.external else DELETE_REPLACED)
        if entry.pending_replacement:
            return cls(entry, REMOVE_PENDING_REPLACE)
        return cls(entry, DISCARD if entry.external else DELETE)


class Deployment:
    """One engine run over a snapshot. ``state`` starts as a copy of ``old`` and is mutated as
    steps succeed; a preview throws it away, the other operations save it."""

    def __init__(self, context: RunContext, old: StackState, host: ProviderHost) -> None:
        self.context = context
        self.old = old
        self.state = old.copy()
        self.host = host
        self.steps: list[Step] = []
        self.provider_steps: list[Step] = []
        self.errors: list[tuple[str, str]] = []  # (urn or "", message)
        self.cancelled = False
        self._lock = threading.RLock()
        self._slots = threading.BoundedSemaphore(max(1, context.parallel))
        self.parents: dict[str, str] = {}  # parent URNs of this run's registrations
        self._registered_providers: set[str] = set()
        self._provider_id = ""

    # --- steps and failures --------------------------------------------------------------------

    def new_step(
        self,
        op: str,
        urn: str,
        *,
        id: str = "",
        custom: bool = True,
        diff: StepDiff | None = None,
        display_keys: tuple[str, ...] = (),
    ) -> Step:
        """Record a step in generation order (the default provider's apart, as the CLI hides it)."""
        known = self.state.resources.get(urn) or self.old.get(urn)
        step = Step(
            op=op,
            urn=urn,
            type=urn_qualified_type(urn).split("$")[-1],
            name=urn_name(urn),
            parent=self.parents.get(urn, known.parent if known else ""),
            id=id,
            custom=custom,
            diff=diff,
            display_keys=display_keys,
        )
        with self._lock:
            if urn == self.context.provider_urn:
                self.provider_steps.append(step)
            else:
                self.steps.append(step)
        return step

    def fail(self, step: Step | None, urn: str, message: str) -> StepFailed:
        """Record a failure (cancelling the rest of the run) and return the error to raise."""
        with self._lock:
            if step is not None:
                step.error = message
            self.errors.append((urn, message))
            self.cancelled = True
        return StepFailed(message)

    @contextmanager
    def execution_slot(self) -> Iterator[None]:
        """Bound concurrent Create/Update/Delete/Read to ``--parallel``."""
        with self._slots:
            yield

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    # --- the default provider ------------------------------------------------------------------

    def provider_from_state(self) -> ProviderProcess:
        """The provider as the engine loads it from old state (``EnsureProvider``): configured
        with the config stored at the last update. Reuses the process if one is running."""
        stored = self.old.get(self.context.provider_urn)
        return self.host.ensure(
            provider_urn=self.context.provider_urn,
            provider_id=stored.id if stored else str(uuid.uuid4()),
            config=stored.inputs if stored else self.context.config,
            in_state=stored is not None,
        )

    def register_default_provider(self) -> ProviderProcess:
        """Register ``pulumi:providers:pulumi-python::default`` with the current config, as the
        engine does when a program first uses a dynamic resource."""
        urn = self.context.provider_urn
        old = self.old.get(urn)
        with self._lock:
            if urn not in self._registered_providers:
                self._registered_providers.add(urn)
                config = dict(self.context.config)
                if old is None:
                    op = CREATE
                    self._provider_id = UNKNOWN if self.context.dry_run else str(uuid.uuid4())
                else:
                    op = UPDATE if changed_keys(old.outputs, config) else SAME
                    self._provider_id = old.id
                self.new_step(op, urn, id=self._provider_id)
                self.state.resources[urn] = ResourceState(
                    urn=urn,
                    type=PROVIDER_TYPE,
                    custom=True,
                    id=self._provider_id,
                    inputs=config,
                    outputs=dict(config),
                )
        return self.host.ensure(
            provider_urn=urn,
            provider_id=self._provider_id,
            config=self.context.config,
            in_state=old is not None,
        )

    @property
    def provider_reference(self) -> str:
        return f"{self.context.provider_urn}::{self._provider_id}"

    def drop_unused_default_provider(self) -> None:
        """Delete the default provider from state once nothing refers to it (no RPC)."""
        urn = self.context.provider_urn
        with self._lock:
            if urn not in self.state.resources or urn in self._registered_providers:
                return
            users = [
                entry
                for entry in [*self.state.resources.values(), *self.state.pending_deletes]
                if entry.provider_urn == urn
            ]
            if users:
                return
        self.new_step(DELETE, urn, id=self.state.resources[urn].id)
        with self._lock:
            del self.state.resources[urn]

    # --- deletes -------------------------------------------------------------------------------

    def delete_all(self, condemned: list[Condemned]) -> bool:
        """Delete in reverse dependency order, each antichain in parallel; stop at a failure
        (what remains stays in state). Returns whether everything was deleted."""
        remaining = list(condemned)
        while remaining:
            ready = [
                item
                for item in remaining
                if not any(
                    other is not item and item.entry.urn in other.entry.depends_on()
                    for other in remaining
                )
            ] or list(remaining)
            steps = [(item, self._delete_step(item)) for item in ready]
            with ThreadPoolExecutor(max_workers=max(1, self.context.parallel)) as pool:
                results = list(pool.map(lambda pair: self._delete_one(*pair), steps))
            if not all(results):
                return False
            done = {id(item) for item in ready}
            remaining = [item for item in remaining if id(item) not in done]
        return True

    def _delete_step(self, item: Condemned) -> Step:
        entry = item.entry
        if item.op == REMOVE_PENDING_REPLACE:  # not reported by the engine
            return Step(item.op, entry.urn, entry.type, entry.name, entry.id, counted=False)
        return self.new_step(item.op, entry.urn, id=entry.id, custom=entry.custom)

    def _delete_one(self, item: Condemned, step: Step) -> bool:
        entry = item.entry
        if entry.protect and item.op in (DELETE, DISCARD):
            self.fail(
                step,
                entry.urn,
                f'unable to delete resource "{entry.urn}"\nas it is currently marked for '
                "protection. To unprotect the resource, remove the `protect` flag from the "
                "resource in your Pulumi program and run `pulumi up`",
            )
            return False
        needs_rpc = (
            entry.custom
            and not entry.external
            and not entry.retain_on_delete
            and item.op not in (DISCARD, DISCARD_REPLACED, REMOVE_PENDING_REPLACE)
        )
        if needs_rpc and not self.context.dry_run:
            try:
                provider = self.provider_from_state()
                with self.execution_slot():
                    provider.delete(
                        entry.urn, entry.id, properties=entry.outputs, old_inputs=entry.inputs
                    )
            except (ProviderError, ProviderUnavailableError) as error:
                self.fail(step, entry.urn, str(error))
                return False
        with self._lock:
            if item.op in (DELETE_REPLACED, DISCARD_REPLACED) or entry.delete:
                self.state.pending_deletes = [
                    kept for kept in self.state.pending_deletes if kept is not entry
                ]
            elif self.state.resources.get(entry.urn) is entry:
                del self.state.resources[entry.urn]
        return True
