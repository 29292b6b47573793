"""Which corpus cards each statement pattern of the policy finds, and whether they are labelled positive.

    python benchmarks/pattern_usage.py --corpus ../shared/corpus [--requirement limitations] [--part tuning]

A pattern that finds one card only, in that card's words, is a pattern for
that card; one that finds no card is either a general phrasing the corpus
lacks (its examples must then show it) or dead weight. For each pattern:
cards matched, of those how many are labelled ``1``, and up to three sample
matches. Text is searched as the linter sees it (prose, placeholders removed).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import split_parts

from g7lint.checks.prose import build_prose
from g7lint.parsing.card import parse_card_file
from g7lint.policy.loader import compile_policy, load_policy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--requirement", help="only this requirement's patterns")
    parser.add_argument("--part", choices=("tuning", "check", "all"), default="all")
    args = parser.parse_args(argv)
    with open(args.corpus / "labels.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    parts = split_parts([row["file"] for row in rows])
    rows = [row for row in rows if args.part == "all" or parts[row["file"]] == args.part]
    compiled = compile_policy(load_policy())
    proses = [(row, build_prose(parse_card_file(args.corpus / row["file"]), compiled)) for row in rows]
    single = unused = total = 0
    for requirement in compiled.requirements:
        rid = requirement.requirement.id
        if args.requirement and rid != args.requirement:
            continue
        if rid not in rows[0]:
            continue
        print(f"\n== {rid}")
        statements = requirement.requirement.evidence.statements
        for pattern_id, spec in zip(requirement.statement_ids, statements, strict=True):
            regex = re.compile(compiled.statement_sources[pattern_id], re.IGNORECASE)
            found = []
            for row, prose in proses:
                match = regex.search(prose.joined())
                if match:
                    found.append((row, match.group(0)))
            positives = sum(row[rid] == "1" for row, _ in found)
            total += 1
            single += len(found) == 1
            unused += not found
            samples = "; ".join(repr(text[:40]) for _, text in found[:3])
            print(f"  {len(found):>3} cards {positives:>3} positive  {spec.regex[:70]!r}  {samples}")
    print(f"\n{total} statement patterns: {single} find exactly one card, {unused} find none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
