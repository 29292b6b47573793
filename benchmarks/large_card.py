"""Time to lint one card as it grows to 1 MB: cost should grow with the text and no faster.

    python benchmarks/large_card.py [--corpus ../shared/corpus] [--repeat 5]

The card is built from real cards (the corpus if given, else the shipped
examples), concatenated under one front matter until it reaches each size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import g7lint

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000, 1_000_000)


def bodies(corpus: Path | None) -> list[str]:
    files = sorted(corpus.rglob("*.md")) if corpus else sorted((ROOT / "examples").glob("*.md"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files if p.name != "LABELS.md"]
    return [text.split("\n---\n", 1)[-1] if text.startswith("---") else text for text in texts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    pieces = bodies(args.corpus)
    policy = g7lint.load_policy()
    g7lint.lint_text(pieces[0], policy=policy)  # warm up
    for size in SIZES:
        parts = ["---\nlicense: apache-2.0\n---\n"]
        length, index = len(parts[0]), 0
        while length < size:
            parts.append(pieces[index % len(pieces)])
            length += len(pieces[index % len(pieces)]) + 1
            index += 1
        card = "\n".join(parts)[:size]
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            g7lint.lint_text(card, policy=policy)
            best = min(best, time.perf_counter() - start)
        kilobytes = len(card.encode("utf-8")) / 1000
        print(f"{kilobytes:8.0f} KB   {best * 1000:8.1f} ms   ({best * 1e6 / kilobytes:.1f} us/KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
