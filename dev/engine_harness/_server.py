"""The dynamic provider process (``python -u -m pulumi.dynamic``) and the engine's gRPC client.

The client applies the engine's marshalling for the flags the Python server negotiates
(docs/engine-facts.md): secrets go out as plaintext, unknowns only in preview
Check/Diff news, and secrecy is restored on the way back with ``annotate_secrets``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from ._properties import (
    PropertyMap,
    annotate_secrets,
    properties_to_struct,
    struct_to_properties,
    to_plain,
)
from ._state import PROVIDER_TYPE, urn_name, urn_qualified_type

_SHUTDOWN_GRACE_SECONDS = 5.0
_CONNECT_TIMEOUT_SECONDS = 30.0
_OUTPUT_DRAIN_SECONDS = 1.0


class ProviderStartError(RuntimeError):
    """The provider process exited or misbehaved before it served gRPC."""


class ProviderError(Exception):
    """A provider RPC failed; ``details`` is the text the engine would show the user."""

    def __init__(self, method: str, code: str, details: str) -> None:
        super().__init__(details)
        self.method = method
        self.code = code
        self.details = details


@dataclass(frozen=True)
class OutputLine:
    """One line the provider wrote after its port line."""

    stream: str  # "stdout" or "stderr"
    text: str


@dataclass(frozen=True)
class RpcCall:
    """One resource or session RPC sent to the provider (for assertions on the call sequence)."""

    method: str
    urn: str = ""
    id: str = ""


@dataclass
class CheckResponse:
    inputs: PropertyMap
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DiffResponse:
    changes: str  # "DIFF_UNKNOWN", "DIFF_NONE" or "DIFF_SOME"
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass
class ReadResponse:
    id: str
    properties: PropertyMap | None
    inputs: PropertyMap | None


def _wire(properties: Mapping[str, Any], *, unknowns: bool = False) -> struct_pb2.Struct:
    return properties_to_struct(
        properties, keep_secrets=False, keep_unknowns=unknowns, keep_resources=False
    )


def _resource_type(urn: str) -> str:
    return urn_qualified_type(urn).split("$")[-1]


class ProviderProcess:
    """One ``pulumi-python`` plugin process for one engine run."""

    def __init__(
        self,
        *,
        python: str,
        cwd: Path,
        env: Mapping[str, str],
    ) -> None:
        self._command = [python, "-u", "-m", "pulumi.dynamic", "127.0.0.1:0"]
        self._cwd = cwd
        self._env = dict(env)
        self._process: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: provider_pb2_grpc.ResourceProviderStub | None = None
        self._readers: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.output: list[OutputLine] = []
        self.calls: list[RpcCall] = []

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        try:
            process = subprocess.Popen(
                self._command,
                cwd=self._cwd,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as error:
            raise ProviderStartError(
                f"could not read plugin [{' '.join(self._command)}]: {error}"
            ) from error
        self._process = process
        assert process.stdout is not None and process.stderr is not None
        self._follow(process.stderr, "stderr")
        port_line = self._read_port_line(process.stdout)
        try:
            port = int(port_line.strip())
            if not 0 < port < 65536:
                raise ValueError(port)
        except ValueError:
            self.close()
            raise ProviderStartError(
                f"could not read plugin [{' '.join(self._command)}]: "
                f"unexpected port line {port_line!r}"
            ) from None
        self._follow(process.stdout, "stdout")
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(self._channel).result(timeout=_CONNECT_TIMEOUT_SECONDS)
        self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)

    def _read_port_line(self, stdout: IO[bytes]) -> str:
        # Byte by byte, like the engine, so that nothing after the newline is consumed here.
        data = bytearray()
        while not data.endswith(b"\n"):
            byte = stdout.read(1)
            if not byte:
                status = self._process.wait() if self._process else None
                for reader in self._readers:
                    reader.join()
                stderr = "\n".join(line.text for line in self.output)
                raise ProviderStartError(
                    f"could not read plugin [{' '.join(self._command)}]: exit status {status}"
                    + (f"\n{stderr}" if stderr else "")
                )
            data += byte
        return data.decode(errors="replace")

    def _follow(self, stream: IO[bytes], name: str) -> None:
        def pump() -> None:
            for raw in iter(stream.readline, b""):
                text = raw.decode(errors="replace").rstrip("\r\n")
                with self._lock:
                    self.output.append(OutputLine(name, text))
            stream.close()

        reader = threading.Thread(target=pump, name=f"provider-{name}", daemon=True)
        reader.start()
        self._readers.append(reader)

    def close(self) -> None:
        """Cancel, then interrupt the process group like the engine (killing it if it lingers)
        and collect all its output."""
        if self._stub is not None:
            with contextlib.suppress(ProviderError):
                self._call("Cancel", empty_pb2.Empty())
        process = self._process
        running = process is not None and process.poll() is None
        if process is not None and running:
            self._signal_group(process, signal.SIGINT)
        if self._channel is not None:
            self._channel.close()
        self._stub = self._channel = None
        if process is not None and running:
            # A blocking wait, with a timer for the kill: Popen.wait(timeout=...) polls in
            # steps of up to 50 ms, which would add that much to every operation.
            killer = threading.Timer(
                _SHUTDOWN_GRACE_SECONDS, self._signal_group, (process, signal.SIGKILL)
            )
            killer.start()
            try:
                process.wait()
            finally:
                killer.cancel()
        for reader in self._readers:
            # A child the provider started may still hold the pipes; do not wait for it.
            reader.join(timeout=_OUTPUT_DRAIN_SECONDS)

    @staticmethod
    def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    # --- session RPCs --------------------------------------------------------------------------

    def configure(
        self,
        *,
        provider_urn: str,
        provider_id: str,
        config: Mapping[str, Any],
        in_state: bool,
    ) -> None:
        """Handshake, GetPluginInfo, CheckConfig, DiffConfig (when in state), Configure."""
        self._expect_unimplemented(
            "Handshake",
            provider_pb2.ProviderHandshakeRequest(
                engine_address="127.0.0.1:0",
                root_directory=str(self._cwd),
                program_directory=str(self._cwd),
                configure_with_urn=True,
                supports_views=True,
                supports_refresh_before_update=True,
                invoke_with_preview=True,
            ),
        )
        self._call("GetPluginInfo", empty_pb2.Empty())
        provider_inputs = properties_to_struct(
            config, keep_secrets=True, keep_unknowns=False, keep_resources=False
        )
        self._expect_unimplemented(
            "CheckConfig",
            provider_pb2.CheckRequest(
                urn=provider_urn,
                name="default",
                type=PROVIDER_TYPE,
                olds=provider_inputs if in_state else struct_pb2.Struct(),
                news=provider_inputs,
                randomSeed=uuid.uuid4().bytes,
            ),
        )
        if in_state:
            self._expect_unimplemented(
                "DiffConfig",
                provider_pb2.DiffRequest(
                    urn=provider_urn,
                    id=provider_id,
                    name="default",
                    type=PROVIDER_TYPE,
                    olds=provider_inputs,
                    old_inputs=provider_inputs,
                    news=provider_inputs,
                ),
            )
        plain = to_plain(config, keep_secrets=False, keep_unknowns=False, keep_resources=False)
        variables = {
            f"pulumi-python:config:{key}": value if isinstance(value, str) else str(value)
            for key, value in plain.items()
        }
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=provider_inputs,
                acceptSecrets=True,
                acceptResources=True,
                sends_old_inputs=True,
                sends_old_inputs_to_delete=True,
                id=provider_id,
                urn=provider_urn,
                name="default",
                type=PROVIDER_TYPE,
            ),
            urn=provider_urn,
        )

    # --- resource RPCs -------------------------------------------------------------------------

    def check(
        self,
        urn: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        dry_run: bool,
    ) -> CheckResponse:
        response = self._call(
            "Check",
            provider_pb2.CheckRequest(
                urn=urn,
                name=urn_name(urn),
                type=_resource_type(urn),
                olds=_wire(olds, unknowns=dry_run),
                news=_wire(news, unknowns=dry_run),
                randomSeed=uuid.uuid4().bytes,
            ),
            urn=urn,
        )
        inputs = struct_to_properties(response.inputs, allow_unknowns=dry_run)
        failures = [(failure.property, failure.reason) for failure in response.failures]
        return CheckResponse(annotate_secrets(inputs, news), failures)

    def diff(
        self,
        urn: str,
        id_: str,
        *,
        olds: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
        news: Mapping[str, Any],
        ignore_changes: Sequence[str] = (),
        dry_run: bool,
    ) -> DiffResponse:
        response = self._call(
            "Diff",
            provider_pb2.DiffRequest(
                id=id_,
                urn=urn,
                name=urn_name(urn),
                type=_resource_type(urn),
                olds=_wire(olds),
                old_inputs=_wire(old_inputs),
                news=_wire(news, unknowns=dry_run),
                ignoreChanges=list(ignore_changes),
            ),
            urn=urn,
            id_=id_,
        )
        return DiffResponse(
            changes=provider_pb2.DiffResponse.DiffChanges.Name(response.changes),
            replaces=list(response.replaces),
            delete_before_replace=response.deleteBeforeReplace,
        )

    def create(self, urn: str, properties: Mapping[str, Any]) -> tuple[str, PropertyMap]:
        response = self._call(
            "Create",
            provider_pb2.CreateRequest(
                urn=urn,
                name=urn_name(urn),
                type=_resource_type(urn),
                properties=_wire(properties),
                preview=False,
            ),
            urn=urn,
        )
        outputs = struct_to_properties(response.properties, allow_unknowns=False)
        return response.id, annotate_secrets(outputs, properties)

    def update(
        self,
        urn: str,
        id_: str,
        *,
        olds: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
        news: Mapping[str, Any],
        ignore_changes: Sequence[str] = (),
    ) -> PropertyMap:
        response = self._call(
            "Update",
            provider_pb2.UpdateRequest(
                id=id_,
                urn=urn,
                name=urn_name(urn),
                type=_resource_type(urn),
                olds=_wire(olds),
                old_inputs=_wire(old_inputs),
                news=_wire(news),
                ignoreChanges=list(ignore_changes),
                preview=False,
            ),
            urn=urn,
            id_=id_,
        )
        outputs = struct_to_properties(response.properties, allow_unknowns=False)
        return annotate_secrets(outputs, news)

    def delete(
        self,
        urn: str,
        id_: str,
        *,
        properties: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
    ) -> None:
        self._call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=id_,
                urn=urn,
                name=urn_name(urn),
                type=_resource_type(urn),
                properties=_wire(properties),
                old_inputs=_wire(old_inputs),
            ),
            urn=urn,
            id_=id_,
        )

    def read(
        self,
        urn: str,
        id_: str,
        *,
        properties: Mapping[str, Any] | None,
        inputs: Mapping[str, Any] | None,
    ) -> ReadResponse:
        """Read; ``None`` leaves the field unset (as an import does)."""
        request = provider_pb2.ReadRequest(
            id=id_, urn=urn, name=urn_name(urn), type=_resource_type(urn)
        )
        if properties is not None:
            request.properties.CopyFrom(_wire(properties))
        if inputs is not None:
            request.inputs.CopyFrom(_wire(inputs))
        response = self._call("Read", request, urn=urn, id_=id_)
        outputs = None
        if response.HasField("properties"):
            outputs = struct_to_properties(response.properties, allow_unknowns=False)
            outputs = annotate_secrets(outputs, properties or {})
        new_inputs = None
        if response.HasField("inputs"):
            new_inputs = struct_to_properties(response.inputs, allow_unknowns=False)
            new_inputs = annotate_secrets(new_inputs, inputs or {})
        return ReadResponse(response.id, outputs, new_inputs)

    # --- plumbing ------------------------------------------------------------------------------

    def _call(self, method: str, request: Any, *, urn: str = "", id_: str = "") -> Any:
        if self._stub is None:
            raise ProviderError(method, "UNAVAILABLE", "the provider process is not running")
        with self._lock:
            self.calls.append(RpcCall(method, urn, id_))
        try:
            return getattr(self._stub, method)(request)
        except grpc.RpcError as error:
            code = error.code()
            raise ProviderError(
                method, code.name if code else "UNKNOWN", error.details() or str(error)
            ) from None

    def _expect_unimplemented(self, method: str, request: Any) -> None:
        try:
            self._call(method, request)
        except ProviderError as error:
            if error.code != "UNIMPLEMENTED":
                raise


def provider_environment(
    base: Mapping[str, str],
    *,
    project: str,
    config: Mapping[str, Any],
    runtime_options: Mapping[str, str],
) -> dict[str, str]:
    """The environment the engine gives the plugin (docs/engine-facts.md)."""
    plain = to_plain(config, keep_secrets=False, keep_unknowns=False, keep_resources=False)
    own_namespace = {
        key.split(":", 1)[1]: value
        for key, value in plain.items()
        if key.startswith("pulumi-python:")
    }
    env = dict(base)
    for option, value in runtime_options.items():
        env[f"PULUMI_RUNTIME_{option.upper()}"] = value
    env["PULUMI_PROJECT"] = project
    env["PULUMI_CONFIG"] = json.dumps(own_namespace)
    return env
