"""Read a card's Markdown body into flat blocks and a tree of sections.

The blocks come from the compiled core (``g7lint._core``, Rust): the body is
parsed with pulldown-cmark (CommonMark with GFM tables) — a real CommonMark
parser never sees a heading inside a code fence — and ``<h1>``-``<h6>``
inside HTML blocks become headings too, because many cards are written in
HTML. The core also builds the sections from the headings' levels and keeps
the parsed body, so the evidence search reads it without a copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from g7lint import _core

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


class Body:
    """The parsed body. It lives in the core, where the evidence search reads it; the
    :class:`Block` and :class:`Section` objects are built only when asked for."""

    __slots__ = ("_blocks", "_sections", "core")

    def __init__(self, core: _core.Body) -> None:
        self.core = core
        self._blocks: list[Block] | None = None
        self._sections: list[Section] | None = None

    @property
    def truncated(self) -> bool:
        """More than MAX_BLOCKS blocks: the rest was not read."""
        return self.core.truncated

    @property
    def mentions_directives(self) -> bool:
        """The card's text holds ``g7lint-``, so it may hold a suppression directive."""
        return self.core.mentions_directives

    @property
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            found = self.core.blocks()
            self._blocks = [Block(_KINDS[kind], text, line, start, level) for kind, text, line, start, level in found]
        return self._blocks

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            blocks = self.blocks
            self._sections = [
                Section(blocks[index], index, own_end, subtree_end, title)
                for index, own_end, subtree_end, title in self.core.sections()
            ]
        return self._sections

    def first_heading(self) -> tuple[str, int] | None:
        """The first heading's text and line."""
        return self.core.first_heading()

    def opening(self, count: int, chars: int) -> str:
        """The first ``count`` blocks that are not code, joined, cut to ``chars`` characters."""
        return self.core.opening(count, chars)


def parse_body(card_text: str, body_offset: int, body_first_line: int) -> Body:
    """Parse the Markdown that starts at ``body_offset`` in ``card_text``."""
    return Body(_core.parse_body(card_text, body_offset, body_first_line, MAX_BLOCKS))
