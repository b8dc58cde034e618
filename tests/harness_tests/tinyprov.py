"""A tiny dynamic provider for the harness's own tests.

It manages items in a "cloud" that is a JSON file (``$TINYPROV_CLOUD``) and appends every call
it receives, with its arguments, as one JSON line to ``$TINYPROV_LOG``. An unknown value is
logged as ``{"$unknown": true}``; numbers keep their Python type through JSON (``3.0`` vs ``3``).
Faults are switched on per resource name in the cloud file (``fail: {create: [name], ...}``).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

_LOCK = threading.Lock()
PROVIDER_KEY = "__provider"


def _encode(value: Any) -> Any:
    if isinstance(value, Unknown):
        return {"$unknown": True}
    if isinstance(value, Mapping):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _record(method: str, **fields: Any) -> None:
    entry = {"method": method, **{key: _encode(value) for key, value in fields.items()}}
    entry["ended"] = time.monotonic()
    with _LOCK, open(os.environ["TINYPROV_LOG"], "a") as log:
        log.write(json.dumps(entry) + "\n")


def _load_cloud() -> dict[str, Any]:
    path = Path(os.environ["TINYPROV_CLOUD"])
    if not path.exists():
        return {"next": 1, "items": {}, "fail": {}}
    return json.loads(path.read_text())


def _save_cloud(cloud: dict[str, Any]) -> None:
    Path(os.environ["TINYPROV_CLOUD"]).write_text(json.dumps(cloud, indent=2))


def _refuse_if_asked(cloud: dict[str, Any], method: str, name: Any) -> None:
    if name in cloud.get("fail", {}).get(method, []):
        raise RuntimeError(f"the cloud refused to {method} {name}")


def _inputs_only(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key != PROVIDER_KEY}


class TinyProvider(ResourceProvider):
    """``diff="inputs"`` compares input keys itself (explicit ``changes``); ``diff="engine"``
    returns ``DiffResult()`` so the engine diffs the inputs (DIFF_UNKNOWN). ``replace_on`` names
    the keys whose change replaces the item; ``read_inputs`` makes ``read`` return inputs."""

    def __init__(
        self,
        *,
        diff: str = "inputs",
        replace_on: Sequence[str] = (),
        delete_before_replace: bool | None = None,
        read_inputs: bool = False,
    ) -> None:
        self.diff_mode = diff
        self.replace_on = list(replace_on)
        self.delete_before_replace = delete_before_replace
        self.read_inputs = read_inputs

    def configure(self, req: ConfigureRequest) -> None:
        _record("configure", config=dict(req.config._props), token=req.config.get("token"))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        started = time.monotonic()
        time.sleep(float(news.get("slow_check", 0)))
        _record("check", olds=olds, news=news, started=started)
        failures = []
        if news.get("invalid"):
            failures.append(CheckFailure("invalid", f"must not be set (got {news['invalid']})"))
        if isinstance(news.get("count"), float) and news["count"] < 0:
            failures.append(CheckFailure("count", "must not be negative"))
        return CheckResult(dict(news), failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        _record("diff", id=id_, olds=olds, news=news)
        if self.diff_mode == "engine":
            return DiffResult()
        changed = [
            key
            for key, value in news.items()
            if key != PROVIDER_KEY and (isinstance(value, Unknown) or olds.get(key) != value)
        ]
        return DiffResult(
            changes=bool(changed),
            replaces=[key for key in changed if key in self.replace_on],
            delete_before_replace=self.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        started = time.monotonic()
        time.sleep(float(props.get("slow", 0)))
        _record("create", props=props, started=started)
        with _LOCK:
            cloud = _load_cloud()
            _refuse_if_asked(cloud, "create", props.get("name"))
            serial = cloud["next"]
            cloud["next"] = serial + 1
            id_ = f"tiny-{serial}"
            outs = {**_inputs_only(props), "serial": serial}
            cloud["items"][id_] = {"outs": outs, "input_keys": sorted(_inputs_only(props))}
            _save_cloud(cloud)
        print(f"tinyprov: created {id_} for {props.get('name')}")
        return CreateResult(id_, outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        _record("update", id=id_, olds=olds, news=news)
        with _LOCK:
            cloud = _load_cloud()
            _refuse_if_asked(cloud, "update", news.get("name"))
            outs = {**_inputs_only(news), "serial": olds.get("serial")}
            cloud["items"][id_] = {"outs": outs, "input_keys": sorted(_inputs_only(news))}
            _save_cloud(cloud)
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        _record("delete", id=id_, props=props)
        with _LOCK:
            cloud = _load_cloud()
            _refuse_if_asked(cloud, "delete", props.get("name"))
            cloud["items"].pop(id_, None)
            _save_cloud(cloud)
        print(f"tinyprov: deleted {id_}", file=sys.stderr)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        _record("read", id=id_, props=props)
        with _LOCK:
            item = _load_cloud()["items"].get(id_)
        if item is None:
            return ReadResult(None, {})
        outs = dict(item["outs"])
        if not self.read_inputs:
            return ReadResult(id_, outs)
        return ReadResult(id_, outs, {key: outs[key] for key in item["input_keys"] if key in outs})


class Tiny(Resource):
    """A tiny item. ``name`` is passed as an input too, so the provider can see it."""

    serial: pulumi.Output[Any]

    def __init__(
        self,
        name: str,
        props: Mapping[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        provider: TinyProvider | None = None,
    ) -> None:
        super().__init__(
            provider or TinyProvider(),
            name,
            {"name": name, "serial": None, **(props or {})},
            opts,
        )


class TinyWidget(Resource, module="tiny", name="Widget"):
    """A resource with its own type token (``pulumi-python:dynamic/tiny:Widget``)."""

    def __init__(self, name: str, props: Mapping[str, Any] | None = None) -> None:
        super().__init__(TinyProvider(), name, {"name": name, **(props or {})})
