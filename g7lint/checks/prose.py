"""The card's prose handed to the core once, for every requirement's evidence search.

The core (``g7lint._core``) takes unfilled-template text out of the blocks,
joins the prose, scans it once for every statement pattern's literals and
matches the section headings; each requirement then asks it for evidence.
"""

from __future__ import annotations

from g7lint import _core
from g7lint.parsing.card import Card
from g7lint.parsing.markdown import CODE, HEADING, HTML_TEXT, ITEM, PARAGRAPH, TABLE_ROW
from g7lint.policy.loader import CompiledPolicy

_KIND_NUMBERS = {HEADING: 0, PARAGRAPH: 1, ITEM: 2, TABLE_ROW: 3, CODE: 4, HTML_TEXT: 5}  # the core's numbering


def build_prose(card: Card, compiled: CompiledPolicy) -> _core.CardProse:
    body = card.body
    blocks = [(_KIND_NUMBERS[block.kind], block.text, block.line, block.start) for block in body.blocks]
    sections = [(section.index, section.own_end, section.subtree_end, section.title) for section in body.sections]
    return compiled.evidencer.prose(card.text, blocks, sections)
