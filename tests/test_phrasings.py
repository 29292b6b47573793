"""Whole cards in the project's own words, each stating one requirement the way cards do,
or only touching its topic.

Each pattern's own examples are tested one by one (test_policy_patterns.py); these run the
whole engine, so headings, placeholders, ignored contexts and every pattern of a
requirement meet. The cards live in ``tests/phrasings/<requirement>.yaml``, one file per
requirement as in the policy: ``states`` (sentences that must pass it), ``sections``
(headed sections that must pass it) and ``touches`` (sentences that only touch its topic
and must not). None is taken from a corpus card: they were written here, from the ways
frontier-lab and community cards word these things (in English and in Chinese, and in
table rows and bullets), to find what the policy misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import g7lint

FRONT = "---\nlicense: mit\npipeline_tag: text-generation\n---\n# Model\n\n"

PHRASINGS = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((Path(__file__).parent / "phrasings").glob("*.yaml"))
}


def _cases(kind: str) -> list[tuple[str, str]]:
    return [(requirement, text) for requirement, kinds in PHRASINGS.items() for text in kinds.get(kind, [])]


def test_every_file_names_a_requirement_of_the_policy_and_holds_only_known_kinds() -> None:
    policy = g7lint.load_policy()
    known = {requirement.id for requirement in policy.requirements}
    assert PHRASINGS and set(PHRASINGS) <= known
    assert all(set(kinds) <= {"states", "sections", "touches"} for kinds in PHRASINGS.values())


@pytest.mark.parametrize(("requirement", "sentence"), _cases("states"))
def test_a_sentence_stating_the_requirement_passes_it(requirement: str, sentence: str) -> None:
    report = g7lint.lint_text(FRONT + sentence + "\n")
    assert report.requirement(requirement).status == "pass"


@pytest.mark.parametrize(("requirement", "section"), _cases("sections"))
def test_a_section_stating_the_requirement_passes_it(requirement: str, section: str) -> None:
    front = FRONT.replace("text-generation", "text-to-image")
    assert g7lint.lint_text(front + section).requirement(requirement).status == "pass"


def test_the_same_card_without_the_statement_fails_them() -> None:
    """The passes above come from the statements, not from the card around them."""
    report = g7lint.lint_text(FRONT + "A model.\n")
    stated = {requirement for requirement, kinds in PHRASINGS.items() if kinds.get("states") or kinds.get("sections")}
    assert all(report.requirement(r).status == "fail" for r in stated if r != "license")


@pytest.mark.parametrize(("requirement", "sentence"), _cases("touches"))
def test_a_sentence_only_touching_the_topic_does_not_pass_it(requirement: str, sentence: str) -> None:
    front = FRONT.replace("license: mit\n", "").replace("text-generation", "text-to-image")
    assert g7lint.lint_text(front + sentence + "\n").requirement(requirement).status == "fail"
