"""A bounded, seeded fuzz over real and generated cards: every API and every format.

Mutations splice in what breaks parsers (front-matter fences, HTML comments
and headings, table pipes, code fences, YAML tags, control characters, long
runs) at random places of the shipped example cards and the corpus fixtures.
Nothing may raise but a documented ``G7lintError``, and no card may take more
than a second. A longer run by hand: ``G7LINT_FUZZ_CASES=20000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import g7lint
from g7lint.formats import FORMATS, FormatInput, get_renderer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    *(ROOT / "examples").glob("*.md"),
    *(ROOT / "tests" / "cards" / "corpus").glob("*-*.md"),
]
TOKENS = [
    "---\n",
    "\n---\n",
    "<!--",
    "-->",
    "<!-- g7lint-disable ",
    "<h2>",
    "</h2>",
    "<div>",
    "|",
    " | ",
    "```",
    "\n# ",
    "\n## ",
    "\n===\n",
    "**",
    "[More Information Needed]",
    "{",
    "}",
    "!!python/object:os.system ",
    "&a [*a, *a]",
    "\x1b]0;x\x07",
    "\u202e",
    "\r",
    "\t",
    "\ufeff",
    "é",
    "脱敏",
    "@",
    "license: ",
    "TODO",
    # Characters whose lower case has another length, or that case-fold oddly: the core
    # converts between byte and character offsets around them.
    "İ",
    "Σ",
    "ß",
    "ﬁ",
    "\u212a",
    "ǅ",
    "&amp;",
    "&#x1F600;",
    "&bogus",
    "\u2028",
]
CASES = int(os.environ.get("G7LINT_FUZZ_CASES", "300"))


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        position = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.5:
            text = text[:position] + rng.choice(TOKENS) + text[position:]
        elif choice < 0.7:
            text = text[:position] + rng.choice(TOKENS) * rng.randint(50, 2000) + text[position:]
        elif choice < 0.85:
            end = min(len(text), position + rng.randint(1, 400))
            text = text[:position] + text[end:]
        else:
            end = min(len(text), position + rng.randint(1, 400))
            text = text[:end] + text[position:end] * rng.randint(2, 20) + text[end:]
    return text


def test_fuzzed_cards_never_raise_nor_stall() -> None:
    rng = random.Random(20231030)  # the date the G7 agreed the Code
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS)]
    assert len(seeds) >= 4
    policy = g7lint.load_policy()
    slowest = 0.0
    reports = []
    for case in range(CASES):
        text = _mutate(rng.choice(seeds), rng)
        started = time.perf_counter()
        if case % 3 == 0:
            report = g7lint.lint_bytes(text.encode("utf-8", errors="surrogatepass"), f"case{case}.md", policy=policy)
        else:
            report = g7lint.lint_text(text, f"case{case}.md", policy=policy)
        slowest = max(slowest, time.perf_counter() - started)
        assert {r.id for r in report.requirements} == {r.id for r in policy.requirements}
        reports.append(report)
    assert slowest < 1.0, f"slowest card took {slowest:.2f} s"
    for name in FORMATS:
        output = get_renderer(name)(FormatInput(reports[:60], policy))
        assert output.endswith("\n")


def test_the_verdict_path_agrees_with_the_report_on_fuzzed_cards() -> None:
    """lint_batch's verdicts skip the report; on every mutant they must say what the report says."""
    rng = random.Random(1030)
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS)]
    cards = [_mutate(rng.choice(seeds), rng) for _ in range(CASES)]
    for fail_on in (None, "info", "never"):
        fast = g7lint.lint_batch(cards, fail_on=fail_on)
        full = g7lint.lint_batch(cards, fail_on=fail_on, reports=True)
        assert fast == [g7lint.Verdict.of(report) for report in full]
