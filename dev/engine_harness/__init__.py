"""An engine-faithful test harness for Pulumi Python dynamic providers.

It plays the Pulumi engine for a real Pulumi program: the program runs in this process against
a resource monitor that answers like the engine, and the resources go to a real
``python -u -m pulumi.dynamic`` process per operation, driven over gRPC with the engine's
marshalling (secrets as plaintext, unknowns only in preview Check/Diff, numbers as floats) and
its step logic (same / create / update / replace / delete, refresh, destroy). It knows nothing
about any particular provider; see docs/engine-facts.md.

Usage::

    from engine_harness import Engine, Secret

    engine = Engine(project_dir, project="myproj", config={"myproj:apiKey": Secret("k")},
                    state_path=tmp / "state.json")
    engine.preview(program)                        # a callable, or a directory with __main__.py
    result = engine.up(program)
    print(result.render())                         # the CLI's table, diagnostics, summary
    engine.up(program, expect_no_changes=True)     # like `pulumi up --expect-no-changes`
    engine.refresh(expect_no_changes=True)
    engine.destroy()

An operation with errors raises ``DeploymentFailed`` (``.result`` holds the steps and the
provider's error text) after recording in ``engine.state`` whatever succeeded.
"""

from ._acceptance import AcceptanceRun, acceptance_sequence
from ._crypto import IncorrectPassphraseError
from ._engine import DEFAULT_PASSPHRASE, Engine
from ._monitor import EngineMonitor, LogMessage
from ._properties import (
    UNKNOWN,
    Computed,
    PropertyMap,
    ResourceReference,
    Secret,
    annotate_secrets,
    changed_keys,
    unwrap_secrets,
)
from ._result import DeploymentFailed, ExpectedNoChanges, OperationResult
from ._server import OutputLine, ProviderProcess, RpcCall
from ._state import ResourceState, StackState
from ._steps import Step, StepDiff

__all__ = [
    "DEFAULT_PASSPHRASE",
    "UNKNOWN",
    "AcceptanceRun",
    "Computed",
    "DeploymentFailed",
    "Engine",
    "EngineMonitor",
    "ExpectedNoChanges",
    "IncorrectPassphraseError",
    "LogMessage",
    "OperationResult",
    "OutputLine",
    "PropertyMap",
    "ProviderProcess",
    "ResourceReference",
    "ResourceState",
    "RpcCall",
    "Secret",
    "StackState",
    "Step",
    "StepDiff",
    "acceptance_sequence",
    "annotate_secrets",
    "changed_keys",
    "unwrap_secrets",
]
