"""An engine-faithful test harness for Pulumi Python dynamic providers.

It plays the Pulumi engine (preview / up / refresh / destroy) for a real Pulumi program, driving
the real ``python -m pulumi.dynamic`` server over gRPC with the engine's marshalling and step
logic, as described in /work/shared/engine-semantics.md section 13. It knows nothing about any
particular provider.
"""

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
from ._server import OutputLine, RpcCall
from ._state import ResourceState, StackState
from ._steps import Step, StepDiff

__all__ = [
    "DEFAULT_PASSPHRASE",
    "UNKNOWN",
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
    "ResourceReference",
    "ResourceState",
    "RpcCall",
    "Secret",
    "StackState",
    "Step",
    "StepDiff",
    "annotate_secrets",
    "changed_keys",
    "unwrap_secrets",
]
