"""Find or build the Pulumi CLI this project runs its programs on; print where it is.

``.venv/bin/python scripts/pulumi_cli.py`` prints, as its last line of standard output, the
absolute path of a directory holding an executable ``pulumi``, our
``pulumi-resource-pulumi-python`` (the plugin that serves Python dynamic resources) and every
language host that could be had (``pulumi-language-yaml``, ``pulumi-language-python``). Progress
goes to standard error, one line per step.

Where the CLI comes from, first match wins:

1. ``PULUMI_CLI``: the path of a ``pulumi`` executable (or of the directory holding it);
2. a ``pulumi`` of the supported range on ``PATH`` or in ``~/.pulumi/bin``;
3. a build of the pinned version cached by an earlier call;
4. a new build with the machine's Go toolchain from the Go module proxy, pinned by
   ``tools/pulumi-cli/go.mod`` and compiled as Pulumi's releases are (trimpath, release build
   tags, the version injected so that ``pulumi version`` answers). It goes to
   ``$XDG_CACHE_HOME/pulumi-autocalls/pulumi-<version>`` (``~/.cache`` by default), once per
   machine; the first build takes minutes.

Where no CLI can be had, it says why in one sentence, and what to install, and exits with 1.
``--no-build`` stops before step 4 (the test suite asks this way: a build belongs outside a
test's time limit).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
DYNAMIC_PLUGIN = "pulumi-resource-pulumi-python"
SUPPORTED = ((3, 216), (4, 0))  # the CLI range this provider supports: >= 3.216, < 4
SUPPORTED_TEXT = ">=3.216,<4"
BUILD_TAGS = "osusergo,grpcnotrace"  # the tags of Pulumi's release builds (.goreleaser.yml)
FREE_DISK_NEEDED = 6 * 1024**3  # measured: 3.0 GB of modules, 1.8 GB of build cache, 0.15 GB out
MANIFEST = "manifest.json"


class CliUnavailable(Exception):
    """No CLI can be had here; the message is one sentence saying why and what to install."""


@dataclass(frozen=True)
class GoProgram:
    """A program built from Go modules into the CLI's directory."""

    executable: str
    package: str
    module_dir: Path | None
    """Our pinning module under tools/; None when none can be pinned (the proxy serves no
    version of it that we know), in which case its newest served version is tried."""
    module: str
    version_variable: str | None


CLI = GoProgram(
    executable="pulumi",
    package="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    module_dir=TOOLS / "pulumi-cli",
    module="github.com/pulumi/pulumi/pkg/v3",
    version_variable="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version",
)
LANGUAGE_HOSTS = (
    GoProgram(
        executable="pulumi-language-yaml",
        package="github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
        module_dir=TOOLS / "pulumi-language-yaml",
        module="github.com/pulumi/pulumi-yaml",
        version_variable="github.com/pulumi/pulumi-yaml/pkg/version.Version",
    ),
    # Untagged sub-module of pulumi/pulumi: the proxy serves it only as a pseudo-version, if at
    # all. Without it, Python programs run through the Automation API's inline programs.
    GoProgram(
        executable="pulumi-language-python",
        package="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
        module_dir=None,
        module="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3",
        version_variable="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version",
    ),
)


def say(message: str) -> None:
    print(f"pulumi-cli: {message}", file=sys.stderr, flush=True)


# --- versions ------------------------------------------------------------------------------------


def pinned_version(program: GoProgram) -> str:
    """The version ``program``'s module is pinned at in its go.mod (``v3.274.1``)."""
    assert program.module_dir is not None
    text = (program.module_dir / "go.mod").read_text(encoding="utf-8")
    found = re.search(rf"^\s*{re.escape(program.module)} (v\S+)", text, re.MULTILINE)
    if found is None:
        raise CliUnavailable(f"{program.module_dir}/go.mod does not require {program.module}.")
    return found.group(1)


def cli_version(pulumi: Path) -> str | None:
    """What ``pulumi version`` answers (``3.274.1``), or None if it does not run or answer."""
    try:
        done = subprocess.run(
            [str(pulumi), "version"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    version = done.stdout.strip().removeprefix("v")
    return version if done.returncode == 0 and re.match(r"\d+\.\d+", version) else None


def supported(version: str) -> bool:
    numbers = re.match(r"(\d+)\.(\d+)", version)
    if numbers is None:
        return False
    found = (int(numbers.group(1)), int(numbers.group(2)))
    return SUPPORTED[0] <= found < SUPPORTED[1]


# --- the cache -----------------------------------------------------------------------------------


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pulumi-autocalls"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (two calls at once build once, not twice)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def install_dynamic_plugin(bin_dir: Path) -> None:
    target = bin_dir / DYNAMIC_PLUGIN
    shutil.copyfile(TOOLS / DYNAMIC_PLUGIN, target)
    target.chmod(0o755)


def complete(directory: Path) -> bool:
    """True if ``directory`` is a finished CLI directory (its manifest is written last)."""
    return (directory / MANIFEST).is_file() and os.access(directory / "bin" / "pulumi", os.X_OK)


# --- an installed CLI ----------------------------------------------------------------------------


def installed_cli() -> Path | None:
    """``PULUMI_CLI``, else a supported ``pulumi`` on PATH or in ~/.pulumi/bin."""
    chosen = os.environ.get("PULUMI_CLI")
    if chosen:
        path = Path(chosen).expanduser()
        path = path / "pulumi" if path.is_dir() else path
        version = cli_version(path)
        if version is None:
            raise CliUnavailable(f"PULUMI_CLI={chosen} is not a Pulumi CLI that runs.")
        if not supported(version):
            raise CliUnavailable(
                f"PULUMI_CLI={chosen} is Pulumi {version}; this project supports {SUPPORTED_TEXT}."
            )
        return path.resolve()
    candidates = [shutil.which("pulumi"), str(Path.home() / ".pulumi" / "bin" / "pulumi")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            version = cli_version(Path(candidate))
            if version is not None and supported(version):
                return Path(candidate).resolve()
            if version is not None:
                say(f"ignoring {candidate}: Pulumi {version} is outside {SUPPORTED_TEXT}")
    return None


def directory_for_installed(pulumi: Path) -> Path:
    """A directory of ours holding links to an installed CLI and its language hosts, and our
    dynamic-provider plugin; rebuilt on every call (it is cheap), keyed by the CLI's path."""
    key = re.sub(r"[^A-Za-z0-9]+", "-", str(pulumi)).strip("-")
    directory = cache_root() / f"installed-{key}"
    bin_dir = directory / "bin"
    with locked(cache_root() / f"installed-{key}.lock"):
        shutil.rmtree(directory, ignore_errors=True)
        bin_dir.mkdir(parents=True)
        (bin_dir / "pulumi").symlink_to(pulumi)
        for host in pulumi.parent.glob("pulumi-language-*"):
            if os.access(host, os.X_OK):
                (bin_dir / host.name).symlink_to(host.resolve())
        install_dynamic_plugin(bin_dir)
        write_manifest(directory, {"source": str(pulumi), "version": cli_version(pulumi)})
    return bin_dir


def write_manifest(directory: Path, content: dict[str, object]) -> None:
    (directory / MANIFEST).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")


# --- a build -------------------------------------------------------------------------------------


def go_toolchain() -> str:
    go = shutil.which("go")
    if go is None:
        raise CliUnavailable(
            "No Pulumi CLI was found (PULUMI_CLI, PATH, ~/.pulumi/bin) and Go is not installed "
            "to build one: install Go 1.26 or newer (https://go.dev/dl/) or a Pulumi CLI "
            f"{SUPPORTED_TEXT}."
        )
    return go


def check_free_disk(*paths: Path) -> None:
    for path in paths:
        existing = path
        while not existing.exists():
            existing = existing.parent
        free = shutil.disk_usage(existing).free
        if free < FREE_DISK_NEEDED:
            raise CliUnavailable(
                f"Building the Pulumi CLI needs about {FREE_DISK_NEEDED / 1024**3:.0f} GB of free "
                f"disk for Go's module and build caches, and {existing} has "
                f"{free / 1024**3:.1f} GB: free some space or install a Pulumi CLI "
                f"{SUPPORTED_TEXT}."
            )


def go_env(go: str, name: str) -> str:
    done = subprocess.run([go, "env", name], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def build_failure(go: str, program: GoProgram, output: str) -> str:
    """One sentence for a failed ``go`` command, from its output."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    unreachable = re.compile(
        r"dial tcp|no such host|connection refused|i/o timeout|proxyconnect|TLS handshake|"
        r"403 Forbidden|404 Not Found|not available|unrecognized import path"
    )
    reason = next((line for line in lines if unreachable.search(line)), None)
    if reason is not None:
        return (
            f"Go could not download {program.module} from the Go module proxy "
            f"(GOPROXY={go_env(go, 'GOPROXY')}): {reason}"
        )
    tail = " / ".join(lines[-3:]) or "no output"
    return f"go build of {program.package} failed: {tail}"


def go_build(go: str, program: GoProgram, version: str, bin_dir: Path) -> None:
    """Compile ``program`` into ``bin_dir`` as Pulumi's releases are compiled."""
    ldflags = "-s -w"
    if program.version_variable is not None:
        ldflags += f" -X {program.version_variable}={version}"
    command = [
        go,
        "build",
        "-trimpath",
        "-tags",
        BUILD_TAGS,
        "-ldflags",
        ldflags,
        "-o",
        str(bin_dir / program.executable),
        program.package,
    ]
    env = {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-mod=readonly"}
    if program.module_dir is not None:
        done = subprocess.run(
            command, cwd=program.module_dir, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise CliUnavailable(build_failure(go, program, done.stderr + done.stdout))
        return
    with tempfile.TemporaryDirectory(prefix="pulumi-autocalls-go-") as scratch:
        (Path(scratch) / "go.mod").write_text("module scratch\n\ngo 1.26\n", encoding="utf-8")
        got = subprocess.run(
            [go, "get", f"{program.module}@latest"],
            cwd=scratch,
            env={**env, "GOFLAGS": "-mod=mod"},
            capture_output=True,
            text=True,
        )
        if got.returncode != 0:
            raise CliUnavailable(build_failure(go, program, got.stderr + got.stdout))
        done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise CliUnavailable(build_failure(go, program, done.stderr + done.stdout))


def built_cli() -> Path:
    """The cached build of the pinned CLI, building it (and the language hosts) if needed."""
    version = pinned_version(CLI)
    directory = cache_root() / f"pulumi-{version.removeprefix('v')}"
    if complete(directory):
        return directory / "bin"
    go = go_toolchain()
    with locked(cache_root() / f"pulumi-{version.removeprefix('v')}.lock"):
        if complete(directory):  # built by another call while this one waited
            return directory / "bin"
        check_free_disk(cache_root(), Path(go_env(go, "GOMODCACHE")), Path(go_env(go, "GOCACHE")))
        staging = Path(tempfile.mkdtemp(prefix=f"{directory.name}.", dir=cache_root()))
        try:
            bin_dir = staging / "bin"
            bin_dir.mkdir()
            started = time.monotonic()
            say(
                f"building Pulumi CLI {version} from Go modules into {directory} "
                "(once per machine; the first build takes several minutes)"
            )
            go_build(go, CLI, version, bin_dir)
            built = {"pulumi": f"{time.monotonic() - started:.0f} s"}
            not_built: dict[str, str] = {}
            for host in LANGUAGE_HOSTS:
                host_version = pinned_version(host) if host.module_dir is not None else version
                say(f"building {host.executable}")
                step = time.monotonic()
                try:
                    go_build(go, host, host_version, bin_dir)
                except CliUnavailable as why:
                    say(f"{host.executable} is not available: {why}")
                    not_built[host.executable] = str(why)
                else:
                    built[host.executable] = f"{time.monotonic() - step:.0f} s"
            install_dynamic_plugin(bin_dir)
            write_manifest(staging, {"version": version, "built": built, "not_built": not_built})
            shutil.rmtree(directory, ignore_errors=True)
            staging.rename(directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        say(f"built in {time.monotonic() - started:.0f} s")
    return directory / "bin"


def cached_cli() -> Path | None:
    version = pinned_version(CLI).removeprefix("v")
    directory = cache_root() / f"pulumi-{version}"
    return directory / "bin" if complete(directory) else None


# --- main ----------------------------------------------------------------------------------------


def find(*, build: bool) -> Path:
    """The directory of the CLI to use; raises CliUnavailable with the reason."""
    installed = installed_cli()
    if installed is not None:
        return directory_for_installed(installed)
    cached = cached_cli()
    if cached is not None:
        return cached
    if not build:
        raise CliUnavailable(
            "No Pulumi CLI was found (PULUMI_CLI, PATH, ~/.pulumi/bin, or a build cached under "
            f"{cache_root()}): build one with '.venv/bin/python scripts/pulumi_cli.py'."
        )
    return built_cli()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--no-build", action="store_true", help="find a CLI, but never build one from Go modules"
    )
    args = parser.parse_args(argv)
    try:
        bin_dir = find(build=not args.no_build)
    except CliUnavailable as why:
        say(str(why))
        return 1
    print(bin_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
