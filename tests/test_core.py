"""The compiled core reads what the pure-Python reading read, on inputs built to differ.

The YAML loader is held to PyYAML's safe loader, which the project used
before the core and still uses for the documents the core hands back: every
document the core builds must equal what PyYAML builds (after the JSON
conversion the metadata rules see), across YAML 1.1's scalar forms, and the
forms it does not build must be handed back, not guessed. The block reader is
held to cases whose answer is known; the whole engine is held to the
pure-Python one by ``benchmarks/differential.py`` over every corpus card.
"""

from __future__ import annotations

import html
import html.entities
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from g7lint import _core
from g7lint.parsing.frontmatter import MAX_NESTING, _as_json_data, split_front_matter
from g7lint.parsing.markdown import parse_body

CORPUS_CARDS = Path(__file__).parent / "cards" / "corpus"

SCALARS = [
    "mit", "yes", "Yes", "YES", "no", "No", "on", "Off", "true", "False", "y", "n", "~", "null", "Null", "NULL",
    "", "0", "-0", "+7", "1_000", "012", "0o17", "0x1F", "0b101", "1:30", "99999999999999999999", "1.5", "1.",
    ".5", "-.5", "1e5", "1.0e+5", "1.5E-3", "1_0.5_0", ".inf", "-.Inf", ".NaN", "2023-01-01", "2023-1-1 10:00:00",
    "2023-01-01T10:00:00.5Z", "=", "<<", "'quoted yes'", '"0x1F"', "|\n  block\n  text", ">\n  folded", "[a, 1, yes]",
    "{a: 1, b: no}", "- x", "!!str 5", "!!python/object:os.system ls", "&anchor v", "a: b: c", "[unclosed", "'open",
    "tab\there", "café 中文", "http://example.com/a#b", "# only a comment", "@at", "`tick",
]  # fmt: skip


def _pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _documents() -> list[str]:
    documents = [f"key: {scalar}" for scalar in SCALARS]
    documents += [f"key:\n  - {a}\n  - {b}" for a, b in itertools.islice(itertools.permutations(SCALARS[:30], 2), 200)]
    documents += [f"{scalar}: value" for scalar in SCALARS]
    documents += [
        "", "# nothing", "a: 1\na: 2", "a: 1\nb:\n  c: [1, {d: e}]\n  f: ''", "- a\n- b", "just text", "a: 1\n---\nb: 2",
        "%YAML 1.1\n---\na: 1", "a: &x [1]\nb: *x", "<<: {a: 1}\nb: 2", "a:\n\tb: 1", "a: 'it''s'", 'a: "\\u00e9\\n"',
    ]  # fmt: skip
    return documents


@pytest.mark.parametrize("document", _documents())
def test_yaml_the_core_builds_equals_pyyaml_and_the_rest_is_handed_back(document: str) -> None:
    _depth, _keys, _repeats, loaded, value = _core.read_front_matter(document, 1, MAX_NESTING)
    try:
        expected = _pyyaml(document)
    except (yaml.YAMLError, ValueError, TypeError):
        assert not loaded, f"the core built {value!r} where PyYAML fails"
        return
    if not loaded:
        return  # PyYAML reads it, as before the core
    assert isinstance(expected, dict | None)
    wanted = None if expected is None else {str(k): _as_json_data(v) for k, v in expected.items()}
    assert value == wanted
    assert type(value) is type(wanted)
    if isinstance(value, dict):
        assert list(value) == list(wanted or {})  # key order too: output follows it
        for key in value:
            assert type(value[key]) is type(wanted[key]), key  # 1 is not 1.0 is not True


def test_the_core_builds_the_common_documents_itself() -> None:
    """Handing everything back would pass the test above and keep PyYAML's cost."""
    built = [document for document in _documents() if _core.read_front_matter(document, 1, MAX_NESTING)[3]]
    assert len(built) > len(_documents()) // 2


def test_tags_are_never_constructed() -> None:
    card = "---\nx: !!python/object/apply:os.system ['echo unsafe']\n---\n# M\n"
    front_matter = split_front_matter(card)
    assert front_matter.metadata == {}
    assert [p.kind for p in front_matter.problems] == ["invalid-yaml"]


def test_nesting_is_bounded_before_any_parser_recurses() -> None:
    depth = _core.read_front_matter("a: " + "[" * 100_000, 1, MAX_NESTING)[0]
    assert depth == MAX_NESTING + 1
    front_matter = split_front_matter("---\na: " + "[" * 100_000 + "\n---\n")
    assert [p.kind for p in front_matter.problems] == ["too-complex"]


def test_top_level_keys_and_repeats_have_their_lines() -> None:
    front_matter = split_front_matter("---\nlicense: mit\ntags:\n  - a\n'quoted': 1\nlicense: other\n---\n")
    assert front_matter.key_lines == {"license": 2, "tags": 3, "quoted": 5}
    assert [(p.kind, p.line) for p in front_matter.problems] == [("duplicate-key", 6)]


def test_blocks_carry_lines_and_character_offsets_past_non_ascii_text() -> None:
    text = "---\nx: 1\n---\n# Título\n\nÜber das Modell: 模型.\n\n<h2>Risks &amp; limits</h2>\n"
    body = parse_body(text, text.index("# Título"), 4)
    headings = [(b.text, b.line) for b in body.blocks if b.kind == "heading"]
    assert headings == [("Título", 4), ("Risks & limits", 8)]
    paragraph = next(b for b in body.blocks if b.kind == "paragraph")
    assert text[paragraph.start :].startswith("Über das Modell")


def _entity_samples() -> list[str]:
    """Every entity name, cut and run on; numbers around every boundary the standard draws; and
    the malformed shapes (no digits, no name, a name over 32 characters)."""
    names = sorted(html.entities.html5)
    samples = [f"&{name}" for name in names]
    samples += [f"&{name.rstrip(';')}x;y" for name in names[::7]]
    numbers = [*range(0, 0x110), 0x7F, 0x80, 0x9F, 0xA0, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFDCF, 0xFDD0]
    numbers += [0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF, 0x110000, 10**30]
    for number in numbers:
        samples += [f"a&#{number};b", f"&#{number}b", f"&#x{number:x};", f"&#X{number:X}z"]
    samples += ["&", "&;", "&#", "&#;", "&#x", "&#xg;", "a & b", "&&amp;", "&amp&lt", "&" + "a" * 40 + ";"]
    samples += ["&ampé;", "&éacute;", "&notin", "&notit;", "&le\tx", "&\namp;", "&lt<b>", "&AMP;&Amp;"]
    return samples


def test_html_references_decode_as_pythons_html_unescape_decodes_them() -> None:
    """The core decodes entities in HTML text itself, from tables copied out of Python's
    ``html`` module; Python's decoder is the reference on every entity and code point."""
    samples = _entity_samples()
    assert len(samples) > 2_500
    differ = [s for s in samples if _core.unescape_html(s) != html.unescape(s)]
    assert differ == []
    joined = " ".join(samples)
    assert _core.unescape_html(joined) == html.unescape(joined)


def test_html_text_is_decoded_then_blank_runs_collapsed_and_empty_blocks_dropped() -> None:
    text = "# M\n\n<p>Caf&eacute;&nbsp;&nbsp;&amp; bar&#9;\tbaz</p>\n\n<div>&#8203;&nbsp;</div>\n\n<h2>&nbsp;</h2>\n"
    body = parse_body(text, 0, 1)
    assert [(b.kind, b.text) for b in body.blocks] == [
        ("heading", "M"),
        ("html", html.unescape("Café\xa0\xa0& bar baz")),
        ("html", "\u200b"),
        ("heading", ""),
    ]


TITLES = [
    "Bias, Risks, and Limitations [optional]",
    "**Intended uses:** and `limits`",
    "Out-of-Scope\u00a0Use\u2003 __now__",
    "İstanbul ΣΑΣ Straße",
    "[OPTIONAL] Safety\x1c\x1dtesting ##",
    "  :*: ",
    "Évaluation\tdes\n risques",
    "Known\u2011issues\u200b and\u00adcaveats",
]

#: What the core folds in a title before normalising it, as it folds the prose.
_FOLDED = {0x2010: "-", 0x2011: "-", 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0xAD: None}


@pytest.mark.parametrize("title", TITLES)
def test_section_titles_are_normalised_as_python_normalises_them(title: str) -> None:
    """The core normalises titles; Python's regex is the reference it must equal."""
    text = f"# Card\n\n<h2>{html.escape(title)}</h2>\n\nText.\n"
    section = parse_body(text, 0, 1).sections[1]
    expected = re.sub(r"\[optional\]|[*_`#:]+|\s+", " ", section.heading.text.lower().translate(_FOLDED)).strip()
    assert section.title == expected


def test_sections_nest_by_heading_level() -> None:
    text = "# A\n\nx\n\n## B\n\ny\n\n### C\n\nz\n\n## D\n\nw\n\n# E\n"
    body = parse_body(text, 0, 1)
    spans = [(s.heading.text, s.index, s.own_end, s.subtree_end) for s in body.sections]
    assert spans == [("A", 0, 2, 8), ("B", 2, 4, 6), ("C", 4, 6, 6), ("D", 6, 8, 8), ("E", 8, 9, 9)]


def test_a_pattern_the_core_cannot_compile_is_an_error_not_a_crash() -> None:
    matcher = _core.Matcher(["(unclosed"])
    with pytest.raises(ValueError, match="unclosed"):
        matcher.check(0)
    with pytest.raises(ValueError):
        matcher.find("text", [0], [0], [0])


def test_reading_cards_in_one_call_gives_what_the_steps_give_one_by_one() -> None:
    """``Evidencer.read_many`` (bodies, prose and verdicts with the GIL released once) must agree
    with ``parse_body``, ``prose`` and ``verdict`` called in turn, give only the verdicts asked
    for, and read a card written in HTML with entities in the same pass as any other."""
    from g7lint.api import resolve_policy
    from g7lint.policy.loader import compile_policy

    compiled = compile_policy(resolve_policy(None))
    evidencer = compiled.evidencer
    cards = [path.read_text(encoding="utf-8") for path in sorted(CORPUS_CARDS.glob("*.md"))]
    assert len(cards) >= 5
    everything = [item.index for item in compiled.requirements]
    fronts = [split_front_matter(text) for text in cards]
    read = evidencer.read_many(
        [(text, f.body_offset, f.body_first_line, everything) for text, f in zip(cards, fronts, strict=True)], 20_000
    )
    for text, front, (body, prose, verdicts) in zip(cards, fronts, read, strict=True):
        stepwise = parse_body(text, front.body_offset, front.body_first_line)
        assert body.blocks() == stepwise.core.blocks()
        assert prose is not None and verdicts is not None
        alone = evidencer.prose(text, stepwise.core)
        assert prose.joined() == alone.joined()
        assert verdicts == [alone.verdict(r) for r in everything]
    some = everything[::3]
    entity = "# Model\n\n<p>Caf&eacute; reviews, sorted by mood.</p>\n"
    (_, _, asked), (_, _, none_asked), (entity_body, entity_prose, entity_verdicts) = evidencer.read_many(
        [
            (cards[0], fronts[0].body_offset, fronts[0].body_first_line, some),
            (cards[0], fronts[0].body_offset, fronts[0].body_first_line, []),
            (entity, 0, 1, everything),
        ],
        20_000,
    )
    assert asked == read[0][2][::3] and len(asked) == len(some)
    assert none_asked == []
    assert entity_prose is not None and entity_verdicts is not None and len(entity_verdicts) == len(everything)
    assert [text for _, text, *_ in entity_body.blocks()] == ["Model", "Café reviews, sorted by mood."]
