"""The README's sample preview is what the engine harness prints today (scripts/readme_sample.py),
the random voice trunk ids aside."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_sample", REPO / "scripts" / "readme_sample.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_sample_preview_is_current() -> None:
    script = load_script()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    fresh = script.sample()
    assert script.normalized(script.readme_block(readme)) == script.normalized(fresh), (
        "run: python scripts/readme_sample.py --write"
    )
    # What the README's prose around it says the sample shows.
    assert "[diff: ~nickname, ~sip_address]" in fresh
    assert (
        "autocalls: SIP trunk 1: this update re-creates the outbound trunk ST_" in fresh
        and "(changed: sip_address)" in fresh
    )


def test_normalizing_hides_only_the_voice_trunk_ids() -> None:
    script = load_script()
    assert script.normalized("trunk ST_Ab3dEf6hIj9k (changed)") == "trunk ST_… (changed)"
    assert script.normalized('trunk_id: "1"') == 'trunk_id: "1"'
