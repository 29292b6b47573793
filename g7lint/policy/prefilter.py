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


def required_literals(pattern: str) -> list[frozenset[str]]:
    """Sets of lower-case literals, each of which every match of ``pattern`` draws one from.

    At most the two most selective sets are returned; an empty list means no
    literal is required (the pattern must always run).
    """
    try:
        parsed = parse_pattern(pattern)
    except (re.error, OverflowError, RecursionError):
        return []
    sets = [frozenset(found) for found in _mandatory(parsed) if found and all(found)]
    sets.sort(key=_strength, reverse=True)
    selective = [found for found in sets if _strength(found) >= _SELECTIVE]
    chosen = selective or sets[:1]
    unique: list[frozenset[str]] = []
    for found in chosen:
        if found not in unique:
            unique.append(found)
    return unique[:2]


def _mandatory(items: Iterable[Any]) -> list[set[str]]:
    """Every literal set that a match of this sequence must draw from."""
    sets: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            sets.append({"".join(run).lower()})
            run = []
        if op is _SUBPATTERN:
            sets.extend(_mandatory(av[-1]))
        elif op is _BRANCH:
            alternatives = [_best(_mandatory(branch)) for branch in av[1]]
            if all(alternatives):
                sets.append(set().union(*alternatives))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            sets.extend(_mandatory(av[2]))
        elif _ATOMIC is not None and op is _ATOMIC:
            sets.extend(_mandatory(av))
    if run:
        sets.append({"".join(run).lower()})
    return sets


def _best(sets: list[set[str]]) -> set[str] | None:
    usable = [found for found in sets if found and all(found)]
    return max(usable, key=_strength) if usable else None


#: Literal sets whose shortest member is shorter than this occur too often to help.
_SELECTIVE = 3


def _strength(literals: Iterable[str]) -> int:
    """Prefer sets whose shortest literal is longest: they occur least by chance."""
    return min(len(literal) for literal in literals)


class Prefilter:
    """Which of a list of patterns may match a given text, and where."""

    def __init__(self, patterns: dict[int, str], run_everywhere: frozenset[int] = frozenset()) -> None:
        """``patterns`` maps the caller's pattern ids to pattern sources; ids in ``run_everywhere`` skip the filter."""
        always: set[int] = set(run_everywhere)
        by_literal: dict[str, list[tuple[int, int]]] = {}
        self._set_counts: dict[int, int] = {}
        for index, pattern in patterns.items():
            if index in always:
                continue
            literal_sets = required_literals(pattern)
            if not literal_sets:
                always.add(index)
                continue
            self._set_counts[index] = len(literal_sets)
            for set_number, literals in enumerate(literal_sets):
                for literal in literals:
                    by_literal.setdefault(literal, []).append((index, set_number))
        self.always = frozenset(always)
        self._automaton: Any = None
        # The automaton reports a literal's number; what it stands for is looked up
        # once per literal found, not once per occurrence.
        self._keys_of: list[tuple[tuple[int, int], ...]] = []
        if by_literal:
            automaton = ahocorasick.Automaton()
            for literal, keys in by_literal.items():
                automaton.add_word(literal, len(self._keys_of))
                self._keys_of.append(tuple(keys))
            automaton.make_automaton()
            self._automaton = automaton

    def _scan(self, lowered: str) -> dict[int, list[list[int]]]:
        """Per pattern, per literal set, the end offsets of its literals in ``lowered``."""
        found: dict[int, list[list[int]]] = {}
        if self._automaton is None:
            return found
        ends_of: dict[int, list[int]] = {}
        for end, literal in self._automaton.iter(lowered):
            ends = ends_of.get(literal)
            if ends is None:
                ends_of[literal] = [end]
            else:
                ends.append(end)
        counts = self._set_counts
        keys_of = self._keys_of
        for literal, ends in ends_of.items():
            for index, set_number in keys_of[literal]:
                per_set = found.get(index)
                if per_set is None:
                    per_set = found[index] = [[] for _ in range(counts[index])]
                per_set[set_number].extend(ends)
        return {index: per_set for index, per_set in found.items() if all(per_set)}

    def hits(self, text: str) -> dict[int, list[list[int]]] | None:
        """For each pattern that may match ``text``: per literal set, the offsets
        where its literals end. None when offsets cannot be trusted
        (lower-casing changed the text's length): every pattern must then scan
        the whole text. Patterns with no literal are absent: they run everywhere.
        """
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        return self._scan(lowered)

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match ``text`` (any case)."""
        return set(self.always) | set(self._scan(text.lower()))
