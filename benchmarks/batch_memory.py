"""Memory of one process linting many cards with lint_batch: it must stay flat.

    python benchmarks/batch_memory.py [--cards 100000] [--corpus ../shared/corpus]

Cycles through real cards (the corpus if given, else the shipped examples),
linting them in batches of 1,000 and keeping only the verdicts' pass/fail, and
prints the process's resident memory every 10,000 cards.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import g7lint

ROOT = Path(__file__).resolve().parent.parent


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args(argv)
    files = sorted(args.corpus.rglob("*.md")) if args.corpus else sorted((ROOT / "examples").glob("*.md"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files if p.name != "LABELS.md"]
    passed = done = 0
    start = time.perf_counter()
    while done < args.cards:
        batch = [texts[(done + i) % len(texts)] for i in range(min(1000, args.cards - done))]
        passed += sum(v.passed for v in g7lint.lint_batch(batch))
        done += len(batch)
        if done % 10_000 == 0 or done == args.cards:
            rate = done / (time.perf_counter() - start)
            print(f"{done:8,} cards  {resident_mb():6.1f} MB resident  {rate:6.0f} cards/s")
    print(f"{passed:,} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
