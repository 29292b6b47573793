"""The card's prose, with unfilled-template text taken out, ready to search.

Built once per card and shared by every requirement check, so the body is
cleaned and joined once, not once per rule.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import re2

from g7lint.parsing.card import Card
from g7lint.parsing.markdown import CODE, HEADING, PROSE_KINDS, Section
from g7lint.policy.loader import CompiledPolicy

_SEPARATOR = "\n\n"
_WORD = re.compile(r"[^\W_]{2,}|\d")
_LABEL_ONLY = re2.compile(r"^[|\s]*[^.!?:|]{1,60}[:|\s]*$")  # RE2: no backtracking on '| | | ...


@dataclass(slots=True)
class Prose:
    card: Card
    cleaned: list[str]  # per block: text with placeholders removed ("" for code and headings)
    joined: str  # prose blocks' cleaned text, joined by blank lines
    joined_starts: list[int]  # offset in ``joined`` of each prose block
    joined_blocks: list[int]  # body block index of each prose block
    section_of_block: list[int]  # index into sections of the heading a block sits under, -1 before any
    hits: dict[int, list[list[int]]] | None  # per pattern and literal set, offsets in ``joined``
    always: frozenset[int]  # patterns with no literal to look for: they scan everything
    relevant_sections: list[Section]  # sections whose heading some requirement looks for

    def search_ranges(self, pattern_id: int) -> list[tuple[int, int]] | None:
        """Where in ``joined`` a pattern may match: the prose blocks holding a
        literal of each of its literal sets, as (start, end) in ascending order;
        [] when it cannot match; None when it must scan everything."""
        if self.hits is None or pattern_id in self.always:
            return None
        per_set = self.hits.get(pattern_id)
        if not per_set:
            return []
        starts = self.joined_starts
        ranges: list[tuple[int, int]] = []
        for position in sorted(_blocks_holding_all(per_set, starts)):
            end = starts[position + 1] if position + 1 < len(starts) else len(self.joined)
            ranges.append((starts[position], end))
        return ranges

    def block_at(self, offset: int) -> int:
        """Body block index of the prose block holding ``offset`` of ``joined``."""
        return self.joined_blocks[bisect.bisect_right(self.joined_starts, offset) - 1]

    def section_text(self, section: Section, include_code: bool = False) -> str:
        """The cleaned prose under ``section``, subsections included (and code blocks, if asked)."""
        blocks = self.card.body.blocks
        parts = []
        for index in range(section.index + 1, section.subtree_end):
            text = self.cleaned[index] or (blocks[index].text if include_code and blocks[index].kind == CODE else "")
            if text:
                parts.append(text)
        return "\n".join(parts)


def _remove_placeholders(texts: list[str], compiled: CompiledPolicy) -> None:
    """Take unfilled-template text out of ``texts`` in place.

    One Aho-Corasick pass over all blocks' text (where links and markup are
    already gone) finds which placeholder patterns could occur in which
    blocks; only those blocks are rewritten, and only with those patterns.
    """
    raw = "\n".join(texts)
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    prefilter = compiled.placeholder_prefilter
    hits = prefilter.hits(raw)
    per_block: dict[int, set[int]] = {}
    if hits is None:  # offsets unusable: try every placeholder on every block
        everywhere = set(compiled.placeholder_ids)
        per_block = {index: everywhere for index, text in enumerate(texts) if text}
    else:
        for pattern_id, per_set in hits.items():
            for block in _blocks_holding_all(per_set, starts):
                per_block.setdefault(block, set()).add(pattern_id)
        if prefilter.always:
            for index, text in enumerate(texts):
                if text:
                    per_block.setdefault(index, set()).update(prefilter.always)
    for index, pattern_ids in per_block.items():
        original = texts[index]
        stripped = original
        for pattern_id in sorted(pattern_ids):  # policy order: earlier placeholders first
            stripped = compiled.patterns[pattern_id].sub(" ", stripped)
        stripped = stripped.strip()
        if stripped != original and (not _WORD.search(stripped) or _LABEL_ONLY.match(stripped)):
            # What is left is punctuation or a label whose value was a
            # placeholder: "License: [More Information Needed]".
            stripped = ""
        texts[index] = stripped


def _blocks_holding_all(per_set: list[list[int]], starts: list[int]) -> set[int]:
    """Blocks (by their start offsets) holding a literal of every set; offsets are literal ends."""
    blocks: set[int] | None = None
    for offsets in per_set:
        holding = {bisect.bisect_right(starts, offset - 1) - 1 for offset in offsets}
        blocks = holding if blocks is None else blocks & holding
    return blocks or set()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def build_prose(card: Card, compiled: CompiledPolicy) -> Prose:
    blocks = card.body.blocks
    cleaned = ["" if block.kind == HEADING or block.kind == CODE else block.text for block in blocks]
    _remove_placeholders(cleaned, compiled)
    joined_parts: list[str] = []
    joined_starts: list[int] = []
    joined_blocks: list[int] = []
    position = 0
    for index, block in enumerate(blocks):
        text = cleaned[index]
        if text and block.kind in PROSE_KINDS:
            joined_starts.append(position)
            joined_blocks.append(index)
            joined_parts.append(text)
            position += len(text) + len(_SEPARATOR)
    joined = _SEPARATOR.join(joined_parts)
    section_of_block = [-1] * len(blocks)
    for number, section in enumerate(card.body.sections):
        for index in range(section.index, section.own_end):
            section_of_block[index] = number
    return Prose(
        card,
        cleaned,
        joined,
        joined_starts,
        joined_blocks,
        section_of_block,
        compiled.prefilter.hits(joined),
        compiled.prefilter.always,
        [section for section in card.body.sections if compiled.heading_matches(section.title)],
    )
