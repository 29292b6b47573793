"""Time and memory of 'g7lint report' on a large results file.

    python benchmarks/report.py [--results 100000]

Builds a JSONL file of the given size from real reports (the shipped
example cards, with varied ids, downloads, tasks and years), then runs
``g7lint report --html`` on it as a separate process and prints its wall
time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import g7lint

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["text-generation", "text-classification", "token-classification", "text-to-image", "feature-extraction", None]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=100_000)
    args = parser.parse_args()
    cards = [*sorted((ROOT / "examples").glob("*.md")), *sorted((ROOT / "tests" / "cards" / "corpus").glob("*-*.md"))]
    reports = [json.loads(g7lint.lint_file(card).model_dump_json()) for card in cards]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.jsonl"
        with open(results, "w", encoding="utf-8") as handle:
            for index in range(args.results):
                record = {
                    "id": f"org{index % 997}/model-{index}",
                    "sha": None,
                    "downloads": int(rng.paretovariate(1.1) * 10),
                    "likes": 0,
                    "pipeline_tag": rng.choice(TAGS),
                    "library_name": "transformers",
                    "created_at": f"20{rng.randint(19, 25)}-06-01T00:00:00Z",
                    "status": "ok" if index % 20 else "no_card",
                    "message": "",
                    "report": reports[index % len(reports)] if index % 20 else None,
                }
                handle.write(json.dumps(record) + "\n")
        size_mb = results.stat().st_size / 1e6
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "g7lint", "report", str(results), "--html", str(Path(folder) / "report.html")],
            check=True,
            capture_output=True,
        )
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"g7lint report --html on {args.results:,} results ({size_mb:.0f} MB): {elapsed:.1f} s, peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
