"""Cards per second linting a parquet dump of Hub cards on all cores.

    python benchmarks/dump_scan.py [--rows 100000] [--corpus ../shared/corpus]

Writes a dump with the public dump's columns, whose cards cycle through a
corpus of real cards (the labelled corpus if given, else the cards shipped
in examples/ and tests/), then times ``g7lint scan --dump`` end to end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_dump(path: Path, rows: int, cards: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    batch = 10_000
    writer = None
    for start in range(0, rows, batch):
        count = min(batch, rows - start)
        table = pa.table(
            {
                "modelId": [f"org/model-{i}" for i in range(start, start + count)],
                "author": ["org"] * count,
                "downloads": [i % 5000 for i in range(start, start + count)],
                "likes": [i % 50 for i in range(start, start + count)],
                "library_name": ["transformers"] * count,
                "tags": [["transformers"]] * count,
                "pipeline_tag": ["text-generation"] * count,
                "card": [cards[i % len(cards)] for i in range(start, start + count)],
            }
        )
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=5_000)
    assert writer is not None
    writer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, help="folder of real cards (*.md) to cycle through")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    sources = sorted(args.corpus.rglob("*.md")) if args.corpus else []
    sources = [p for p in sources if p.name != "LABELS.md"] or [
        *sorted((ROOT / "examples").glob("*.md")),
        *sorted((ROOT / "tests" / "cards" / "corpus").glob("*-*.md")),
    ]
    cards = [p.read_text(encoding="utf-8", errors="replace") for p in sources]
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "cards.parquet"
        write_dump(dump, args.rows, cards)
        out = Path(folder) / "all.jsonl"
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "g7lint",
                "scan",
                "--dump",
                str(dump),
                "--out",
                str(out),
                "--workers",
                str(args.workers),
            ],
            check=True,
        )
        elapsed = time.perf_counter() - start
        lines = sum(1 for _ in open(out, encoding="utf-8"))
    print(
        f"{lines} cards ({len(cards)} distinct) in {elapsed:.1f} s with {args.workers} processes: "
        f"{lines / elapsed:.0f} cards/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
