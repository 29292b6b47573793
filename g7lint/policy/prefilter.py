"""Skip the regular expressions that cannot match a card, cheaply.

A policy has a few hundred patterns; running each over every card is what
made linting slow (Python's ``re`` tries every alternative at every
position). Most patterns cannot match without some literal word in the text
("red-team", "watermark", "licensed under"...). This module works out, from
each pattern's parse tree, a set of literals one of which every match must
contain, and finds which of them occur in a card with one Aho-Corasick pass
(pyahocorasick). Only the patterns whose literals occur are run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import ahocorasick

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_REPEATS.update({getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)})
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)


@lru_cache(maxsize=8192)
def parse_pattern(pattern: str) -> Any:
    """The parse tree of ``pattern`` (raises ``re.error``); shared by validation and the prefilter."""
    return sre_parse.parse(pattern)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case literals one of which every match of ``pattern`` contains.

    None when no such set can be shown (the pattern must always run).
    """
    try:
        parsed = parse_pattern(pattern)
    except re.error:
        return None
    found = _required(parsed)
    return frozenset(found) if found else None


def _required(items: Iterable[Any]) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and all(candidate) and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    for op, av in items:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run).lower()})
            run = []
        if op is _SUBPATTERN:
            consider(_required(av[-1]))
        elif op is _BRANCH:
            alternatives = [_required(branch) for branch in av[1]]
            if all(alternatives):
                consider(set().union(*alternatives))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            consider(_required(av[2]))
        elif _ATOMIC is not None and op is _ATOMIC:
            consider(_required(av))
    if run:
        consider({"".join(run).lower()})
    return best


def _strength(literals: set[str]) -> int:
    """Prefer sets whose shortest literal is longest: they occur least by chance."""
    return min(len(literal) for literal in literals)


class Prefilter:
    """Which of a list of patterns may match a given text."""

    def __init__(self, patterns: dict[int, str]) -> None:
        """``patterns`` maps the caller's pattern ids to pattern sources."""
        always: set[int] = set()
        by_literal: dict[str, list[int]] = {}
        for index, pattern in patterns.items():
            literals = required_literals(pattern)
            if literals is None:
                always.add(index)
                continue
            for literal in literals:
                by_literal.setdefault(literal, []).append(index)
        self.always = frozenset(always)
        self._automaton: Any = None
        if by_literal:
            automaton = ahocorasick.Automaton()
            for literal, indexes in by_literal.items():
                automaton.add_word(literal, tuple(indexes))
            automaton.make_automaton()
            self._automaton = automaton

    def hits(self, text: str) -> dict[int, list[int]] | None:
        """For each pattern that may match ``text``, the offsets where one of its
        literals ends (ascending); None when offsets cannot be trusted (lower-casing
        changed the text's length) and every pattern must scan the whole text.
        Patterns with no literal are absent: callers run them everywhere.
        """
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        found: dict[int, list[int]] = {}
        if self._automaton is not None:
            for end, indexes in self._automaton.iter(lowered):
                for index in indexes:
                    offsets = found.get(index)
                    if offsets is None:
                        found[index] = [end]
                    elif offsets[-1] != end:
                        offsets.append(end)
        return found

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match ``text`` (any case)."""
        found = set(self.always)
        if self._automaton is not None:
            seen: set[tuple[int, ...]] = set()
            for _end, indexes in self._automaton.iter(text.lower()):
                if indexes not in seen:
                    seen.add(indexes)
                    found.update(indexes)
        return found
