"""The card's prose handed to the core once, for every requirement's evidence search.

The core (``g7lint._core``) takes unfilled-template text out of the blocks,
joins the prose, scans it once for every statement pattern's literals and
matches the section headings; each requirement then asks it for evidence.
"""

from __future__ import annotations

from g7lint import _core
from g7lint.parsing.card import Card
from g7lint.policy.loader import CompiledPolicy


def build_prose(card: Card, compiled: CompiledPolicy) -> _core.CardProse:
    return compiled.evidencer.prose(card.text, card.body.core)
