"""Where a card's time goes on ``lint_batch``'s verdicts path, stage by stage, on one thread.

    python benchmarks/stages.py --corpus ../shared/corpus [--repeat 5]

Runs the real ``g7lint.lint_batch(threads=1)`` with each stage it calls wrapped
in a timer (decoding, front matter, choosing the requirements to judge, the
core's read of a chunk, assembling the card, the Python verdict), then splits
the core's read into its three steps by calling them one at a time on the
same cards (body, prose, verdicts; each a separate call, so slightly more
than inside one read). The wrappers cost well under a microsecond a call;
the split is for finding where to work next, not a figure to quote.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import g7lint
import g7lint.batch as batch
from g7lint.api import resolve_policy
from g7lint.checks.requirements import settled_by_metadata
from g7lint.parsing.frontmatter import split_front_matter
from g7lint.parsing.markdown import MAX_BLOCKS
from g7lint.parsing.source import decode_card_bytes
from g7lint.policy.loader import compile_policy

spent: defaultdict[str, float] = defaultdict(float)


def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - start

    return run


class _TimedEvidencer:
    """The compiled policy's evidencer with ``read_many`` timed; the rest passed through."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.read_many = timed("core: read a chunk", inner.read_many)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _TimedPolicy:
    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.evidencer = _TimedEvidencer(inner.evidencer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def stage_split(texts: list[bytes], repeat: int) -> dict[str, float]:
    """Seconds per card for each stage, the best of ``repeat`` passes (by total)."""
    wrapped = {
        "decode_card_bytes": "decode",
        "split_front_matter": "front matter",
        "settled_by_metadata": "choose requirements",
        "assemble_card": "assemble card",
        "Body": "assemble card",
        "judge": "verdict (Python)",
    }
    originals = {name: getattr(batch, name) for name in wrapped}
    original_compile = batch.compile_policy
    best: dict[str, float] = {}
    try:
        for name, stage in wrapped.items():
            setattr(batch, name, timed(stage, originals[name]))
        batch.compile_policy = lambda policy, **kw: _TimedPolicy(original_compile(policy, **kw))  # type: ignore[assignment]
        g7lint.lint_batch(texts, threads=1)  # warm up: policy, caches
        for _ in range(repeat):
            spent.clear()
            start = time.perf_counter()
            g7lint.lint_batch(texts, threads=1)
            whole = time.perf_counter() - start
            split = {stage: seconds / len(texts) for stage, seconds in spent.items()}
            split["rest of lint_batch"] = whole / len(texts) - sum(split.values())
            if not best or sum(split.values()) < sum(best.values()):
                best = split
    finally:
        for name, function in originals.items():
            setattr(batch, name, function)
        batch.compile_policy = original_compile
    return best


def core_split(texts: list[bytes], repeat: int) -> dict[str, float]:
    """Seconds per card for the core's three steps, called one at a time."""
    policy = resolve_policy(None)
    compiled = compile_policy(policy)
    from g7lint import _core

    cards = []
    for data in texts:
        decoded = decode_card_bytes(data)
        front = split_front_matter(decoded.text)
        wanted = [item.index for item in compiled.requirements if not settled_by_metadata(item, front.metadata)]
        cards.append((decoded.text, front.body_offset, front.body_first_line, wanted))
    best: dict[str, float] = {}
    for _ in range(repeat):
        split: defaultdict[str, float] = defaultdict(float)
        for text, offset, first_line, wanted in cards:
            start = time.perf_counter()
            body = _core.parse_body(text, offset, first_line, MAX_BLOCKS)
            parsed = time.perf_counter()
            prose = compiled.evidencer.prose(text, body)
            read = time.perf_counter()
            for requirement in wanted:
                prose.verdict(requirement)
            judged = time.perf_counter()
            split["body (Markdown to blocks)"] += parsed - start
            split["prose (placeholders, literal scan)"] += read - parsed
            split["verdicts (pattern confirmations)"] += judged - read
        per_card = {step: seconds / len(cards) for step, seconds in split.items()}
        if not best or sum(per_card.values()) < sum(best.values()):
            best = per_card
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="passes; the fastest is reported")
    args = parser.parse_args()
    texts = [path.read_bytes() for path in sorted((args.corpus / "cards").rglob("*.md"))]
    if not texts:
        raise SystemExit(f"no cards under {args.corpus / 'cards'}")
    split = stage_split(texts, args.repeat)
    total = sum(split.values())
    print(f"{len(texts)} cards, lint_batch(threads=1): {total * 1e6:.0f} µs per card ({1 / total:,.0f} cards/s)\n")
    print(f"{'stage':38s} {'µs/card':>8s} {'share':>6s}")
    for stage, seconds in sorted(split.items(), key=lambda item: -item[1]):
        print(f"{stage:38s} {seconds * 1e6:8.1f} {seconds / total:6.1%}")
    print("\nthe core's read, one step at a time:")
    for step, seconds in core_split(texts, args.repeat).items():
        print(f"  {step:36s} {seconds * 1e6:8.1f}")


if __name__ == "__main__":
    main()
