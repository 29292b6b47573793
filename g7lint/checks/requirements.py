"""Find the evidence for one requirement in one card.

The check only reports what it found, and where it looked; the engine turns
that into a status, a severity and findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from g7lint.checks.metadata import describe_value, shorten, validator_for
from g7lint.checks.prose import Prose, word_count
from g7lint.findings import Evidence
from g7lint.parsing.markdown import CODE, HEADING, Section
from g7lint.policy.loader import CompiledPolicy, CompiledRequirement
from g7lint.policy.regex import Found

_MAX_EVIDENCE = 3
_EXCERPT = 100
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Something that looked like evidence but was not, e.g. a placeholder section."""

    line: int
    message: str


@dataclass(slots=True)
class EvidenceSearch:
    evidence: list[Evidence] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    looked_for: str = ""


def find_evidence(compiled: CompiledRequirement, policy: CompiledPolicy, prose: Prose) -> EvidenceSearch:
    spec = compiled.requirement.evidence
    result = EvidenceSearch(looked_for=compiled.looked_for)
    card = prose.card
    metadata = card.metadata
    for item in spec.metadata:
        if item.key not in metadata:
            continue
        value = metadata[item.key]
        if _is_empty(value):
            line = card.front_matter.line_of((item.key,))[0]
            result.near_misses.append(NearMiss(line, f"metadata key '{item.key}' is empty"))
            continue
        if item.json_schema and not validator_for(item.json_schema).is_valid(value):
            continue  # e.g. 'license: mit' is no evidence of a use policy, and no near miss either
        line, column = card.front_matter.line_of((item.key,))
        result.evidence.append(
            Evidence(
                kind="metadata", line=line, column=column, excerpt=describe_value(item.key, value), location=item.key
            )
        )
    for heading_index, section_spec, content_patterns, excluded in zip(
        compiled.section_headings, spec.sections, compiled.section_content, compiled.section_excludes, strict=True
    ):
        if len(result.evidence) >= _MAX_EVIDENCE:
            break
        for section in prose.relevant_sections:
            if heading_index not in policy.heading_matches(section.title):
                continue
            if excluded is not None and excluded.search(section.title):
                continue
            text = prose.section_text(section, section_spec.include_code)
            heading = section.heading
            if word_count(text) < section_spec.min_words:
                what = _why_empty(prose, section)
                result.near_misses.append(
                    NearMiss(heading.line, f"heading '{heading.text}' at line {heading.line} {what}")
                )
                continue
            if not all(pattern.search(text) for pattern in content_patterns):
                result.near_misses.append(
                    NearMiss(
                        heading.line, f"heading '{heading.text}' at line {heading.line} does not say what is asked"
                    )
                )
                continue
            result.evidence.append(
                Evidence(
                    kind="section",
                    line=heading.line,
                    column=1,
                    excerpt=shorten(text, _EXCERPT),
                    location=heading.text,
                )
            )
            break
    if not result.evidence:
        _find_statements(compiled, policy, prose, result)
    return result


def _find_statements(
    compiled: CompiledRequirement, policy: CompiledPolicy, prose: Prose, result: EvidenceSearch
) -> None:
    """Add the earliest statement in the card that any of the requirement's patterns finds
    outside ignored sections and contexts (a tie goes to the pattern listed first)."""
    if not compiled.statement_ids:
        return
    sections = prose.card.body.sections
    found: tuple[Found, int] | None = None
    for start, end, _ in prose.index.matches(compiled.statement_ids, policy.whole_text_ids):
        block_index = prose.block_at(start)
        section_number = prose.section_of_block[block_index]
        if (
            compiled.ignore_sections is not None
            and section_number >= 0
            and compiled.ignore_sections.search(sections[section_number].title)
        ):
            continue
        if compiled.ignore_context is not None and compiled.ignore_context.search(
            _sentence_around(prose.joined, start, end)
        ):
            continue
        found = Found(start, end, prose.joined[start:end]), block_index
        break
    if found is None:
        return
    match, block_index = found
    section_number = prose.section_of_block[block_index]
    excerpt = _sentence_around(prose.joined, match.start, match.end)
    line, column = _locate(prose, block_index, match.text)
    location = sections[section_number].heading.text if section_number >= 0 else "(top of card)"
    result.evidence.append(Evidence(kind="statement", line=line, column=column, excerpt=excerpt, location=location))


def _locate(prose: Prose, block_index: int, matched: str) -> tuple[int, int]:
    """Line and column of ``matched`` in the card file, searching from its block."""
    card = prose.card
    block = card.body.blocks[block_index]
    needle = matched.strip().split("\n", 1)[0][:40].lower()
    window = card.text[block.start : block.start + len(block.text) * 2 + 400].lower()
    found = window.find(needle) if needle else -1
    if found < 0:
        return block.line, 1
    return card.position_of(block.start + found)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(
        text.rfind("\n", 0, start),
        max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)), default=-1),
    )
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    sentence = text[max(left, 0) : right].strip()
    if len(sentence) > _EXCERPT * 2:
        offset = start - max(left, 0)
        sentence = "…" + sentence[max(0, offset - _EXCERPT // 2) : offset + _EXCERPT] + "…"
    return sentence


def _why_empty(prose: Prose, section: Section) -> str:
    kinds = {b.kind for b in prose.card.body.blocks[section.index + 1 : section.subtree_end] if b.text}
    kinds.discard(HEADING)
    if not kinds:
        return "is empty"
    if kinds == {CODE}:
        return "holds only code"
    return "holds only a template placeholder or too little text"


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
