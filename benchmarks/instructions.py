"""Instructions per corpus card in ``lint_batch``: a speed figure that does not drift.

    python benchmarks/instructions.py --corpus ../shared/corpus [--python OTHER/bin/python]

This project's machines change speed by a third or more between sessions and
within one, so two builds timed minutes apart can differ by more than the
change being measured. Counting the instructions a pass executes does not
drift: valgrind's callgrind runs one process that lints the corpus twice to
warm up and then once more, and another that only warms up (one warm-up pass is not
enough: an older build still did lazy work in its second pass); the difference,
divided by the number of cards, is what one card costs. Both runs set
``G7LINT_NO_CACHE=1``, since a policy cache written between them would move
work from one run to the other. ``--python`` counts another install (say the
build before a change) the same way. valgrind must be installed; a run takes
about a minute. Instructions are not time (cache misses and branch mispredictions
are not counted), so a change that moves this figure little should still be
timed, alternately, with the two builds (``benchmarks/throughput.py``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Lints the corpus twice to warm up (patterns compile on first use), then PASSES more times.
_LOOP = """
import pathlib, sys
import g7lint
cards = [p.read_bytes() for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")) if p.name != "LABELS.md"]
try:
    g7lint.lint_batch(cards, threads=1)
    options = {"threads": 1}
except TypeError:  # a build from before lint_batch had threads
    options = {}
g7lint.lint_batch(cards, **options)  # a second warm-up pass: the first leaves caches half-filled
for _ in range(int(sys.argv[2])):
    g7lint.lint_batch(cards, **options)
print(len(cards))
"""


def _instructions(python: str, corpus: Path, passes: int, work: Path) -> tuple[int, int]:
    """Instructions callgrind counted for a process that lints the corpus 1 + ``passes`` times,
    and the number of cards."""
    script = work / "loop.py"
    script.write_text(_LOOP, encoding="utf-8")
    out = work / f"callgrind.{passes}"
    environment = {**os.environ, "G7LINT_NO_CACHE": "1"}
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, str(script), str(corpus)]
    done = subprocess.run([*command, str(passes)], capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"the lint loop failed under valgrind: {last}")
    cards = int(done.stdout.split()[-1])
    totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(encoding="utf-8", errors="replace"), re.M)
    if totals is None:
        raise SystemExit(f"no instruction total in {out}")
    return int(totals.group(1)), cards


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="the Python of the install to count")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        warm, cards = _instructions(args.python, args.corpus.resolve(), 0, work)
        once, _ = _instructions(args.python, args.corpus.resolve(), 1, work)
    print(f"{cards} cards: {(once - warm) / cards / 1e6:.3f} M instructions per card (lint_batch, one thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
