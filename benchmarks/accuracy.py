"""Measure g7lint's verdicts against a labelled corpus of model cards.

    python benchmarks/accuracy.py --corpus ../shared/corpus [--disagreements] [--part check]

The corpus holds ``labels.tsv`` (one row per card: ``file`` then one column
per requirement with ``1``, ``0`` or ``na``) and the cards it names. A
requirement counts as found when g7lint's status is ``pass``. ``na`` labels
are negatives for precision and recall; whether g7lint also judged them
``not_applicable`` is reported as applicability agreement. A requirement with
no positives in the labels and none predicted has F1 1.0 (nothing to find,
nothing wrongly found).

Held out by source. Cards from one source (``cards/<folder>/``) share a
template and a writer's habits, so a figure on cards whose siblings were read
while writing the rules flatters the rules. The corpus is split into a
*tuning* part, the only one whose disagreements are listed by default, and a
*check* part: about a third of the folders, chosen by a hash of the folder's
name; a folder of ``BIG_FOLDER`` cards or more is split card by card, by a
hash of the file name, so no one source decides the check figure. The check
part's figure is the one to expect on cards g7lint has never seen.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import g7lint

#: A folder with at least this many cards is split card by card.
BIG_FOLDER = 10
PARTS = ("tuning", "check")


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


def _in_check_part(key: str) -> bool:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 3 == 0


def split_parts(files: list[str]) -> dict[str, str]:
    """Each card file's part, ``tuning`` or ``check``: fixed by hashes, never by results."""
    folder_of = {name: name.split("/")[1] if name.count("/") >= 2 else "" for name in files}
    sizes = Counter(folder_of.values())
    parts = {}
    for name, folder in folder_of.items():
        key = name if sizes[folder] >= BIG_FOLDER else folder
        parts[name] = "check" if _in_check_part(key) else "tuning"
    return parts


def measure(corpus: Path) -> tuple[dict[str, dict[str, Tally]], Counter[str]]:
    """Tallies per part (``all``, ``tuning``, ``check``) and requirement, and the cards per part."""
    with open(corpus / "labels.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    requirement_ids = [name for name in rows[0] if name != "file"]
    parts = split_parts([row["file"] for row in rows])
    tallies = {part: {rid: Tally() for rid in requirement_ids} for part in ("all", *PARTS)}
    cards: Counter[str] = Counter()
    policy = g7lint.load_policy()
    for row in rows:
        report = g7lint.lint_file(corpus / row["file"], policy=policy)
        results = {r.id: r for r in report.requirements}
        part = parts[row["file"]]
        cards["all"] += 1
        cards[part] += 1
        for rid in requirement_ids:
            label = row[rid].strip()
            result = results[rid]
            predicted = result.status == "pass"
            actual = label == "1"
            note = ""
            if actual and not predicted:
                note = f"FN {row['file']}: looked for {result.looked_for}" + (
                    f"; near miss: {result.near_miss}" if result.near_miss else ""
                )
            elif predicted and not actual:
                evidence = result.evidence[0]
                note = f"FP {row['file']}:{evidence.line}: [{evidence.kind}] {evidence.excerpt[:100]!r}"
            for tally in (tallies["all"][rid], tallies[part][rid]):
                if label == "na":
                    tally.na_total += 1
                    tally.na_agree += result.status == "not_applicable"
                if actual and predicted:
                    tally.tp += 1
                elif actual:
                    tally.fn += 1
                elif predicted:
                    tally.fp += 1
                else:
                    tally.tn += 1
                if note and tally is tallies[part][rid]:
                    tally.disagreements.append(note)
    return tallies, cards


def macro_f1(tallies: dict[str, Tally]) -> float:
    return sum(t.scores()[2] for t in tallies.values()) / len(tallies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="folder with labels.tsv and cards/ (../shared/corpus beside a clone)"
    )
    parser.add_argument("--disagreements", action="store_true", help="list the cards where g7lint disagrees")
    parser.add_argument("--only", help="list disagreements for this requirement only")
    parser.add_argument(
        "--part", choices=(*PARTS, "all"), default="tuning", help="whose disagreements to list (default: tuning)"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "labels.tsv").is_file():
        print(f"error: {args.corpus}/labels.tsv not found; pass --corpus the labelled corpus folder", file=sys.stderr)
        return 2
    tallies, cards = measure(args.corpus)
    whole, tuning, check = tallies["all"], tallies["tuning"], tallies["check"]
    print(
        f"{cards['all']} cards, {len(whole)} requirements; held out by source: "
        f"{cards['tuning']} tuning cards, {cards['check']} check cards\n"
    )
    print(
        f"{'requirement':<20} {'pos':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}"
        f" | {'check pos':>9} {'check F1':>8} | {'tuning F1':>9}"
    )
    for rid, tally in whole.items():
        precision, recall, f1 = tally.scores()
        held = check[rid]
        print(
            f"{rid:<20} {tally.tp + tally.fn:>4} {tally.tp:>4} {tally.fp:>4} {tally.fn:>4} "
            f"{precision:>9.3f} {recall:>7.3f} {f1:>6.3f} | {held.tp + held.fn:>9} {held.scores()[2]:>8.3f}"
            f" | {tuning[rid].scores()[2]:>9.3f}"
        )
    print(f"\nmacro-F1, whole corpus:            {macro_f1(whole):.3f}")
    print(f"macro-F1, tuning part:             {macro_f1(tuning):.3f}")
    print(f"macro-F1, check part (held out):   {macro_f1(check):.3f}   <- expect this on new cards")
    for rid, tally in whole.items():
        if tally.na_total:
            print(f"applicability ({rid}): {tally.na_agree}/{tally.na_total} 'na' labels judged not_applicable")
    if args.disagreements or args.only:
        parts = PARTS if args.part == "all" else (args.part,)
        print(f"\nDisagreements ({', '.join(parts)} part):")
        for part in parts:
            for rid, tally in tallies[part].items():
                if args.only and rid != args.only:
                    continue
                for line in tally.disagreements:
                    print(f"  {rid}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
