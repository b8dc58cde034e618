"""Property values as the engine holds them, and the engine's rules for moving them around.

A property map is a ``dict[str, PropertyValue]`` where a value is ``None``, ``bool``, ``float``,
``str``, a list, a dict, a :class:`Secret`, a :class:`Computed` (an unknown) or a
:class:`ResourceReference`. Numbers are always floats, as on the wire (docs/engine-facts.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from google.protobuf import struct_pb2

SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@dataclass(frozen=True)
class Secret:
    """A value the engine must keep encrypted in state and never show."""

    value: Any


class Computed:
    """An unknown value (only ever seen during a preview). All instances are interchangeable."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Computed)

    def __hash__(self) -> int:
        return hash(Computed)

    def __repr__(self) -> str:
        return "Computed()"


@dataclass(frozen=True)
class ResourceReference:
    """A reference to another resource; ``id`` is ``None`` for a component."""

    urn: str
    id: Any = None
    package_version: str = ""


PropertyValue = Union[  # noqa: UP007 - a runtime alias, kept valid on Python 3.10
    None, bool, float, str, list[Any], dict[str, Any], Secret, Computed, ResourceReference
]
PropertyMap = dict[str, PropertyValue]


class UnexpectedUnknownError(ValueError):
    """A provider answered with an unknown value outside a preview."""


_OMIT = object()


# --- wire (google.protobuf.Struct) -> property values -----------------------------------------


def struct_to_properties(struct: struct_pb2.Struct, *, allow_unknowns: bool = True) -> PropertyMap:
    """Unmarshal a wire Struct: secret wrappers become Secret, the unknown sentinel Computed."""
    return {key: _value_from_wire(value, allow_unknowns) for key, value in struct.fields.items()}


def _value_from_wire(value: struct_pb2.Value, allow_unknowns: bool) -> PropertyValue:
    kind = value.WhichOneof("kind")
    if kind == "null_value" or kind is None:
        return None
    if kind == "bool_value":
        return bool(value.bool_value)
    if kind == "number_value":
        return float(value.number_value)
    if kind == "string_value":
        if value.string_value == UNKNOWN:
            if not allow_unknowns:
                raise UnexpectedUnknownError("unexpected unknown property value")
            return Computed()
        return str(value.string_value)
    if kind == "list_value":
        return [_value_from_wire(item, allow_unknowns) for item in value.list_value.values]
    fields = value.struct_value.fields
    signature = fields[SIGNATURE_KEY].string_value if SIGNATURE_KEY in fields else None
    if signature == SECRET_SIGNATURE:
        inner = fields["value"] if "value" in fields else struct_pb2.Value(null_value=0)
        return Secret(_value_from_wire(inner, allow_unknowns))
    if signature == RESOURCE_REFERENCE_SIGNATURE:
        ref_id = _value_from_wire(fields["id"], allow_unknowns) if "id" in fields else None
        version = fields["packageVersion"].string_value if "packageVersion" in fields else ""
        return ResourceReference(fields["urn"].string_value, ref_id, version)
    return {key: _value_from_wire(item, allow_unknowns) for key, item in fields.items()}


# --- property values -> wire -------------------------------------------------------------------


def properties_to_struct(
    properties: Mapping[str, PropertyValue],
    *,
    keep_secrets: bool,
    keep_unknowns: bool,
    keep_resources: bool,
) -> struct_pb2.Struct:
    """Marshal a property map like the engine's ``MarshalProperties`` with the given options.

    Without ``keep_secrets`` secrets travel as plaintext; without ``keep_unknowns`` an unknown
    object entry or list element is left out; without ``keep_resources`` a resource reference
    travels as its id (custom resource) or URN (component).
    """
    plain = to_plain(
        properties,
        keep_secrets=keep_secrets,
        keep_unknowns=keep_unknowns,
        keep_resources=keep_resources,
    )
    struct = struct_pb2.Struct()
    struct.update(plain)
    return struct


def to_plain(
    value: PropertyValue | Mapping[str, PropertyValue],
    *,
    keep_secrets: bool,
    keep_unknowns: bool,
    keep_resources: bool,
) -> Any:
    """The JSON-like form of a value as it would appear on the wire."""
    options = (keep_secrets, keep_unknowns, keep_resources)
    result = _plain(value, options)
    return None if result is _OMIT else result


def _plain(value: Any, options: tuple[bool, bool, bool]) -> Any:
    keep_secrets, keep_unknowns, keep_resources = options
    if isinstance(value, Secret):
        inner = _plain(value.value, options)
        if inner is _OMIT or not keep_secrets:
            return inner
        return {SIGNATURE_KEY: SECRET_SIGNATURE, "value": inner}
    if isinstance(value, Computed):
        return UNKNOWN if keep_unknowns else _OMIT
    if isinstance(value, ResourceReference):
        if keep_resources:
            ref: dict[str, Any] = {SIGNATURE_KEY: RESOURCE_REFERENCE_SIGNATURE, "urn": value.urn}
            if value.id is not None:
                ref["id"] = _plain(value.id, options)
            if value.package_version:
                ref["packageVersion"] = value.package_version
            return ref
        return _plain(value.id, options) if value.id is not None else value.urn
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            converted = _plain(item, options)
            if converted is not _OMIT:
                result[key] = converted
        return result
    if isinstance(value, (list, tuple)):
        return [converted for item in value if (converted := _plain(item, options)) is not _OMIT]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"unsupported property value of type {type(value).__name__}: {value!r}")


# --- secrets -----------------------------------------------------------------------------------


def contains_secret(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, Mapping):
        return any(contains_secret(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_secret(item) for item in value)
    return False


def contains_unknown(value: Any) -> bool:
    if isinstance(value, Computed):
        return True
    if isinstance(value, Secret):
        return contains_unknown(value.value)
    if isinstance(value, Mapping):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_unknown(item) for item in value)
    return False


def unwrap_secrets(value: Any) -> Any:
    """The value with every Secret wrapper removed, at any depth."""
    if isinstance(value, Secret):
        return unwrap_secrets(value.value)
    if isinstance(value, Mapping):
        return {key: unwrap_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(item) for item in value]
    return value


def make_secret(value: PropertyValue) -> PropertyValue:
    return value if isinstance(value, Secret) else Secret(value)


def annotate_secrets(
    outputs: Mapping[str, PropertyValue], inputs: Mapping[str, PropertyValue]
) -> PropertyMap:
    """Restore secrecy on a provider response from the request it answers (docs/engine-facts.md).

    A key present in both whose input value holds a secret becomes secret in the response;
    objects on both sides are handled key by key, anything else becomes secret as a whole.
    """
    annotated = dict(outputs)
    for key, input_value in inputs.items():
        if key not in annotated or not contains_secret(input_value):
            continue
        output_value = annotated[key]
        if (
            not isinstance(input_value, Secret)
            and isinstance(input_value, Mapping)
            and isinstance(output_value, Mapping)
        ):
            annotated[key] = annotate_secrets(output_value, input_value)
        else:
            annotated[key] = make_secret(output_value)
    return annotated


def mark_secret_outputs(outputs: Mapping[str, PropertyValue], names: Iterable[str]) -> PropertyMap:
    """Apply a resource's ``additional_secret_outputs`` to its outputs."""
    marked = dict(outputs)
    for name in names:
        if name in marked:
            marked[name] = make_secret(marked[name])
    return marked


# --- the engine's own diff (PropertyMap.Diff) --------------------------------------------------


def values_equal(old: Any, new: Any) -> bool:
    """Deep equality as the engine's diff sees it: secrets unwrapped, null equals missing,
    an unknown never equal to anything, numbers compared as float64."""
    old, new = _strip_secret(old), _strip_secret(new)
    if isinstance(old, Computed) or isinstance(new, Computed):
        return False
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return not changed_keys(old, new)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(values_equal, old, new))
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return float(old) == float(new) or (math.isnan(old) and math.isnan(new))
    if isinstance(old, ResourceReference) and isinstance(new, ResourceReference):
        return old.urn == new.urn and values_equal(old.id, new.id)
    return type(old) is type(new) and old == new


def changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Top-level keys whose values differ, in sorted order."""
    keys = set(olds) | set(news)
    return sorted(key for key in keys if not values_equal(olds.get(key), news.get(key)))


def _strip_secret(value: Any) -> Any:
    while isinstance(value, Secret):
        value = value.value
    return value


# --- property paths (ignore_changes, replace_on_changes) ---------------------------------------

_PATH_TOKEN = re.compile(r'\[(\d+|\*)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.\[\]]+)')

PathElement = Union[str, int]  # noqa: UP007 - runtime alias


def parse_property_path(path: str) -> list[PathElement]:
    """Parse ``a.b[0]["c.d"]`` into ``["a", "b", 0, "c.d"]``; ``*`` stays a wildcard string."""
    elements: list[PathElement] = []
    position = 0
    while position < len(path):
        match = _PATH_TOKEN.match(path, position)
        if match is None or match.end() == position:
            raise ValueError(f"invalid property path {path!r}")
        index, quoted, bare = match.groups()
        if index is not None:
            elements.append("*" if index == "*" else int(index))
        elif quoted is not None:
            elements.append(re.sub(r"\\(.)", r"\1", quoted))
        else:
            elements.append(bare)
        position = match.end()
    return elements


def reset_ignored_paths(
    news: Mapping[str, PropertyValue],
    olds: Mapping[str, PropertyValue],
    paths: Sequence[str],
) -> PropertyMap:
    """The engine's ``processIgnoreChanges``: each ignored path takes its old value, or is removed
    when the old inputs do not have it."""
    result: PropertyMap = _deep_copy(dict(news))
    for path in paths:
        _reset(result, olds, parse_property_path(path))
    return result


def _reset(dest: Any, source: Any, path: list[PathElement]) -> None:
    head, rest = path[0], path[1:]
    if head == "*":
        keys: Iterable[PathElement]
        if isinstance(source, Mapping) or isinstance(dest, Mapping):
            keys = set(source or {}) | set(dest or {})
        else:
            keys = range(max(len(source or []), len(dest or [])))
        for key in keys:
            _reset(dest, source, [key, *rest])
        return
    source_value, has_source = _get(source, head)
    if not rest:
        if has_source:
            _set(dest, head, _deep_copy(source_value))
        else:
            _delete(dest, head)
        return
    dest_value, has_dest = _get(dest, head)
    if not has_dest or not isinstance(dest_value, (dict, list)):
        if not has_source:
            return
        dest_value = {} if isinstance(rest[0], str) else []
        _set(dest, head, dest_value)
    _reset(dest_value, source_value if has_source else None, rest)


def _get(container: Any, key: PathElement) -> tuple[Any, bool]:
    container = _strip_secret(container)
    if isinstance(container, Mapping) and isinstance(key, str) and key in container:
        return container[key], True
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key], True
    return None, False


def _set(container: Any, key: PathElement, value: Any) -> None:
    in_dict = isinstance(container, dict) and isinstance(key, str)
    in_list = isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container)
    if in_dict or in_list:
        container[key] = value


def _delete(container: Any, key: PathElement) -> None:
    if isinstance(container, dict) and isinstance(key, str):
        container.pop(key, None)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _deep_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_deep_copy(item) for item in value]
    return value


def path_covers_key(path: str, key: str) -> bool:
    """Whether a ``replace_on_changes`` path names (or contains) a changed top-level key."""
    elements = parse_property_path(path)
    return bool(elements) and elements[0] in ("*", key)
