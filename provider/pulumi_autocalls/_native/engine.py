"""The provider's line back to the engine: warnings on a resource's row (``Engine.Log``)."""

from __future__ import annotations

import logging
import threading

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

logger = logging.getLogger("pulumi_autocalls.native")


class EngineLog:
    """Sends messages to the engine at ``address`` (connected on first use), each attached to a
    resource's URN so that the CLI shows it on that resource's row."""

    def __init__(self, address: str | None) -> None:
        self._address = address
        self._lock = threading.Lock()
        self._stub: engine_pb2_grpc.EngineStub | None = None

    def connect_to(self, address: str) -> None:
        """Speak to the engine at ``address`` from now on (``Attach`` names it)."""
        with self._lock:
            self._address = address
            self._stub = None

    def warning(self, urn: str, message: str) -> None:
        """A warning on the row of ``urn``. A message the engine cannot take goes to stderr."""
        request = engine_pb2.LogRequest(severity=engine_pb2.WARNING, message=message, urn=urn)
        try:
            self._engine().Log(request)
        except (grpc.RpcError, ConnectionError) as error:
            logger.warning("%s (the engine did not take this warning: %s)", message, error)

    def _engine(self) -> engine_pb2_grpc.EngineStub:
        with self._lock:
            if self._stub is None:
                if not self._address:
                    raise ConnectionError("no engine address was given")
                self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(self._address))
            return self._stub
