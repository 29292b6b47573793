"""The literals a pattern cannot match without, read from its parse tree.

Most policy patterns cannot match without some literal word in the text
("red-team", "watermark", "licensed under"...). This module works out, from
each pattern's parse tree, sets of literals one of each of which every match
must contain. The compiled core finds them all in a card with one
Aho-Corasick pass and runs a pattern only on the blocks that hold them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

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
