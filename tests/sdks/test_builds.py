"""Each generated SDK builds with its own language's toolchain, and so does each example."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from .conftest import need
from .toolchains import SDK, vet_go_example


def test_tsc_compiles_the_typescript_sdk_and_example(typescript_example: Path) -> None:
    package = typescript_example.parent / "sdk" / "bin"
    assert {"index.js", "index.d.ts", "sipTrunk.js", "sipTrunk.d.ts"} <= {
        path.name for path in package.iterdir()
    }
    assert (typescript_example / "bin" / "index.js").is_file()


def test_go_build_and_vet_pass_on_the_go_sdk_and_example() -> None:
    need("go")
    vet_go_example()


# What mypy finds in Pulumi's generated Python at pkg/v3 v3.274.1, by file and error code: optional
# inputs passed where Output.secret and Output.from_input are typed for required ones
# (provider.py, sip_trunk.py), and the decorator that lifts invoke outputs (_utilities.py). A
# generator that fixes or adds any shows here.
GENERATOR_MYPY_ERRORS = [
    ("_utilities.py", "return-value"),
    ("_utilities.py", "return-value"),
    ("provider.py", "arg-type"),
    ("provider.py", "arg-type"),
    ("provider.py", "arg-type"),
    ("sip_trunk.py", "arg-type"),
]
ERROR = re.compile(r"^(?:.*/)?(?P<file>[^/:]+):\d+: error: .*\[(?P<code>[a-z-]+)\]$")


def test_mypy_checks_the_python_sdk(tmp_path: Path) -> None:
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")  # mypy's defaults, not this repository's strict settings
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--config-file", str(config)),
            *("--cache-dir", str(tmp_path), "pulumi_autocalls_native"),
        ],
        cwd=SDK / "python",
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [ERROR.match(line) for line in done.stdout.splitlines() if ": error: " in line]
    found = sorted((e["file"], e["code"]) for e in errors if e is not None)
    assert len(found) == len(errors), done.stdout
    assert found == GENERATOR_MYPY_ERRORS, done.stdout


def test_both_python_faces_install_side_by_side() -> None:
    import pulumi_autocalls
    import pulumi_autocalls_native

    assert {metadata.version("pulumi-autocalls"), metadata.version("pulumi-autocalls-native")} == {
        pulumi_autocalls.__version__
    }
    assert pulumi_autocalls.SipTrunk.__module__ == "pulumi_autocalls._dynamic.resource"
    assert pulumi_autocalls_native.SipTrunk.__module__ == "pulumi_autocalls_native.sip_trunk"
