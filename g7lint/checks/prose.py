"""The card's prose, with unfilled-template text taken out, ready to search.

Built once per card and shared by every requirement check, so the body is
cleaned and joined once, not once per rule.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from g7lint import _core
from g7lint.parsing.card import Card
from g7lint.parsing.markdown import CODE, HEADING, PROSE_KINDS, Section
from g7lint.policy.loader import CompiledPolicy

_SEPARATOR = "\n\n"
_WORD = re.compile(r"[^\W_]{2,}|\d")


@dataclass(slots=True)
class Prose:
    card: Card
    cleaned: list[str]  # per block: text with placeholders removed ("" for code and headings)
    joined: str  # prose blocks' cleaned text, joined by blank lines
    joined_starts: list[int]  # offset in ``joined`` of each prose block
    joined_blocks: list[int]  # body block index of each prose block
    section_of_block: list[int]  # index into sections of the heading a block sits under, -1 before any
    index: _core.ProseIndex  # ``joined`` scanned for every statement pattern's literals
    relevant_sections: list[Section]  # sections whose heading some requirement looks for

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


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def build_prose(card: Card, compiled: CompiledPolicy) -> Prose:
    """Take out placeholders, join the prose, and scan it once for the statements' literals (in the core)."""
    blocks = card.body.blocks
    cleaned = ["" if block.kind == HEADING or block.kind == CODE else block.text for block in blocks]
    # Unfilled-template text goes first: "License: [More Information Needed]" says nothing.
    cleaned = compiled.placeholders.strip(cleaned, list(range(compiled.placeholder_count)))
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
    prose_index = compiled.statements.index(joined, joined_starts)
    return Prose(
        card,
        cleaned,
        joined,
        joined_starts,
        joined_blocks,
        section_of_block,
        prose_index,
        [section for section in card.body.sections if compiled.heading_matches(section.title)],
    )
