"""Peak memory of ``g7lint check`` over a folder of many cards: it must stay flat.

    python benchmarks/memory.py [--cards 10000] [--format text]

Writes N copies of the shipped template card into a temporary folder (one
model repository each) and runs the real command on it, reporting the child
process's peak resident memory and wall time. Reports are streamed to the
output one card at a time (text, json, github), so the peak should not grow
with N.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--format", default="text")
    args = parser.parse_args(argv)
    card = (ROOT / "examples" / "template-card.md").read_text()
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.cards):
            repo = Path(folder) / f"model-{index:05d}"
            repo.mkdir()
            (repo / "README.md").write_text(card)
        started = time.perf_counter()
        command = [sys.executable, "-m", "g7lint", "check", folder, "--format", args.format, "--quiet"]
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - started
        shutil.rmtree(folder, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.cards} cards, --format {args.format}: peak {peak_mb:.0f} MB, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
