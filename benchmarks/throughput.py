"""Cards per second for a whole corpus, linted in one process, beside a peer.

    python benchmarks/throughput.py --corpus ../shared/corpus [--repeat 5] [--peer DIR]

Reads every ``*.md`` under the corpus into memory first, so the figure is
g7lint's parsing and evaluation, not the disk. Times the two stages (parse,
evaluate) separately on one thread, and ``g7lint.lint_batch`` over the same cards:
verdicts on one thread and on its default thread pool (the CPUs this process may
use, at most 4), and full reports on that pool.

``--peer DIR`` also times, in the same run and on the same cards, the engine
of readystack-model-card-lint-gpai (28 keyword rules in JavaScript): DIR is
where its wheel was unpacked or installed (``pip install --target DIR
readystack-model-card-lint-gpai``), and ``node`` must be on PATH. Its
engine.js is loaded by a small harness written here, never copied.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import g7lint
from g7lint.batch import thread_count
from g7lint.engine import evaluate
from g7lint.parsing.card import parse_card_bytes

# Loads the peer's engine, checks every card once to warm up, then times passes.
_HARNESS = """
const fs = require('fs');
const engine = require(process.argv[2]).engine;
const cards = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const repeat = parseInt(process.argv[4], 10);
const options = { today: '2026-12-01', path: 'README.md' };
for (const text of cards) engine.check(text, options);
let best = Infinity;
for (let pass = 0; pass < repeat; pass++) {
  const start = process.hrtime.bigint();
  for (const text of cards) engine.check(text, options);
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(JSON.stringify({ seconds: best }));
"""


def _peer_seconds(peer: Path, texts: list[str], repeat: int) -> float:
    engines = sorted(peer.rglob("readystack_model_card_lint_gpai/js/engine.js"))
    node = shutil.which("node")
    if not engines or node is None:
        raise SystemExit(f"no readystack engine.js under {peer}, or no node on PATH")
    with tempfile.TemporaryDirectory() as folder:
        harness, cards = Path(folder) / "harness.js", Path(folder) / "cards.json"
        harness.write_text(_HARNESS, encoding="utf-8")
        cards.write_text(json.dumps(texts), encoding="utf-8")
        result = subprocess.run(
            [node, str(harness), str(engines[0]), str(cards), str(repeat)], capture_output=True, text=True, check=True
        )
    return float(json.loads(result.stdout)["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus; the best is reported")
    parser.add_argument("--peer", type=Path, help="where readystack-model-card-lint-gpai is unpacked")
    args = parser.parse_args(argv)
    cards = [(str(p), p.read_bytes()) for p in sorted(args.corpus.rglob("*.md")) if p.name not in ("LABELS.md",)]
    policy = g7lint.load_policy()
    evaluate(parse_card_bytes(cards[0][1], cards[0][0]), policy)  # warm caches (compiled patterns, validators)
    megabytes = sum(len(data) for _, data in cards) / 1e6
    best_total = best_parse = best_batch = best_single = best_reports = float("inf")
    texts = [data.decode("utf-8", errors="replace") for _, data in cards]
    names = [name for name, _ in cards]
    for _ in range(args.repeat):
        start = time.perf_counter()
        parsed = [parse_card_bytes(data, name) for name, data in cards]
        middle = time.perf_counter()
        for card in parsed:
            evaluate(card, policy)
        end = time.perf_counter()
        g7lint.lint_batch(texts, paths=names, policy=policy)
        batch_end = time.perf_counter()
        g7lint.lint_batch(texts, paths=names, policy=policy, threads=1)
        single_end = time.perf_counter()
        g7lint.lint_batch(texts, paths=names, policy=policy, reports=True)
        reports_end = time.perf_counter()
        best_parse = min(best_parse, middle - start)
        best_total = min(best_total, end - start)
        best_batch = min(best_batch, batch_end - end)
        best_single = min(best_single, single_end - batch_end)
        best_reports = min(best_reports, reports_end - single_end)
    count = len(cards)
    print(f"{count} cards, {megabytes:.1f} MB, best of {args.repeat} passes")
    print(f"total       {count / best_total:8.0f} cards/s  ({best_total * 1000 / count:.2f} ms/card)")
    print(f"parse       {count / best_parse:8.0f} cards/s")
    print(f"evaluate    {count / (best_total - best_parse):8.0f} cards/s")
    threads = thread_count(None)
    print(f"lint_batch  {count / best_single:8.0f} cards/s  (verdicts, the data-frame path, 1 thread)")
    print(f"lint_batch  {count / best_batch:8.0f} cards/s  (verdicts, {threads} threads)")
    print(f"lint_batch  {count / best_reports:8.0f} cards/s  (full reports, {threads} threads)")
    if args.peer:
        peer = _peer_seconds(args.peer, texts, args.repeat)
        print(f"peer        {count / peer:8.0f} cards/s  (readystack engine.js on node, same cards)")
        print(
            f"ratio       {peer / best_total:8.2f}x the peer (full reports, 1 thread), "
            f"{peer / best_reports:.2f}x ({threads} threads); verdicts {peer / best_single:.2f}x (1 thread), "
            f"{peer / best_batch:.2f}x ({threads} threads)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
