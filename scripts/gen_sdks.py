"""Generate the native provider's SDKs under ``sdk/`` from its schema: ``make sdks``.

``sdk/nodejs``, ``sdk/python`` and ``sdk/go`` are written by Pulumi's own code generators (the
``pkg/v3`` Go module at the version of our CLI), called by ``tools/sdkgen``: ``pulumi package
gen-sdk`` would ask a language host to run the same generators, and the Go module proxy serves
none of the Node.js, Python or Go hosts. The C# generator lives in Pulumi's .NET repository,
which the proxy does not serve either, so there is no ``sdk/dotnet`` (docs/sdks.md).

The schema is what the plugin's GetSchema answers, version included
(``pulumi_autocalls._version``), and is also written to ``sdk/schema.json`` for YAML programs
and for ``pulumi package add ./sdk/schema.json``. ``tools/sdkgen`` is compiled once per machine
into ``~/.cache/pulumi-autocalls`` (like the CLI); ``--tool`` only builds it and prints its path.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pulumi_cli import BUILD_TAGS, TOOLS, CliUnavailable, cache_root, go_toolchain, locked

REPO = Path(__file__).resolve().parents[1]
SDK = REPO / "sdk"
SDKGEN = TOOLS / "sdkgen"
LANGUAGES = ("nodejs", "python", "go")
SCHEMA_FILE = "schema.json"


def say(message: str) -> None:
    print(f"sdks: {message}", file=sys.stderr, flush=True)


def sdkgen() -> Path:
    """The compiled ``tools/sdkgen``, built if its sources changed since the last build."""
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum", "main.go"):
        digest.update((SDKGEN / name).read_bytes())
    directory = cache_root() / f"sdkgen-{digest.hexdigest()[:16]}"
    binary = directory / "sdkgen"
    if binary.is_file():
        return binary
    go = go_toolchain()
    with locked(cache_root() / "sdkgen.lock"):
        if binary.is_file():
            return binary
        say(f"building tools/sdkgen into {directory} (once per machine: minutes the first time)")
        directory.mkdir(parents=True, exist_ok=True)
        # The CLI's own flags, so that the Go build cache of the CLI's build is reused.
        done = subprocess.run(
            [go, "build", "-trimpath", "-tags", BUILD_TAGS, "-o", str(binary) + ".new", "."],
            cwd=SDKGEN,
            env={**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-mod=readonly"},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise CliUnavailable(f"go build of tools/sdkgen failed: {done.stderr.strip()}")
        Path(str(binary) + ".new").rename(binary)
    return binary


def schema_json() -> str:
    from pulumi_autocalls._native.schema import schema_json

    return schema_json() + "\n"


def generate(out: Path, languages: Sequence[str] = LANGUAGES) -> None:
    """Write ``out/schema.json`` and one folder per language, each replaced whole."""
    out.mkdir(parents=True, exist_ok=True)
    schema = out / SCHEMA_FILE
    schema.write_text(schema_json(), encoding="utf-8")
    done = subprocess.run(
        [str(sdkgen()), "-schema", str(schema), "-out", str(out), "-language", ",".join(languages)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise CliUnavailable(done.stderr.strip().removeprefix("sdkgen: "))
    for line in done.stdout.splitlines():
        say(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=SDK, help="where to write (default: sdk/)")
    parser.add_argument("--tool", action="store_true", help="only build tools/sdkgen, print it")
    args = parser.parse_args(argv)
    try:
        if args.tool:
            print(sdkgen())
            return 0
        with tempfile.TemporaryDirectory(prefix="sdks-") as scratch:
            generate(Path(scratch))
            args.out.mkdir(parents=True, exist_ok=True)
            for name in (SCHEMA_FILE, *LANGUAGES):
                target = args.out / name
                if target.is_dir():
                    shutil.rmtree(target)
                shutil.move(str(Path(scratch) / name), target)
    except CliUnavailable as why:
        say(str(why))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
