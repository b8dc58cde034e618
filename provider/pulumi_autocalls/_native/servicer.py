"""``SipTrunkProvider``: the native face, a ``pulumirpc.ResourceProvider`` on the core.

Every RPC translates the wire (``codec``, camelCase names by ``naming``) to the core's plain
snake_case maps, calls the core, and translates back. What the engine sends and expects
(docs/native-provider.md has the reasons):

- ``Check`` validates as the dynamic face does; a trunk that exists (the old inputs are not
  empty) may leave its write-only fields out. Values unknown in a preview pass unchecked.
- ``Diff`` compares the new inputs with what the stack holds of the trunk: each field's old
  output, else its old input (after ``pulumi import`` the outputs lack the write-only fields; after
  a partial failure the engine keeps the old inputs with the new outputs, so the outputs say what
  the trunk is). It answers a ``detailedDiff``: each changed input, ``UPDATE_REPLACE`` only for a
  create-only one, and ``UPDATE`` of the voice trunk ids the update re-creates, with a warning on
  the resource's row naming them. Write-only fields the state lacks are adopted: no change.
- ``Create`` and ``Update`` in a preview return the planned outputs: what the change leaves alone
  stays known, the re-created voice trunk ids (and everything computed on create) are unknown.
- ``Read`` with no state is an import (or a lookup): the live trunk's inputs as ``Check`` would
  normalize them; a missing trunk leaves ``properties`` unset.
- An ``Update`` that fails in a way that may have changed the trunk reads it back and reports a
  partial failure with its live state, so the stack never loses a re-created voice trunk id.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from .._core import trunks
from .._core.changes import TrunkChanges, compare, recreation_notice
from .._core.config import ProviderSettings
from .._core.config_warnings import configuration_warnings
from .._core.fields import COMPUTED, SECRET_FIELDS, VoiceTrunk
from .._core.retry import cancel_waits
from .._core.validation import check_inputs
from .._exceptions import AutocallsError, NotFoundError
from .._version import __version__
from . import codec
from .configuration import (
    SETTING_NAMES,
    configuration_problems,
    settings_from,
    variables_as_values,
)
from .engine import EngineLog
from .errors import PartialFailure, answered, sentence
from .lookups import invoke
from .naming import (
    INPUT_SCHEMA_NAMES,
    INPUTS,
    NATIVE_PROPERTIES,
    from_schema,
    in_schema_words,
    schema_name,
    to_schema,
)
from .schema import PACKAGE, SIP_TRUNK, schema_json

if TYPE_CHECKING:
    from .._core.client import AutocallsClient

Kind = provider_pb2.PropertyDiff.Kind
_SOME = provider_pb2.DiffResponse.DIFF_SOME
_NONE = provider_pb2.DiffResponse.DIFF_NONE
_SECRETS = frozenset(schema_name(name) for name in SECRET_FIELDS)
_OUTPUT_ONLY = tuple(p.name for p in NATIVE_PROPERTIES if p not in INPUTS)
_RENEWED = tuple(p.name for p in COMPUTED if p.renewed_by_every_update)


class SipTrunkProvider(provider_pb2_grpc.ResourceProviderServicer):
    """The ``autocalls`` provider: the ``SipTrunk`` resource and its two lookup functions.

    One instance serves every call of the engine, from many threads at once; the API client (one
    connection pool) is built once, on the first call that needs it.
    """

    def __init__(self, engine: EngineLog) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._settings: ProviderSettings | None = None
        self._client: AutocallsClient | None = None

    # -- the plugin and its schema ------------------------------------------------------------

    def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=__version__)

    def GetSchema(
        self, request: provider_pb2.GetSchemaRequest, context: Any
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=schema_json())

    def Attach(self, request: plugin_pb2.PluginAttach, context: Any) -> empty_pb2.Empty:
        self._engine.connect_to(request.address)
        return empty_pb2.Empty()

    def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:
        cancel_waits()
        return empty_pb2.Empty()

    # -- configuration --------------------------------------------------------------------------

    @answered("check the provider configuration")
    def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: Any
    ) -> provider_pb2.CheckResponse:
        problems = configuration_problems(codec.decode(request.news).values)
        failures = [provider_pb2.CheckFailure(property=p.key, reason=p.reason) for p in problems]
        return provider_pb2.CheckResponse(inputs=request.news, failures=failures)

    def DiffConfig(
        self, request: provider_pb2.DiffRequest, context: Any
    ) -> provider_pb2.DiffResponse:
        olds = codec.decode(request.old_inputs if request.HasField("old_inputs") else request.olds)
        news = codec.decode(request.news)
        changed = [name for name in SETTING_NAMES if olds.values.get(name) != news.values.get(name)]
        return provider_pb2.DiffResponse(
            changes=_SOME if changed else _NONE,
            diffs=changed,
        )

    @answered("configure the provider")
    def Configure(
        self, request: provider_pb2.ConfigureRequest, context: Any
    ) -> provider_pb2.ConfigureResponse:
        if request.HasField("args"):
            values = codec.decode(request.args).values
        else:
            values = variables_as_values(request.variables, PACKAGE)
        settings = settings_from(values)
        with self._lock:
            self._settings = settings
            self._client = None
        # CheckConfig has failed the configuration's own mistakes; what is left are those of the
        # settings as loaded (no key at all, a base URL from the environment).
        for warning in configuration_warnings(settings, ()):
            self._engine.warning("", warning)
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True, supportsPreview=True, acceptResources=False, acceptOutputs=False
        )

    def _api(self) -> AutocallsClient:
        with self._lock:
            if self._client is None:
                settings = self._settings or settings_from({})
                self._client = settings.client()
            return self._client

    # -- the resource ---------------------------------------------------------------------------

    @answered("check a SIP trunk")
    def Check(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:
        news = codec.decode(request.news)
        olds = codec.decode(request.olds)
        fields, strangers = from_schema(news.values)
        checked = check_inputs(fields, creating=not olds.values)
        failures = [
            provider_pb2.CheckFailure(
                property=key,
                reason=f"{key} is not an input of {SIP_TRUNK} (inputs: "
                f"{', '.join(INPUT_SCHEMA_NAMES)})",
            )
            for key in strangers
        ]
        failures += [
            provider_pb2.CheckFailure(
                property=schema_name(failure.field), reason=in_schema_words(failure.reason)
            )
            for failure in checked.failures
        ]
        return provider_pb2.CheckResponse(
            inputs=_encoded(to_schema(checked.inputs), news.secrets), failures=failures
        )

    @answered("diff a SIP trunk")
    def Diff(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:
        held = _held(request.olds, request.old_inputs if request.HasField("old_inputs") else None)
        news = from_schema(codec.decode(request.news).values)[0]
        changes = compare(held, news)
        if not changes.changed:
            return provider_pb2.DiffResponse(changes=_NONE)
        detailed = _detailed_diff(changes, held, news)
        notice = recreation_notice(
            changes, request.id, {t: held.get(t.id_output) for t in VoiceTrunk}, schema_name
        )
        if notice is not None:
            self._engine.warning(request.urn, notice)
        return provider_pb2.DiffResponse(
            changes=_SOME,
            replaces=[schema_name(name) for name in changes.replaced_by],
            deleteBeforeReplace=bool(changes.replaced_by) and changes.collides,
            diffs=sorted(detailed),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    @answered("create a SIP trunk")
    def Create(
        self, request: provider_pb2.CreateRequest, context: Any
    ) -> provider_pb2.CreateResponse:
        given = codec.decode(request.properties)
        inputs = from_schema(given.values)[0]
        if request.preview:
            planned = {**inputs, **{name: codec.UNKNOWN for name in _OUTPUT_ONLY}}
            return provider_pb2.CreateResponse(
                properties=_encoded(to_schema(planned), given.secrets)
            )
        _require_create_only_values(inputs)
        trunk_id, outputs = trunks.create(
            self._api(), inputs, take_over_hint=_import_hint(request.urn)
        )
        return provider_pb2.CreateResponse(
            id=trunk_id, properties=_encoded(to_schema(outputs), given.secrets)
        )

    @answered("update a SIP trunk")
    def Update(
        self, request: provider_pb2.UpdateRequest, context: Any
    ) -> provider_pb2.UpdateResponse:
        held = _held(request.olds, request.old_inputs if request.HasField("old_inputs") else None)
        given = codec.decode(request.news)
        news = from_schema(given.values)[0]
        if request.preview:
            planned = _planned_update(held, news, compare(held, news))
            return provider_pb2.UpdateResponse(
                properties=_encoded(to_schema(planned), given.secrets)
            )
        client = self._api()
        try:
            outputs = trunks.update(client, request.id, held, news)
        except AutocallsError as error:
            live = _read_back(client, request.id, held, error)
            if live is None:
                raise
            raise PartialFailure(
                f"{sentence(error)} The stack records the trunk as the API shows it now.",
                request.id,
                _encoded(to_schema(live), given.secrets),
            ) from None
        return provider_pb2.UpdateResponse(properties=_encoded(to_schema(outputs), given.secrets))

    @answered("read a SIP trunk")
    def Read(self, request: provider_pb2.ReadRequest, context: Any) -> provider_pb2.ReadResponse:
        state = codec.decode(request.properties)
        held_inputs = codec.decode(request.inputs)
        secrets = state.secrets | held_inputs.secrets
        client = self._api()
        if not state.values and not held_inputs.values:
            found = _look_up(client, request.id)
        else:
            found = trunks.read(client, request.id, _held(request.properties, request.inputs))
        if found is None:
            return provider_pb2.ReadResponse()  # no properties: the trunk does not exist
        trunk_id, outputs, inputs = found
        # As Check would normalize them; a value Check refuses is kept as the API shows it.
        normalized = {**inputs, **check_inputs(inputs, creating=False).inputs}
        return provider_pb2.ReadResponse(
            id=trunk_id,
            properties=_encoded(to_schema(outputs), secrets),
            inputs=_encoded(to_schema(normalized), secrets),
        )

    @answered("delete a SIP trunk")
    def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:
        trunks.delete(self._api(), request.id, _held(request.properties, request.old_inputs))
        return empty_pb2.Empty()

    # -- the functions --------------------------------------------------------------------------

    @answered("invoke a function of autocalls")
    def Invoke(
        self, request: provider_pb2.InvokeRequest, context: Any
    ) -> provider_pb2.InvokeResponse:
        args = codec.decode(request.args).values
        result = invoke(request.tok, args, self._api)
        response = provider_pb2.InvokeResponse()
        getattr(response, "return").CopyFrom(codec.encode(result))  # "return" is a Python keyword
        return response


# -- helpers --------------------------------------------------------------------------------------


def _encoded(values: Mapping[str, Any], secrets: Collection[str]) -> struct_pb2.Struct:
    """``values`` on the wire, the secret properties (by the table, or as given) wrapped."""
    return codec.encode(values, _SECRETS | frozenset(secrets))


def _held(outputs: struct_pb2.Struct | None, inputs: struct_pb2.Struct | None) -> dict[str, Any]:
    """What the stack holds of a trunk, by field: its old output, else its old input."""
    held_inputs = from_schema(codec.decode(inputs).values)[0]
    held_outputs = from_schema(codec.decode(outputs).values)[0]
    return {**held_inputs, **held_outputs}


def _detailed_diff(
    changes: TrunkChanges, held: Mapping[str, Any], news: Mapping[str, Any]
) -> dict[str, provider_pb2.PropertyDiff]:
    detailed: dict[str, provider_pb2.PropertyDiff] = {}
    for name in changes.changed:
        if name in changes.replaced_by:
            kind = Kind.UPDATE_REPLACE
        elif held.get(name) is None:
            kind = Kind.ADD
        elif news.get(name) is None:
            kind = Kind.DELETE
        else:
            kind = Kind.UPDATE
        detailed[schema_name(name)] = provider_pb2.PropertyDiff(kind=kind, inputDiff=True)
    for trunk in VoiceTrunk:
        if changes.recreated_by(trunk):
            detailed[schema_name(trunk.id_output)] = provider_pb2.PropertyDiff(kind=Kind.UPDATE)
    return detailed


def _planned_update(
    held: Mapping[str, Any], news: Mapping[str, Any], changes: TrunkChanges
) -> dict[str, Any]:
    """The outputs an update will leave: the new inputs, the computed outputs it does not touch,
    and unknown for the voice trunk ids it re-creates and what every update renews."""
    computed: dict[str, Any] = {name: held[name] for name in _OUTPUT_ONLY if name in held}
    for trunk in VoiceTrunk:
        if changes.recreated_by(trunk):
            computed[trunk.id_output] = codec.UNKNOWN
    if changes.changed:
        computed.update({name: codec.UNKNOWN for name in _RENEWED})
    return {**news, **computed}


def _require_create_only_values(inputs: Mapping[str, Any]) -> None:
    """A new trunk needs every required field, the write-only ones too (``Check`` lets an existing
    trunk leave those out, and a replacement creates a new one from the same inputs)."""
    missing = [f for f in INPUTS if f.required and inputs.get(f.name) is None]
    if missing:
        names = " and ".join(schema_name(f.name) for f in missing)
        raise AutocallsError(
            f"create SIP trunk failed: {names} must be set to create a trunk.",
            operation="create SIP trunk",
        )


def _import_hint(urn: str) -> Callable[[str], str]:
    """What a 409 on create tells the user to do: import the trunk it collided with."""
    name = urn.rsplit("::", 1)[-1]

    def hint(trunk_id: str) -> str:
        return (
            f"It is SIP trunk {trunk_id}: if this resource should manage it (for example, an "
            f"earlier run created it and lost the answer), import it with 'pulumi import "
            f'{SIP_TRUNK} {name} {trunk_id}\' or the resource option import: "{trunk_id}".'
        )

    return hint


def _look_up(
    client: AutocallsClient, trunk_id: str
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """An import's or a lookup's read: the trunk, or None if there is no such trunk."""
    try:
        return trunks.look_up(client, trunk_id)
    except NotFoundError:
        return None
    except ValueError as error:  # not a trunk id at all
        raise AutocallsError(str(error), operation="read SIP trunk") from None


def _read_back(
    client: AutocallsClient, trunk_id: str, held: Mapping[str, Any], error: AutocallsError
) -> dict[str, Any] | None:
    """After a failed update that may have changed the trunk, its live outputs; None if the
    failure changed nothing or the trunk cannot be read either."""
    if not trunks.may_have_changed(error):
        return None
    try:
        found = trunks.read(client, trunk_id, held)
    except AutocallsError:
        return None
    return None if found is None else found[1]
