"""Builds of the generated SDKs and of the examples that use them, with each language's own
toolchain: ``tsc`` (npm packages pinned by tools/node, installed once per lock file into
~/.cache/pulumi-autocalls), ``go build``/``go vet``/``go test -c`` (Go's own caches, the flags of
the CLI's build so that they share its build cache) and mypy.

Nothing is written into the repository: each build works on copies under a scratch directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SDK = REPO / "sdk"
EXAMPLES = REPO / "examples"
NODE_TOOLS = REPO / "tools" / "node"
HERE = Path(__file__).resolve().parent
GO_SDK_MODULE = "github.com/pulumi-autocalls/pulumi-autocalls-native/sdk/go"
GO_ENV = {"CGO_ENABLED": "0", "GOFLAGS": "-trimpath -tags=osusergo,grpcnotrace"}
"""scripts/pulumi_cli.py builds the CLI so: the same flags reuse its build cache."""


class BuildFailed(AssertionError):
    pass


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} in {cwd} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pulumi-autocalls"


def node_modules() -> Path:
    """tools/node's packages, installed with ``npm ci`` once per lock file (outside the repo)."""
    lock = (NODE_TOOLS / "package-lock.json").read_bytes()
    directory = cache_root() / f"node-{hashlib.sha256(lock).hexdigest()[:16]}"
    installed = directory / "node_modules"
    if (directory / ".installed").is_file():
        return installed
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(NODE_TOOLS / name, directory / name)
    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], directory)
    (directory / ".installed").touch()
    return installed


def build_typescript(root: Path) -> Path:
    """Compile sdk/nodejs with tsc into a package (``root/sdk/bin``, as published), then
    examples/typescript against it, as ``pulumi install`` would link it, and the Automation API
    runner beside it. Returns the example's directory; its program is ``bin/index.js`` and the
    runner ``root/automation.js``."""
    modules = node_modules()
    (root / "node_modules").symlink_to(modules)
    tsc = str(modules / ".bin" / "tsc")

    sdk = root / "sdk"
    shutil.copytree(SDK / "nodejs", sdk)
    run([tsc, "-p", "."], sdk)
    package = sdk / "bin"
    shutil.copyfile(sdk / "package.json", package / "package.json")

    example = root / "example"
    shutil.copytree(EXAMPLES / "typescript", example)
    # Its `packages:` entry names the plugin folder, which the engine would run through Pulumi's
    # Python language host (none here): without it the engine takes pulumi-resource-autocalls
    # from PATH, where `pip install` puts it.
    project = example / "Pulumi.yaml"
    project.write_text(re.sub(r"^packages:\n(?:  .*\n)+", "", project.read_text(), flags=re.M))
    (example / "node_modules").mkdir()
    (example / "node_modules" / "pulumi-autocalls-native").symlink_to(package)
    run([tsc, "-p", "."], example)

    shutil.copyfile(HERE / "automation.ts", root / "automation.ts")
    options = ["--strict", "--target", "ES2022", "--module", "commonjs"]
    options += ["--moduleResolution", "node", "--types", "node", "--skipLibCheck"]
    run([tsc, *options, "automation.ts"], root)
    return example


def vet_go_example() -> None:
    """``go build`` and ``go vet`` of examples/go and of the Go SDK it uses (sdk/go, through the
    example's replace), in place: the committed go.sum must be complete (-mod=readonly)."""
    env = {**GO_ENV, "GOFLAGS": GO_ENV["GOFLAGS"] + " -mod=readonly"}
    example = EXAMPLES / "go"
    run(["go", "build", "-o", os.devnull, "."], example, env)
    run(["go", "vet", ".", f"{GO_SDK_MODULE}/..."], example, env)


def build_go_runner(root: Path) -> Path:
    """A copy of examples/go with the Automation API runner (tests/sdks/automation_test.go)
    compiled into a test binary; returns the copy's directory, holding ``runner``."""
    example = root / "example"
    shutil.copytree(EXAMPLES / "go", example)
    shutil.copyfile(HERE / "automation_test.go", example / "automation_test.go")
    env = {**GO_ENV, "GOFLAGS": GO_ENV["GOFLAGS"] + " -mod=mod"}
    run(["go", "mod", "edit", "-replace", f"{GO_SDK_MODULE}={SDK / 'go'}"], example, env)
    run(["go", "test", "-c", "-o", "runner", "."], example, env)
    return example


def package_versions() -> dict[str, str]:
    """Every version the schema and the SDKs report, by the file it is read from."""
    package = json.loads((SDK / "nodejs" / "package.json").read_text())
    found = {
        "sdk/schema.json": json.loads((SDK / "schema.json").read_text())["version"],
        "sdk/nodejs/package.json": package["version"],
        "sdk/nodejs/package.json (plugin)": package["pulumi"]["version"],
    }
    patterns = {
        "python/pyproject.toml": r'^\s*version = "([^"]+)"',
        "python/pulumi_autocalls_native/_utilities.py": r'^    return "([^"]+)"',
        "go/autocalls/internal/pulumiUtilities.go": r'semver\.MustParse\("([^"]+)"\)',
    }
    for name, pattern in patterns.items():
        versions = set(re.findall(pattern, (SDK / name).read_text(), re.MULTILINE))
        assert len(versions) == 1, f"sdk/{name}: {versions}"
        found[f"sdk/{name}"] = versions.pop()
    for plugin_json in sorted(SDK.glob("*/**/pulumi-plugin.json")):
        found[str(plugin_json.relative_to(REPO))] = json.loads(plugin_json.read_text())["version"]
    return found
