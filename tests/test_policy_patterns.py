"""Every pattern of the shipped policy holds to its claim, in a linear-time dialect.

A pattern is a claim about how people write. Each carries a ``why`` and
example sentences, at least two it must find and one near miss it must not;
this module runs every example, so a pattern edited for one card and broken
for the general phrasing fails here. Every pattern must also compile under
RE2, which rejects lookaround and backreferences, and in the compiled core
(the `regex` crate, fed RE2's dialect through core/src/dialect.rs), which runs
the statement and placeholder patterns: each example is checked in all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import re2

from g7lint import _core
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Pattern, Policy

POLICY = load_policy()


def documented_patterns(policy: Policy) -> Iterator[tuple[str, Pattern]]:
    """Every evidence, placeholder, pointer and template-title pattern, with where it stands."""
    for index, pattern in enumerate(policy.placeholders):
        yield f"placeholders[{index}]", pattern
    for index, pattern in enumerate(policy.pointers):
        yield f"pointers[{index}]", pattern
    for index, pattern in enumerate(policy.template_titles):
        yield f"template-titles[{index}]", pattern
    for requirement in policy.requirements:
        spec = requirement.evidence
        for number, section in enumerate(spec.sections):
            in_section = {"headings": section.headings, "content": section.content}
            in_section["exclude-headings"] = section.exclude_headings
            for kind, patterns in in_section.items():
                for index, pattern in enumerate(patterns):
                    yield f"{requirement.id}.sections[{number}].{kind}[{index}]", pattern
        anywhere = {"statements": spec.statements, "ignore-sections": spec.ignore_sections}
        anywhere["ignore-context"] = spec.ignore_context
        for kind, patterns in anywhere.items():
            for index, pattern in enumerate(patterns):
                yield f"{requirement.id}.{kind}[{index}]", pattern


PATTERNS = dict(documented_patterns(POLICY))
ALL_REGEXES = [pattern.regex for pattern in PATTERNS.values()] + [
    *POLICY.generative.text,
    *POLICY.generative.non_generative_text,
]


def _re2(regex: str) -> re2._Regexp:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    return re2.compile(regex, options)


def _core_finds(regex: str, sentence: str) -> bool:
    return bool(_core.Matcher([regex]).find(sentence, [0], [0], [0]))


def test_the_policy_has_documented_patterns() -> None:
    assert len(PATTERNS) > 100  # the walk above found them all, not none


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_pattern_says_why_and_has_examples(where: str) -> None:
    pattern = PATTERNS[where]
    assert pattern.why.strip() and "TODO" not in pattern.why, f"{where}: no 'why'"
    assert len(pattern.matches) >= 2, f"{where}: needs two sentences it must match"
    assert len(pattern.near_misses) >= 1, f"{where}: needs a near miss it must not match"


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_pattern_finds_its_examples_and_not_its_near_misses(where: str) -> None:
    pattern = PATTERNS[where]
    compiled = re.compile(pattern.regex, re.IGNORECASE)
    linear = _re2(pattern.regex)
    for sentence in pattern.matches:
        assert compiled.search(sentence), f"{where} does not match {sentence!r}"
        assert linear.search(sentence), f"{where} does not match {sentence!r} under RE2"
        assert _core_finds(pattern.regex, sentence), f"{where} does not match {sentence!r} in the core"
    for sentence in pattern.near_misses:
        found = compiled.search(sentence)
        assert not found, f"{where} matches its near miss {sentence!r} at {found.group(0)!r}"
        assert not _core_finds(pattern.regex, sentence), f"{where} matches its near miss {sentence!r} in the core"


@pytest.mark.parametrize("regex", ALL_REGEXES)
def test_pattern_is_in_a_linear_time_dialect(regex: str) -> None:
    try:
        _re2(regex)
    except re2.error as exc:
        pytest.fail(f"{regex!r} is not accepted by RE2 (no lookaround or backreferences): {exc}")


def test_examples_of_different_patterns_are_not_one_sentence_copied() -> None:
    """Examples are written per claim; one sentence reused everywhere tests nothing."""
    seen: dict[str, str] = {}
    for where, pattern in PATTERNS.items():
        for sentence in pattern.matches:
            key = sentence.lower()
            requirement = where.split(".")[0]
            if key in seen and seen[key].split(".")[0] == requirement:
                pytest.fail(f"{where} and {seen[key]} share the example {sentence!r}")
            seen.setdefault(key, where)
