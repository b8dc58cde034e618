"""Fixtures for the harness's own tests: a tiny provider's cloud, call log and engines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engine_harness import Engine

TESTS_DIR = Path(__file__).resolve().parent.parent


class TinyWorld:
    """The files the tiny provider works with, and engines wired to them."""

    def __init__(self, root: Path) -> None:
        self.project_dir = root / "project"
        self.project_dir.mkdir()
        self.log = root / "calls.jsonl"
        self.cloud = root / "cloud.json"
        self.state_path = root / "state" / "dev.json"

    def engine(self, **options: Any) -> Engine:
        env = {
            "PYTHONPATH": str(TESTS_DIR),
            "TINYPROV_LOG": str(self.log),
            "TINYPROV_CLOUD": str(self.cloud),
        }
        options.setdefault("state_path", self.state_path)
        return Engine(self.project_dir, project="tiny", env=env, **options)

    def take_calls(self, *methods: str, timing: bool = False) -> list[dict[str, Any]]:
        """The provider calls logged since the last take (optionally only some methods), with
        every ``__provider`` value replaced by ``"P"`` so that expected values stay readable."""
        if not self.log.exists():
            return []
        calls = [json.loads(line) for line in self.log.read_text().splitlines()]
        self.log.write_text("")
        if not timing:
            for call in calls:
                call.pop("started", None)
                call.pop("ended", None)
        return [_hide_provider(c) for c in calls if not methods or c["method"] in methods]

    def cloud_data(self) -> dict[str, Any]:
        return json.loads(self.cloud.read_text()) if self.cloud.exists() else {}

    def items(self) -> dict[str, Any]:
        return {id_: item["outs"] for id_, item in self.cloud_data().get("items", {}).items()}

    def _update_cloud(self, change: Any) -> None:
        cloud = self.cloud_data() or {"next": 1, "items": {}, "fail": {}}
        change(cloud)
        self.cloud.write_text(json.dumps(cloud, indent=2))

    def fail(self, method: str, name: str) -> None:
        """Make the cloud refuse ``method`` for the resource named ``name``."""
        self._update_cloud(lambda c: c.setdefault("fail", {}).setdefault(method, []).append(name))

    def heal(self) -> None:
        self._update_cloud(lambda c: c.update(fail={}))

    def drift(self, id_: str, **changes: Any) -> None:
        self._update_cloud(lambda c: c["items"][id_]["outs"].update(changes))

    def vanish(self, id_: str) -> None:
        self._update_cloud(lambda c: c["items"].pop(id_))


def _hide_provider(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "P" if k == "__provider" else _hide_provider(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_provider(item) for item in value]
    return value


@pytest.fixture
def world(tmp_path: Path) -> Iterator[TinyWorld]:
    yield TinyWorld(tmp_path)
