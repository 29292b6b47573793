"""Measure g7lint's verdicts against a labelled corpus of model cards.

    python benchmarks/accuracy.py --corpus ../shared/corpus [--disagreements]

The corpus holds ``labels.tsv`` (one row per card: ``file`` then one column
per requirement with ``1``, ``0`` or ``na``) and the cards it names. A
requirement counts as found when g7lint's status is ``pass``. ``na`` labels
are negatives for precision and recall; whether g7lint also judged them
``not_applicable`` is reported as applicability agreement. A requirement with
no positives in the labels and none predicted has F1 1.0 (nothing to find,
nothing wrongly found).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

import g7lint


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    na_agree: int = 0
    na_total: int = 0
    disagreements: list[str] = field(default_factory=list)

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def measure(corpus: Path) -> tuple[dict[str, Tally], int]:
    with open(corpus / "labels.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    requirement_ids = [name for name in rows[0] if name != "file"]
    tallies = {rid: Tally() for rid in requirement_ids}
    policy = g7lint.load_policy()
    for row in rows:
        report = g7lint.lint_file(corpus / row["file"], policy=policy)
        results = {r.id: r for r in report.requirements}
        for rid in requirement_ids:
            label = row[rid].strip()
            result = results[rid]
            tally = tallies[rid]
            predicted = result.status == "pass"
            if label == "na":
                tally.na_total += 1
                tally.na_agree += result.status == "not_applicable"
            actual = label == "1"
            if actual and predicted:
                tally.tp += 1
            elif actual:
                tally.fn += 1
                where = f"looked for {result.looked_for}" + (
                    f"; near miss: {result.near_miss}" if result.near_miss else ""
                )
                tally.disagreements.append(f"FN {row['file']}: {where}")
            elif predicted:
                tally.fp += 1
                evidence = result.evidence[0]
                tally.disagreements.append(
                    f"FP {row['file']}:{evidence.line}: [{evidence.kind}] {evidence.excerpt[:100]!r}"
                )
            else:
                tally.tn += 1
    return tallies, len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder holding labels.tsv and the cards")
    parser.add_argument("--disagreements", action="store_true", help="list every card where g7lint disagrees")
    parser.add_argument("--only", help="list disagreements for this requirement only")
    args = parser.parse_args(argv)
    tallies, cards = measure(args.corpus)
    print(f"{cards} cards, {len(tallies)} requirements\n")
    print(f"{'requirement':<20} {'pos':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
    f1s = []
    for rid, tally in tallies.items():
        precision, recall, f1 = tally.scores()
        f1s.append(f1)
        print(
            f"{rid:<20} {tally.tp + tally.fn:>4} {tally.tp:>4} {tally.fp:>4} {tally.fn:>4} "
            f"{precision:>9.3f} {recall:>7.3f} {f1:>6.3f}"
        )
    print(f"\nmacro-F1 {sum(f1s) / len(f1s):.3f}")
    for rid, tally in tallies.items():
        if tally.na_total:
            print(f"applicability ({rid}): {tally.na_agree}/{tally.na_total} 'na' labels judged not_applicable")
    if args.disagreements or args.only:
        print("\nDisagreements:")
        for rid, tally in tallies.items():
            if args.only and rid != args.only:
                continue
            for line in tally.disagreements:
                print(f"  {rid}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
