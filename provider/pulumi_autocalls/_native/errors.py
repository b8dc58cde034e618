"""How the native face's failures reach the engine: one sentence, never a traceback.

Each RPC runs inside ``answered``. An error of the autocalls client becomes a gRPC error whose
message is its sentence (``autocalls: create SIP trunk failed: HTTP 409 Conflict: ...``): the
CLI prints it as it is, on the resource's row. ``PartialFailure`` carries the state of a trunk
that an API call changed before a later step failed; it reaches the engine as an
``ErrorResourceInitFailed`` detail (in the ``grpc-status-details-bin`` trailer), which makes the
engine record that state. Anything else is a bug: its traceback goes to the provider's stderr
(the engine's debug log, ``pulumi -v=9 --logtostderr``) and the user gets one sentence.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import grpc
from google.protobuf import any_pb2, struct_pb2
from google.rpc import status_pb2
from pulumi.runtime.proto import provider_pb2

from .._core.trunks import may_have_changed
from .._exceptions import AutocallsError

logger = logging.getLogger("pulumi_autocalls.native")

_Request = TypeVar("_Request")
_Response = TypeVar("_Response")
_Servicer = TypeVar("_Servicer")
Handler = Callable[[_Servicer, _Request, grpc.ServicerContext], _Response]

_STATUS_DETAILS = "grpc-status-details-bin"


class PartialFailure(Exception):
    """The trunk changed before the operation failed: ``properties`` (and ``inputs``) are its
    state now, to be recorded; ``reason`` says what failed."""

    def __init__(
        self,
        reason: str,
        trunk_id: str,
        properties: struct_pb2.Struct,
        inputs: struct_pb2.Struct | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.trunk_id = trunk_id
        self.properties = properties
        self.inputs = inputs


def sentence(error: AutocallsError) -> str:
    """What the user reads for an error of the autocalls client."""
    return f"autocalls: {error.message}"


def answered(operation: str) -> Callable[[Handler[Any, Any, Any]], Handler[Any, Any, Any]]:
    """An RPC handler whose failures reach the engine as one sentence (see the module)."""

    def decorate(handler: Handler[_Servicer, _Request, _Response]) -> Handler[Any, Any, Any]:
        @functools.wraps(handler)
        def handle(servicer: _Servicer, request: _Request, context: grpc.ServicerContext) -> Any:
            try:
                return handler(servicer, request, context)
            except PartialFailure as failure:
                partial = failure
            except AutocallsError as error:
                code = grpc.StatusCode.UNKNOWN if may_have_changed(error) else _DEFINITE
                _abort(context, code, sentence(error))
            except Exception as error:
                logger.exception("autocalls: %s failed unexpectedly", operation)
                _abort(
                    context,
                    grpc.StatusCode.INTERNAL,
                    f"autocalls: {operation} failed unexpectedly ({type(error).__name__}); the "
                    "provider's debug log has the details (pulumi -v=9 --logtostderr).",
                )
            _abort_partially(context, partial)

        return handle

    return decorate


# A failure the API reported before it changed anything: the engine may take it as final.
_DEFINITE = grpc.StatusCode.FAILED_PRECONDITION


def _abort(context: grpc.ServicerContext, code: grpc.StatusCode, message: str) -> NoReturn:
    context.abort(code, message)
    raise AssertionError("unreachable: grpc's abort raises")  # pragma: no cover


def _abort_partially(context: grpc.ServicerContext, failure: PartialFailure) -> NoReturn:
    detail = provider_pb2.ErrorResourceInitFailed(
        id=failure.trunk_id, properties=failure.properties, reasons=[failure.reason]
    )
    if failure.inputs is not None:
        detail.inputs.CopyFrom(failure.inputs)
    packed = any_pb2.Any()
    packed.Pack(detail)
    code = grpc.StatusCode.UNKNOWN
    status = status_pb2.Status(code=code.value[0], message=failure.reason, details=[packed])
    context.set_trailing_metadata(((_STATUS_DETAILS, status.SerializeToString()),))
    _abort(context, code, failure.reason)
