"""Cards per second for a whole corpus, linted in one process on one core.

    python benchmarks/throughput.py --corpus ../shared/corpus [--repeat 5]

Reads every ``*.md`` under the corpus into memory first, so the figure is
g7lint's parsing and evaluation, not the disk. Also times the two stages
(parse, evaluate) separately, to show where the time goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import g7lint
from g7lint.engine import evaluate
from g7lint.parsing.card import parse_card_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus; the best is reported")
    args = parser.parse_args(argv)
    cards = [(str(p), p.read_bytes()) for p in sorted(args.corpus.rglob("*.md")) if p.name not in ("LABELS.md",)]
    policy = g7lint.load_policy()
    evaluate(parse_card_bytes(cards[0][1], cards[0][0]), policy)  # warm caches (compiled patterns, validators)
    megabytes = sum(len(data) for _, data in cards) / 1e6
    best_total = best_parse = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        parsed = [parse_card_bytes(data, name) for name, data in cards]
        middle = time.perf_counter()
        for card in parsed:
            evaluate(card, policy)
        end = time.perf_counter()
        best_parse = min(best_parse, middle - start)
        best_total = min(best_total, end - start)
    print(f"{len(cards)} cards, {megabytes:.1f} MB, best of {args.repeat} passes")
    print(f"total     {len(cards) / best_total:8.0f} cards/s  ({best_total * 1000 / len(cards):.2f} ms/card)")
    print(f"parse     {len(cards) / best_parse:8.0f} cards/s")
    print(f"evaluate  {len(cards) / (best_total - best_parse):8.0f} cards/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
