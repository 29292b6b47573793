"""RE2, the linear-time dialect every policy pattern is written in.

Policy patterns are data, a user's or ours, and cards are written by anyone:
on a backtracking engine one unlucky pattern and one hostile 100 KB README
stall a lint (and, holding the GIL, a whole Hub scan) for minutes. RE2 has no
backtracking, so a pattern's cost grows with the text and nothing else; the
price is the dialect (no lookaround, no backreferences), which the policy
keeps and ``tests/test_policy_patterns.py`` enforces. Note that RE2's ``\\b``,
``\\w`` and ``\\d`` are ASCII: non-English words are matched by literals.

The evidence patterns run in the compiled core (the ``regex`` crate, given
RE2's meaning by ``core/src/dialect.rs``); here RE2 checks a user's policy
(its errors name the pattern) and runs the generative-text and
template-title patterns.

google-re2 encodes its subject to UTF-8 on every call, so a search confined
to part of a long text is done on a slice of it (the offsets reported are the
original text's), keeping that cost proportional to the part searched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import re2

from g7lint.errors import PolicyError


class Found(NamedTuple):
    """One match: offsets into the searched text, and the matched text."""

    start: int
    end: int
    text: str


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False  # a bad pattern is reported as a PolicyError, not logged to stderr
    options.max_mem = 64 << 20  # the alternations of a policy's headings fit; a runaway pattern does not
    return options


class Regex:
    """A compiled policy pattern (case-insensitive unless asked otherwise)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, ignore_case: bool = True) -> None:
        """Raises:
        PolicyError: the pattern is not valid, or needs a backtracking engine.
        """
        self.source = source
        try:
            self._compiled = re2.compile(source, _options(ignore_case))
        except re2.error as exc:
            detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
            raise PolicyError(
                f"pattern {source!r} is not accepted by the linear-time engine ({detail}); "
                "lookaround and backreferences are not supported"
            ) from None

    def search(self, text: str) -> Found | None:
        match = self._compiled.search(text)
        return None if match is None else Found(match.start(), match.end(), match.group(0))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Found]:
        """Matches in ``text[start:end]``, with offsets into ``text``."""
        part = text if start == 0 and end is None else text[start:end]
        for match in self._compiled.finditer(part):
            yield Found(match.start() + start, match.end() + start, match.group(0))

    def count(self, text: str) -> int:
        return sum(1 for _ in self._compiled.finditer(text))

    def sub(self, replacement: str, text: str) -> str:
        return str(self._compiled.sub(replacement, text))

    def __repr__(self) -> str:
        return f"Regex({self.source!r})"
