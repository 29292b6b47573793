"""g7lint fix: scaffolding that points at what to write and never counts as having written it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import g7lint
from g7lint.cli import main
from g7lint.fix import fix_card_text

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [ROOT / "examples" / "template-card.md", ROOT / "tests" / "cards" / "corpus" / "llm-jp-template.md"]
TWO_LINES = "# Acme 7B\nA language model with seven billion parameters.\n"  # says nothing of its use


def test_two_line_card_gets_a_heading_per_failing_requirement_and_still_fails() -> None:
    before = g7lint.lint_text(TWO_LINES)
    fixed = fix_card_text(TWO_LINES)
    after = g7lint.lint_text(fixed.text)
    assert fixed.added and not after.passed
    headed = {line.split(" for ")[-1] for line in fixed.added}
    for requirement in before.requirements:
        if requirement.id in headed:
            result = after.requirement(requirement.id)
            assert result.status == "fail", requirement.id  # guidance is never evidence
            assert "heading" in result.near_miss, (requirement.id, result.near_miss)  # it points at the new heading
    assert fixed.text.startswith(TWO_LINES)  # nothing of the card moved
    assert fix_card_text(fixed.text).added == ()  # a second run changes nothing


@pytest.mark.parametrize("card", TEMPLATES, ids=lambda p: p.name)
def test_templates_keep_their_front_matter_byte_for_byte(card: Path) -> None:
    text = card.read_text()
    fixed = fix_card_text(text, str(card))
    original = g7lint.lint_text(text, str(card))
    if original.findings and text.startswith("---"):
        closing = text.index("\n---", 3)
        assert fixed.text[: closing + 4] == text[: closing + 4]
    assert not g7lint.lint_text(fixed.text).passed
    assert fix_card_text(fixed.text).added == ()


def test_crlf_cards_stay_crlf() -> None:
    fixed = fix_card_text(TWO_LINES.replace("\n", "\r\n"))
    assert "\n" not in fixed.text.replace("\r\n", "")


def test_add_metadata_takes_the_licence_from_a_licence_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nlanguage: en\n---\n" + TWO_LINES)
    (tmp_path / "LICENSE").write_text("MIT License\n\nCopyright (c) 2026 Acme\n")
    assert main(["fix", str(card), "--add-metadata"]) == 0
    text = card.read_text()
    assert text.startswith("---\nlanguage: en\nlicense: mit\n---\n")
    assert g7lint.lint_file(card).requirement("license").status == "pass"


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "README.md"
    card.write_text(TWO_LINES)
    assert main(["fix", str(card), "--diff"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {card}") and "+## Uses" in out
    assert card.read_text() == TWO_LINES


def test_fix_refuses_what_it_cannot_safely_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "README.md"
    card.write_text(TWO_LINES)
    link = tmp_path / "LINK.md"
    link.symlink_to(card)
    assert main(["fix", str(link)]) == 2 and "symbolic link" in capsys.readouterr().err
    broken = tmp_path / "broken.md"
    broken.write_text("---\nlicense: [mit\n---\n# M\n")
    assert main(["fix", str(broken)]) == 2 and "front matter" in capsys.readouterr().err
    assert broken.read_text() == "---\nlicense: [mit\n---\n# M\n" and card.read_text() == TWO_LINES
    if os.geteuid() != 0:  # root may write anything
        card.chmod(0o444)
        assert main(["fix", str(card)]) == 2 and "cannot be written" in capsys.readouterr().err
