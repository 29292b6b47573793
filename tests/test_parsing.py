"""Card parsing: front matter as the Hub detects it, sections, lines, template text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from huggingface_hub import ModelCard
from huggingface_hub.repocard import REGEX_YAML_BLOCK

from g7lint.parsing.card import parse_card_text
from g7lint.parsing.frontmatter import find_yaml_block
from g7lint.parsing.markdown import HEADING, PSEUDO_HEADING_LEVEL


@pytest.mark.parametrize(
    "text",
    [
        "---\nlicense: mit\n---\n# Title\n",
        "\n\n---\nlicense: mit\n---\n# Title\n",
        "---\r\nlicense: mit\r\n---\r\n# Title\r\n",
        "---\nlicense: mit\n---   \n# Title\n",
        "# No front matter\n\n---\nlicense: mit\n---\n",
        "---\n---\n# Empty block\n",
        "---\nlicense: mit\n---",
    ],
)
def test_front_matter_agrees_with_huggingface_hub(text: str) -> None:
    card = parse_card_text(text)
    assert card.metadata == (ModelCard(text, ignore_metadata_errors=True).data.to_dict() or {})


def _hub_block(text: str) -> tuple[int, int, int] | None:
    match = REGEX_YAML_BLOCK.match(text)
    return (match.start(2), match.end(2), match.end()) if match else None


def test_the_front_matter_is_found_where_the_hub_regex_finds_it() -> None:
    """The hand-written finder must equal the Hub's regex on every text: seeded random texts
    over the characters that decide it (dashes, each newline, blanks, Unicode spaces) and
    the shipped test cards."""
    pieces = ["-", "---", "\r", "\n", "\r\n", " ", "\t", "\u00a0", "\u2028", "a", "x: 1"]
    rng = random.Random(20261204)
    openings = ["", "---", "---\n", "---\r\n", "---\r", "\n ---\n"]  # most texts open a block
    texts = [
        rng.choice(openings) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(30_000)
    ]
    texts += [path.read_text(encoding="utf-8") for path in sorted((Path(__file__).parent / "cards").rglob("*.md"))]
    assert sum(_hub_block(text) is not None for text in texts) > 1_000
    assert [text for text in texts if find_yaml_block(text) != _hub_block(text)] == []


def test_key_lines_and_nested_positions() -> None:
    text = "---\nlicense: mit\nmodel-index:\n- name: m\n  results:\n  - task: {type: x}\n---\n# T\n"
    fm = parse_card_text(text).front_matter
    assert fm.line_of(("license",)) == (2, 1)
    assert fm.line_of(("model-index", 0, "results", 0, "task")) == (6, 11)
    assert fm.line_of(("missing",)) == (7, 1)  # where the key would be added: the closing fence
    assert fm.closing_line == 7 and fm.body_first_line == 8


def test_headings_atx_setext_html_not_code() -> None:
    text = (
        "---\nlicense: mit\n---\n"
        "# One\n\nSetext two\n----------\n\n"
        "```\n# not a heading\n```\n\n"
        '<h3 align="center">Three</h3>\n\n'
        "**Training data**\n\nWikipedia.\n"
    )
    card = parse_card_text(text)
    headings = [(b.text, b.level, b.line) for b in card.body.blocks if b.kind == HEADING]
    assert headings == [
        ("One", 1, 4),
        ("Setext two", 2, 6),
        ("Three", 3, 13),
        ("Training data", PSEUDO_HEADING_LEVEL, 15),
    ]


def test_section_tree() -> None:
    text = "# A\n\n## B\n\nb text\n\n### C\n\nc text\n\n## D\n\nd text\n"
    sections = {s.title: s for s in parse_card_text(text).body.sections}
    blocks = parse_card_text(text).body.blocks
    b = sections["b"]
    assert [blocks[i].text for i in range(b.index + 1, b.subtree_end)] == ["b text", "C", "c text"]
    assert [blocks[i].text for i in range(b.index + 1, b.own_end)] == ["b text"]


def test_line_numbers_are_true_to_the_file_with_crlf_and_bom() -> None:
    text = "\ufeff---\r\nlicense: mit\r\n---\r\n\r\n# Title\r\n\r\nBody line\r\n"
    card = parse_card_text(text)
    assert [(b.text, b.line) for b in card.body.blocks] == [("Title", 5), ("Body line", 7)]


def test_non_ascii_lines() -> None:
    text = "# Modèle 日本語\n\nÉté — données\n\n## Limites\n\nUn texte.\n"
    blocks = parse_card_text(text).body.blocks
    assert [(b.text, b.line) for b in blocks] == [
        ("Modèle 日本語", 1),
        ("Été — données", 3),
        ("Limites", 5),
        ("Un texte.", 7),
    ]


def test_table_rows_and_html_comments() -> None:
    text = "| A | B |\n|---|---|\n| 1 | 2 |\n\n<!-- guidance -->\n<p>Html text</p>\n"
    blocks = parse_card_text(text).body.blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("table-row", "| A | B |"),
        ("table-row", "| 1 | 2 |"),
        ("html", "Html text"),
    ]


def test_inline_tags_that_part_words_leave_a_space() -> None:
    # A footnote mark in <sup> follows a word ("watermark<sup>1</sup>"); emphasis sits inside one.
    text = "Outputs carry a watermark<sup>1</sup>.<br>It is <b>red</b>-teamed.\n"
    (block,) = parse_card_text(text).body.blocks
    assert block.text == "Outputs carry a watermark 1 . It is red-teamed."
