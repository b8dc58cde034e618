"""The README's sample preview, produced by a real run: ``examples/basic`` through the engine
harness against a fresh emulator, deployed, then previewed after a config edit.

    python scripts/readme_sample.py            # print the sample
    python scripts/readme_sample.py --write    # rewrite README.md's <!-- sample:preview --> block

tests/quickstart/test_readme_sample.py checks that the README's block is what this prints, the
random voice trunk ids (``ST_…``) aside.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PROGRAM = REPO / "examples" / "basic"
BLOCK = re.compile(r"(<!-- sample:preview -->\n).*?(<!-- /sample:preview -->)", re.DOTALL)
API_KEY = "sample-key"

# The edit the sample previews, as the commands a user would type.
EDITS = (
    ("sipAddress", "sip2.provider.com"),
    ("nickname", "Provider X - Backup"),
)


def sample() -> str:
    """The commands and the preview they produce, as a fenced block."""
    from engine_harness import Engine, Secret
    from pulumi_autocalls.emulator import EmulatorProcess

    project = "autocalls-basic"
    with EmulatorProcess(api_keys=[API_KEY], db_path=":memory:") as emulator:
        engine = Engine(
            PROGRAM,
            project=project,
            config={
                "autocalls:apiKey": Secret(API_KEY),
                "autocalls:baseUrl": emulator.base_url,
                f"{project}:sipPassword": Secret("s3cret-pass"),
            },
        )
        engine.up(PROGRAM)
        for key, value in EDITS:
            engine.config[f"{project}:{key}"] = value
        preview = engine.preview(PROGRAM)
    commands = [f"$ pulumi config set {key} {_quoted(value)}" for key, value in EDITS]
    return "```text\n" + "\n".join([*commands, "$ pulumi preview", preview.render()]) + "```\n"


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def normalized(text: str) -> str:
    """``text`` without what differs between runs: the voice trunk ids."""
    return re.sub(r"\bST_[A-Za-z0-9]+", "ST_…", text)


def readme_block(text: str) -> str:
    found = BLOCK.search(text)
    if found is None:
        raise ValueError("README.md has no <!-- sample:preview --> block")
    return text[found.end(1) : found.start(2)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print or write the README's sample preview.")
    parser.add_argument("--write", action="store_true", help="rewrite the block in README.md")
    args = parser.parse_args(argv)
    text = sample()
    if not args.write:
        sys.stdout.write(text)
        return 0
    readme = README.read_text(encoding="utf-8")
    readme_block(readme)  # fails clearly when the markers are missing
    README.write_text(
        BLOCK.sub(lambda m: m.group(1) + text + m.group(2), readme, count=1), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
