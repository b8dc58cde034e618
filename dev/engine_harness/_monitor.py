"""The program's side of the engine: a resource monitor and an engine log service.

``EngineMonitor`` answers registrations and reads with the deployment's step logic, and the SDK's
other requests (features, transforms, packages) as the SDK's own ``MockMonitor`` does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, ClassVar

from google.protobuf import empty_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import engine_pb2, resource_pb2

from ._goals import Goal
from ._properties import PropertyMap, properties_to_struct, struct_to_properties
from ._update import ProgramDeployment


class _NoMocks(Mocks):
    """Never consulted: every request the SDK makes is answered by ``EngineMonitor``."""

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise NotImplementedError(f"the harness does not model invokes ({args.token})")

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        raise NotImplementedError("unreachable: EngineMonitor answers registrations itself")


def _to_program(outputs: PropertyMap) -> Any:
    """Outputs as the engine sends them to the language host: secrets and unknowns kept."""
    return properties_to_struct(outputs, keep_secrets=True, keep_unknowns=True, keep_resources=True)


class EngineMonitor:
    """Answers ``RegisterResource``, ``ReadResource`` and ``RegisterResourceOutputs`` like the
    engine's resource monitor.

    Deliberately not a ``MockMonitor`` (the SDK's housekeeping requests are passed to one): the
    real engine's monitor is not one either, and a program may ask. pulumi_autocalls's lookups
    do, to tell a unit test under ``pulumi.runtime.set_mocks`` from a deployment.
    """

    def __init__(self, deployment: ProgramDeployment) -> None:
        self._sdk_answers = MockMonitor(_NoMocks())
        self.deployment = deployment

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sdk_answers, name)

    def RegisterResource(self, request: Any) -> Any:
        outcome = self.deployment.register(Goal.from_register_request(request))
        return resource_pb2.RegisterResourceResponse(
            urn=outcome.urn, id=outcome.id, object=_to_program(outcome.outputs)
        )

    def ReadResource(self, request: Any) -> Any:
        outcome = self.deployment.read(Goal.from_read_request(request))
        return resource_pb2.ReadResourceResponse(
            urn=outcome.urn, id=outcome.id, properties=_to_program(outcome.outputs)
        )

    def RegisterResourceOutputs(self, request: Any) -> Any:
        self.deployment.register_outputs(request.urn, struct_to_properties(request.outputs))
        return empty_pb2.Empty()

    def Invoke(self, request: Any) -> Any:
        raise NotImplementedError(f"the harness does not model invokes ({request.tok})")

    def Call(self, request: Any) -> Any:
        raise NotImplementedError(f"the harness does not model method calls ({request.tok})")


@dataclass(frozen=True)
class LogMessage:
    """A ``pulumi.log`` message from the program."""

    severity: str  # "debug", "info", "warning" or "error"
    message: str
    urn: str = ""


class EngineLog:
    """The engine service the SDK sends ``pulumi.log`` messages to (debug ones are dropped)."""

    _SEVERITIES: ClassVar[dict[int, str]] = {
        engine_pb2.DEBUG: "debug",
        engine_pb2.INFO: "info",
        engine_pb2.WARNING: "warning",
        engine_pb2.ERROR: "error",
    }

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.messages: list[LogMessage] = []

    def Log(self, request: Any) -> Any:
        severity = self._SEVERITIES.get(request.severity, "info")
        if severity == "debug":  # shown only with --debug; the SDK sends many
            return empty_pb2.Empty()
        with self._lock:
            self.messages.append(LogMessage(severity, request.message, request.urn))
        return empty_pb2.Empty()
