"""The samples of the CLI's output in README.md and docs/real-engine.md are what the real CLI
prints today (scripts/readme_sample.py), up to what differs between runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_sample", REPO / "scripts" / "readme_sample.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def comparable(script: ModuleType, block: str) -> list[str]:
    """The block's lines, normalized and sorted: the CLI prints a step's row and a diagnostic's
    row in the order their events arrive, which varies from run to run."""
    return sorted(script.normalized(block).splitlines())


@pytest.mark.real_engine
def test_the_samples_of_the_cli_output_are_current(pulumi_cli: Path) -> None:
    script = load_script()
    fresh = script.samples()
    for name, documents in script.DOCUMENTS.items():
        for document in documents:
            shown = script.document_block(document.read_text(encoding="utf-8"), name)
            assert comparable(script, shown) == comparable(script, fresh[name]), (
                f"{document.name} {name}: run python scripts/readme_sample.py --write"
            )
    # What the README's prose around it says the preview sample shows.
    assert "[diff: ~nickname,sip_address]" in fresh["preview"]
    assert (
        "autocalls: SIP trunk 1: this update re-creates the outbound trunk ST_" in fresh["preview"]
        and "(changed: sip_address)" in fresh["preview"]
    )


def test_normalizing_hides_only_what_differs_between_runs() -> None:
    script = load_script()
    assert script.normalized("trunk ST_Ab3dEf6hIj9k (changed)") == "trunk ST_… (changed)"
    assert script.normalized("main updated (0.52s) [diff: ~x]") == "main updated (…s) [diff: ~x]"
    assert script.normalized("Duration: 3s") == "Duration: …s"
    assert script.normalized('trunk_id: "1"') == 'trunk_id: "1"'
