"""sdk/ is what `make sdks` generates from the plugin's schema, and reports one version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from google.protobuf import empty_pb2
from pulumi_autocalls import __version__
from pulumi_autocalls._native.engine import EngineLog
from pulumi_autocalls._native.schema import schema_json
from pulumi_autocalls._native.servicer import SipTrunkProvider

from .conftest import need
from .toolchains import REPO, SDK, package_versions


def committed_files() -> dict[str, bytes]:
    names = subprocess.run(
        ["git", "ls-files", "sdk"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return {name.removeprefix("sdk/"): (REPO / name).read_bytes() for name in names}


def test_regenerating_the_sdks_changes_nothing(tmp_path: Path) -> None:
    need("go")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_sdks.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    generated = {
        str(path.relative_to(tmp_path)): path.read_bytes()
        for path in tmp_path.rglob("*")
        if path.is_file()
    }
    committed = committed_files()
    assert sorted(generated) == sorted(committed), "run `make sdks` and commit sdk/"
    changed = [name for name in generated if generated[name] != committed[name]]
    assert changed == [], "run `make sdks` and commit sdk/"


def test_the_committed_schema_is_what_the_plugin_serves() -> None:
    assert (SDK / "schema.json").read_text(encoding="utf-8") == schema_json() + "\n"


def test_the_plugin_the_schema_and_every_sdk_report_the_packages_version() -> None:
    plugin = SipTrunkProvider(EngineLog(None)).GetPluginInfo(empty_pb2.Empty(), None)
    versions = {"plugin (GetPluginInfo)": plugin.version, **package_versions()}
    assert len(versions) == 9
    assert {where: __version__ for where in versions} == versions
