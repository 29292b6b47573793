"""Linear time is a property: every pattern, and the lint as a whole, grows with the text and no faster.

Each pattern is pumped with strings built to make a backtracking engine go
quadratic (its own literals repeated, long runs of one character, separators
that almost close a match), at 1 KB, 10 KB and 100 KB. A linear engine takes
about ten times longer for ten times the text; a quadratic one a hundred. The
test compares totals (best of three) so that one slow moment on a busy CI
machine does not decide it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

import g7lint
from g7lint import _core
from g7lint._core import required_literals
from g7lint.policy.loader import compile_policy

POLICY = g7lint.load_policy()
COMPILED = compile_policy(POLICY)
SIZES = (1_000, 10_000, 100_000)
#: Ten times the text may cost at most this many times the time (linear: about 10).
MAX_GROWTH = 30


class _CorePattern:
    """A prose pattern as the compiled core runs it, searched over one block of text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.matcher = _core.Matcher([source])

    def search(self, text: str) -> object:
        return self.matcher.find(text, [0], [0], [0])


def _policy_regexes() -> list[_CorePattern]:
    """Every pattern the policy runs, as the core runs it."""
    prose = [pattern.regex for pattern in POLICY.placeholders]
    for requirement in POLICY.requirements:
        spec = requirement.evidence
        prose += [p.regex for p in (*spec.statements, *spec.ignore_sections, *spec.ignore_context)]
        for section in spec.sections:
            prose += [p.regex for p in (*section.headings, *section.content, *section.exclude_headings)]
    prose += [*POLICY.generative.text, *POLICY.generative.non_generative_text]
    prose += [p.regex for p in POLICY.template_titles]
    return [_CorePattern(source) for source in prose]


def _pumps(regex: _CorePattern, size: int) -> list[str]:
    literals = sorted({literal for group in required_literals(regex.source) for literal in group})[:3] or ["a"]
    pumps = [(literal + " ") * (size // (len(literal) + 1)) + "!" for literal in literals]
    pumps += ["a" * size + "@ x", " " * size + "x", "1." * (size // 2) + "!", "| " * (size // 2) + "1!", "{" * size]
    return pumps


def _best_of_three(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _growth(timings: dict[int, float]) -> list[float]:
    floor = 1e-4  # below this, timer noise is all there is to compare
    return [max(timings[big], floor) / max(timings[small], floor) for small, big in itertools.pairwise(SIZES)]


def test_every_policy_pattern_runs_in_linear_time() -> None:
    regexes = _policy_regexes()
    assert len(regexes) > 150
    inputs = {size: [(regex, text) for regex in regexes for text in _pumps(regex, size)] for size in SIZES}
    timings = {
        size: _best_of_three(lambda pairs=pairs: [regex.search(text) for regex, text in pairs])
        for size, pairs in inputs.items()
    }
    assert all(growth < MAX_GROWTH for growth in _growth(timings)), timings


#: Cards that stalled a lint for seconds to minutes on the backtracking engine (issue 10).
HOSTILE_CARDS: dict[str, Callable[[int], str]] = {
    "e-mail run": lambda n: "# M\n\n" + "a" * n + "@ x\n",
    "repeated cc-by": lambda n: "# M\n\ncc-by" + "-cc-by" * (n // 6) + " licen\n",
    "kWh digits": lambda n: "# M\n\nkwh " + "1." * (n // 2) + "!\n",
    "bias heading": lambda n: "## " + "bias " * (n // 5) + "\n\ntext\n",
    "template title": lambda n: "# " + "{" * n + "\n",
    "front-matter key": lambda n: "---\na" + " " * n + "x\n---\n# M\n",
    "directive openers": lambda n: "# M\n\n" + "<!--g7lint-" * (n // 11) + "\n",
    "unclosed html headings": lambda n: "<div>\n" + "<h1>x" * (n // 5) + "\n</div>\n",
    "label-only placeholder": lambda n: "# M\n\nTODO " + "| " * (n // 2) + "1!\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CARDS))
def test_hostile_card_lints_in_linear_time(name: str) -> None:
    make = HOSTILE_CARDS[name]
    timings = {size: _best_of_three(lambda size=size: g7lint.lint_text(make(size))) for size in SIZES}
    assert all(growth < MAX_GROWTH for growth in _growth(timings)), timings
    assert timings[SIZES[-1]] < 2.0, timings  # 100 KB: well inside a pre-commit run's patience
