"""The samples of what the Pulumi CLI shows, produced by a real run on the real CLI:
``examples/basic`` deployed against a fresh emulator, then two config edits previewed (as the CLI
prints a preview, and as ``pulumi preview --json`` reports it) and applied.

    python scripts/readme_sample.py            # print the samples
    python scripts/readme_sample.py --write    # rewrite their blocks in README.md and docs/

Each sample goes between ``<!-- sample:NAME -->`` and ``<!-- /sample:NAME -->``: ``preview`` in
README.md, ``preview``, ``up`` and ``preview-json`` in docs/real-engine.md.
tests/quickstart/test_readme_sample.py checks that the blocks are what this prints, up to what
differs between runs (voice trunk ids, timestamps, durations, progress lines).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROGRAM = REPO / "examples" / "basic"
PROJECT = "autocalls-basic"
API_KEY = "sample-key"
REAL_ENGINE_DOC = REPO / "docs" / "real-engine.md"
DOCUMENTS: dict[str, tuple[Path, ...]] = {
    "preview": (REPO / "README.md", REAL_ENGINE_DOC),
    "up": (REAL_ENGINE_DOC,),
    "preview-json": (REAL_ENGINE_DOC,),
}

# The edit the samples show, as the commands a user would type.
EDITS = (
    ("sipAddress", "sip2.provider.com"),
    ("nickname", "Provider X - Backup"),
)
_PROGRESS = re.compile(r"^@ .*\n", re.MULTILINE)


def pulumi_cli() -> Path:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "pulumi_cli.py"), "--no-build"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip().splitlines()[-1])


def samples() -> dict[str, str]:
    """Sample name -> the commands and what the CLI printed, as a fenced block."""
    from cli_engine import CliStack, Secret
    from pulumi_autocalls.emulator import EmulatorProcess

    with (
        EmulatorProcess(api_keys=[API_KEY], db_path=":memory:") as emulator,
        tempfile.TemporaryDirectory() as root,
    ):
        stack = CliStack(
            pulumi_cli(),
            Path(root),
            project=PROJECT,
            config={
                "autocalls:apiKey": Secret(API_KEY),
                "autocalls:baseUrl": emulator.base_url,
                "sipPassword": Secret("s3cret-pass"),
            },
        )
        stack.up(PROGRAM)
        for key, value in EDITS:
            stack.set_config(key, value)
        preview = stack.preview(PROGRAM)
        digest = stack.preview(PROGRAM, json_output=True).json_output
        up = stack.up(PROGRAM)
    commands = [f"$ pulumi config set {key} {_quoted(value)}" for key, value in EDITS]
    assert digest is not None
    return {
        "preview": _block([*commands, "$ pulumi preview", _PROGRESS.sub("", preview.output)]),
        "up": _block(["$ pulumi up --yes", _PROGRESS.sub("", up.output)]),
        "preview-json": _block(
            ["$ pulumi preview --json   # excerpt", json.dumps(_excerpt(digest), indent=2)],
            language="json",
        ),
    }


def _excerpt(digest: dict[str, Any]) -> dict[str, Any]:
    """The parts of the digest about the trunk: its step and the diagnostics."""
    steps = [
        {key: step[key] for key in ("op", "urn", "diffReasons", "detailedDiff") if key in step}
        for step in digest.get("steps", [])
        if step.get("urn", "").endswith("::main")
    ]
    return {"steps": steps, "diagnostics": digest.get("diagnostics", [])}


def _block(lines: Sequence[str], language: str = "text") -> str:
    return f"```{language}\n" + "\n".join(line.rstrip("\n") for line in lines) + "\n```\n"


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def normalized(text: str) -> str:
    """``text`` without what differs between runs: voice trunk ids and durations."""
    text = re.sub(r"\bST_[A-Za-z0-9]+", "ST_…", text)
    text = re.sub(r"\(\d+(\.\d+)?s\)", "(…s)", text)
    return re.sub(r"Duration: \d+s", "Duration: …s", text)


def block_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- sample:{name} -->\n).*?(<!-- /sample:{name} -->)", re.DOTALL)


def document_block(text: str, name: str) -> str:
    found = block_pattern(name).search(text)
    if found is None:
        raise ValueError(f"no <!-- sample:{name} --> block")
    return text[found.end(1) : found.start(2)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print or write the CLI samples of the docs.")
    parser.add_argument("--write", action="store_true", help="rewrite the blocks in the docs")
    args = parser.parse_args(argv)
    fresh = samples()
    if not args.write:
        sys.stdout.write("\n".join(fresh.values()))
        return 0
    for name, text in fresh.items():
        for document in DOCUMENTS[name]:
            content = document.read_text(encoding="utf-8")
            found = block_pattern(name).search(content)
            if found is None:
                raise ValueError(f"{document} has no <!-- sample:{name} --> block")
            content = content[: found.end(1)] + text + content[found.start(2) :]
            document.write_text(content, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
