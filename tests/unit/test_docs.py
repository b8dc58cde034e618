"""The README's reference tables are the field table's rendering, never hand-edited."""

from pathlib import Path

from pulumi_autocalls import _docs

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_generated_block_of_the_readme_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    for name in _docs.SECTIONS:
        assert f"<!-- generated:{name} -->" in text
    assert _docs.render(text) == text, "run: python -m pulumi_autocalls._docs README.md"


def test_the_reprovisioning_table_marks_each_row() -> None:
    table = _docs.reprovisioning_table().splitlines()
    assert "| `sip_address` | - | re-created | update in place |" in table
    assert "| `sip_trunk_type` | replaced | replaced | replaces the whole SIP trunk |" in table
    assert "| `nickname` | - | - | update in place, stored only |" in table
