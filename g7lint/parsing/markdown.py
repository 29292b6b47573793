"""Read a card's Markdown body into flat blocks and a tree of sections.

The blocks come from the compiled core (``g7lint._core``, Rust): the body is
parsed with pulldown-cmark (CommonMark with GFM tables) — a real CommonMark
parser never sees a heading inside a code fence — and ``<h1>``-``<h6>``
inside HTML blocks become headings too, because many cards are written in
HTML. Sections are built here from the blocks' heading levels.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from g7lint import _core

_WHITESPACE = re.compile(r"[ \t]+")

# Kinds of block. Prose kinds are where statements are looked for.
HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
TABLE_ROW = "table-row"
CODE = "code"
HTML_TEXT = "html"
PSEUDO_HEADING_LEVEL = 7
_KINDS = (HEADING, PARAGRAPH, ITEM, TABLE_ROW, CODE, HTML_TEXT)  # the core's kind numbers

#: Real cards have well under 2,000 blocks; reading stops past this many, which
#: bounds the time spent on a pathological card (100,000 headings).
MAX_BLOCKS = 20_000
PROSE_KINDS = frozenset({PARAGRAPH, ITEM, TABLE_ROW, HTML_TEXT})


@dataclass(slots=True)
class Block:
    """One leaf of the document: a heading, paragraph, list item, table row..."""

    kind: str
    text: str
    line: int  # 1-based line in the card file
    start: int  # character offset of the block in the card text
    level: int = 0  # heading level, 0 for other blocks


@dataclass(slots=True)
class Section:
    """A heading and the blocks under it.

    ``own`` is the range of blocks before the next heading of any level;
    ``subtree`` runs to the next heading of the same or a higher level.
    """

    heading: Block
    index: int  # position of the heading in ``Body.blocks``
    own_end: int
    subtree_end: int
    title: str  # normalised heading text: lower case, "[optional]" and markup removed


@dataclass(slots=True)
class Body:
    blocks: list[Block]
    sections: list[Section]
    truncated: bool = False  # more than MAX_BLOCKS blocks: the rest was not read


_TITLE_NOISE = re.compile(r"\[optional\]|[*_`#:]+|\s+")


def normalise_title(text: str) -> str:
    return _TITLE_NOISE.sub(" ", text.lower()).strip()


def parse_body(card_text: str, body_offset: int, body_first_line: int) -> Body:
    """Parse the Markdown that starts at ``body_offset`` in ``card_text``."""
    found, truncated = _core.parse_blocks(card_text[body_offset:], body_offset, body_first_line, MAX_BLOCKS)
    blocks: list[Block] = []
    for kind_number, text, line, start, level, needs_unescape in found:
        kind = _KINDS[kind_number]
        if needs_unescape:  # HTML text with entities: Python's decoder is the reference
            text = _WHITESPACE.sub(" ", html.unescape(text)).strip()
            if not text and kind != HEADING:
                continue
        blocks.append(Block(kind, text, line, start, level))
    return Body(blocks, _sections(blocks), truncated)


def _sections(blocks: list[Block]) -> list[Section]:
    heading_indexes = [i for i, block in enumerate(blocks) if block.kind == HEADING]
    sections: list[Section] = []
    # Subtree ends: next heading with level <= this one, found with a stack.
    subtree_end = {i: len(blocks) for i in heading_indexes}
    stack: list[int] = []
    for i in heading_indexes:
        level = blocks[i].level
        while stack and blocks[stack[-1]].level >= level:
            subtree_end[stack.pop()] = i
        stack.append(i)
    for position, i in enumerate(heading_indexes):
        own_end = heading_indexes[position + 1] if position + 1 < len(heading_indexes) else len(blocks)
        heading = blocks[i]
        sections.append(Section(heading, i, own_end, subtree_end[i], normalise_title(heading.text)))
    return sections
