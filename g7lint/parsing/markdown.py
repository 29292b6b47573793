"""Read a card's Markdown body into flat blocks and a tree of sections.

The body is parsed with pyromark (pulldown-cmark, CommonMark with GFM
tables). It is the fastest CommonMark parser with source ranges on PyPI —
about 30x markdown-it-py on real cards — and, being a real CommonMark
parser, never sees a heading inside a code fence. ATX and setext headings
come from the parser; ``<h1>``-``<h6>`` inside HTML blocks are found here,
because many cards are written in HTML.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyromark
import re2

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# RE2 (no backreference, so any closing </hN> ends the heading): many unclosed
# <h1> in one HTML block must not make the search quadratic.
_HTML_HEADING = re2.compile(r"(?si)<h([1-6])\b[^>]*>(.*?)</h[1-6]\s*>")
_HTML_TAG = re.compile(r"<[^>]{0,2000}>")
_WHITESPACE = re.compile(r"[ \t]+")
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}
_INLINE_TAGS = frozenset({"Emphasis", "Strikethrough", "Superscript", "Subscript"})
_LEAF_STARTS = frozenset({"Paragraph", "Item", "TableHead", "TableRow", "HtmlBlock"})

# Kinds of block. Prose kinds are where statements are looked for.
HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"
TABLE_ROW = "table-row"
CODE = "code"
HTML_TEXT = "html"
PSEUDO_HEADING_LEVEL = 7

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
_HTML_HEADING_PREFILTER = re.compile(r"<h[1-6]", re.I)


def normalise_title(text: str) -> str:
    return _TITLE_NOISE.sub(" ", text.lower()).strip()


def parse_body(card_text: str, body_offset: int, body_first_line: int) -> Body:
    """Parse the Markdown that starts at ``body_offset`` in ``card_text``."""
    body = card_text[body_offset:]
    builder = _BlockBuilder(body, body_offset, body_first_line)
    truncated = builder.run(MAX_BLOCKS)
    return Body(builder.blocks, _sections(builder.blocks), truncated)


class _BlockBuilder:
    def __init__(self, body: str, body_offset: int, body_first_line: int) -> None:
        self.body = body
        self.ascii = body.isascii()
        self.encoded = body if self.ascii else body.encode("utf-8")
        self.body_offset = body_offset
        self.body_first_line = body_first_line
        newline: Any = "\n" if self.ascii else b"\n"
        self.newlines = _positions(self.encoded, newline)
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._kind = ""
        self._start = 0
        self._level = 0
        self._image_depth = 0
        self._cell = 0
        self._strong_depth = 0
        self._text_outside_strong = False
        self._cursor = (0, 0)  # (byte offset, char offset) of the last block placed
        self._max_blocks = MAX_BLOCKS
        self._capped = False  # stopped inside an HTML block at the block cap

    def _char_offset(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        assert isinstance(self.encoded, bytes)
        # Blocks arrive in document order, so decode only the bytes since the last one.
        last_byte, last_char = self._cursor
        if byte_offset < last_byte:
            last_byte, last_char = 0, 0
        char = last_char + len(self.encoded[last_byte:byte_offset].decode("utf-8", errors="ignore"))
        self._cursor = (byte_offset, char)
        return char

    def _line(self, byte_offset: int) -> int:
        return self.body_first_line + bisect.bisect_right(self.newlines, byte_offset - 1)

    def _open(self, kind: str, start: int, level: int = 0) -> None:
        self._flush()
        self._kind, self._start, self._level = kind, start, level
        self._cell = 0
        self._text_outside_strong = False
        if kind == TABLE_ROW:
            self._parts.append("| ")

    def _flush(self) -> None:
        if not self._kind:
            return
        text = "".join(self._parts)
        if self._kind == TABLE_ROW:
            text += " |"
        if self._kind != CODE:
            if "  " in text or "\t" in text:
                text = _WHITESPACE.sub(" ", text)
            text = text.strip()
        if self._kind == PARAGRAPH and not self._text_outside_strong and _is_pseudo_heading(text):
            # A paragraph that is only bold text ("**Training Data**") works as a
            # heading in many cards; level 7 ranks it below every real heading.
            self._kind, self._level = HEADING, PSEUDO_HEADING_LEVEL
        if text or self._kind == HEADING:
            self.blocks.append(
                Block(
                    self._kind,
                    text,
                    self._line(self._start),
                    self.body_offset + self._char_offset(self._start),
                    self._level,
                )
            )
        self._parts.clear()
        self._kind = ""

    def run(self, max_blocks: int) -> bool:
        """Build the blocks; return True if reading stopped at ``max_blocks``."""
        self._max_blocks = max_blocks
        parts = self._parts
        blocks = self.blocks
        # pyromark types events as TypedDicts; the loop reads them as plain mappings.
        events: Iterable[tuple[Any, Any]] = pyromark.events_with_range(self.body, options=_OPTIONS)
        for event, span in events:
            if event.__class__ is str:  # SoftBreak, HardBreak, Rule
                if event != "Rule":
                    parts.append("\n")
                continue
            ((key, value),) = event.items()
            if key == "Text":
                if not self._image_depth:
                    if not self._kind:
                        self._open(PARAGRAPH, span["start"])
                    parts.append(value)
                    if not self._strong_depth and not value.isspace():
                        self._text_outside_strong = True
            elif key == "End":
                if value.__class__ is str and value in _INLINE_TAGS:
                    continue  # emphasis and the like end nothing that matters here
                if value == "Strong":
                    self._strong_depth -= 1
                    continue
                self._end_tag(value)
            elif key == "Start":
                if value.__class__ is str and value in _INLINE_TAGS:
                    continue
                if value == "Strong":
                    self._strong_depth += 1
                    continue
                if len(blocks) >= max_blocks or self._capped:
                    return True
                self._start_tag(value, span["start"])
            elif key == "Code":
                parts.append(value)
                self._text_outside_strong = True
            elif key == "Html":
                if not self._kind:
                    self._open(HTML_TEXT, span["start"])
                parts.append(value)
            elif key == "InlineHtml":
                lowered = value.lower()
                if lowered.startswith(("<br", "</p", "<p", "</div", "<div", "</li", "<li", "</td", "<td")):
                    parts.append(" ")
        self._flush()
        return self._capped

    def _start_tag(self, tag: Any, start: int) -> None:
        if isinstance(tag, str):
            if tag in _LEAF_STARTS:
                kind = {"Paragraph": PARAGRAPH, "Item": ITEM, "HtmlBlock": HTML_TEXT}.get(tag, TABLE_ROW)
                if tag == "Paragraph" and self._kind == ITEM and not self._parts:
                    self._kind = ITEM  # a loose list item keeps its kind
                    return
                self._open(kind, start)
            elif tag == "TableCell":
                if self._cell:
                    self._parts.append(" | ")
                self._cell += 1
            return
        name, value = next(iter(tag.items()))
        if name == "Heading":
            self._open(HEADING, start, _LEVELS.get(value["level"], 1))
        elif name == "CodeBlock":
            self._open(CODE, start)
        elif name == "Image":
            self._image_depth += 1

    def _end_tag(self, tag: Any) -> None:
        if tag == "Image":
            self._image_depth -= 1
            return
        if tag == "HtmlBlock" and self._kind == HTML_TEXT:
            self._finish_html_block()
            return
        if isinstance(tag, dict):
            name = next(iter(tag))
            if name in ("Heading", "CodeBlock"):
                self._flush()
        elif tag in ("Paragraph", "Item", "TableHead", "TableRow"):
            self._flush()
        elif tag == "CodeBlock":
            self._flush()

    def _finish_html_block(self) -> None:
        raw = "".join(self._parts)
        self._parts.clear()
        start = self._start
        self._kind = ""
        raw = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), raw)
        if _HTML_HEADING_PREFILTER.search(raw):
            position = 0
            for match in _HTML_HEADING.finditer(raw):
                if len(self.blocks) >= self._max_blocks:  # one HTML block may hold any number of headings
                    self._capped = True
                    return
                self._html_text(raw[position : match.start()], start, raw, position)
                self._emit_html(HEADING, match.group(2), start, raw, match.start(), int(match.group(1)))
                position = match.end()
            raw_rest = raw[position:]
            self._html_text(raw_rest, start, raw, position)
        else:
            self._html_text(raw, start, raw, 0)

    def _html_text(self, fragment: str, start: int, raw: str, position: int) -> None:
        if fragment.strip():
            self._emit_html(HTML_TEXT, fragment, start, raw, position)

    def _emit_html(self, kind: str, fragment: str, start: int, raw: str, position: int, level: int = 0) -> None:
        text = html.unescape(_HTML_TAG.sub(" ", fragment))
        text = _WHITESPACE.sub(" ", text).strip()
        if not text and kind != HEADING:
            return
        prefix = raw[:position]
        lead = len(prefix.encode("utf-8")) if not self.ascii else len(prefix)
        # Point at the first non-blank line of the fragment.
        stripped = fragment.lstrip()
        skipped = fragment[: len(fragment) - len(stripped)]
        lead += len(skipped.encode("utf-8")) if not self.ascii else len(skipped)
        offset = start + lead
        self.blocks.append(Block(kind, text, self._line(offset), self.body_offset + self._char_offset(offset), level))


def _is_pseudo_heading(text: str) -> bool:
    return 0 < len(text) <= 80 and "\n" not in text and not text.endswith((".", "!", "?", ","))


def _positions(data: Any, needle: Any) -> list[int]:
    out: list[int] = []
    find = data.find
    position = find(needle)
    while position != -1:
        out.append(position)
        position = find(needle, position + 1)
    return out


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
