"""Show that two builds of g7lint give the same verdicts, card by card.

Run it once with each build's Python, then compare the two dumps:

    old/bin/python benchmarks/differential.py dump --out old.jsonl ../shared/corpus tests examples
    new/bin/python benchmarks/differential.py dump --out new.jsonl ../shared/corpus tests examples
    python benchmarks/differential.py compare old.jsonl new.jsonl

A dump holds, per card, the whole report (requirement statuses, evidence kinds,
lines, columns and excerpts, every finding) without the version stamp. The
port of the per-card hot path to the compiled core was accepted on an empty
comparison over every corpus card, every card in tests/ and the examples,
plus the generated hostile cards below.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import g7lint

#: Cards no real README looks like, written out here so every build meets the same ones.
HOSTILE = {
    "nested-html": "<div>" * 500 + "<h2>Limitations</h2>" + "</div>" * 500,
    "unclosed-headings": "<h1>" * 2000 + "text",
    "entities": "<p>&amp;&nbsp;&#x41;&bogus;&lt;h2&gt;</p>\n\n<h3>Risk &amp; limits</h3>\n\nIt hallucinates.\n",
    "comments": "<!-- # Limitations\n-->\n<div><!-- open\n\n# Heading after\n",
    "tables": "| a | b |\n|---|---|\n" + "| Safety filtering | None |\n" * 50,
    "unicode": "# Título\n\nİstanbul ΣΑΣ straße — Model ﬁne-tuned. 模型的局限性：可能产生幻觉。\n",
    "emphasis": "**Limitations**\n\n***bold italic*** _x_ ~~strike~~ `code`\n\n**Note.** Text.\n",
    "lists": "- a\n\n  b\n- c\n  1. d\n\n> quote\n> # heading in quote\n",
    "setext": "Limitations\n===\n\nIt fails on long inputs.\n\nRisks\n---\n\nWe red-teamed it.\n",
    "placeholders": "# Model\n\n## Limitations\n\n[More Information Needed]\n\nLicense: [More Information Needed]\n",
}


def dump(roots: list[str], out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        cards: list[tuple[str, g7lint.Report]] = []
        for root in roots:
            for path in sorted(Path(root).rglob("*.md")):
                cards.append((str(path), g7lint.lint_file(path)))
        for name, text in HOSTILE.items():
            cards.append((f"<hostile:{name}>", g7lint.lint_text(text, path=name)))
        for name, report in cards:
            record = report.model_dump(mode="json")
            record.pop("g7lint_version", None)
            handle.write(json.dumps({"card": name, "report": record}, sort_keys=True) + "\n")
            count += 1
    return count


def compare(old: Path, new: Path) -> int:
    def read(path: Path) -> dict[str, dict[str, object]]:
        records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
        return {record["card"]: record["report"] for record in records}

    before, after = read(old), read(new)
    differing = 0
    for card in sorted(set(before) | set(after)):
        if before.get(card) != after.get(card):
            differing += 1
            print(f"differs: {card}")
            a, b = before.get(card) or {}, after.get(card) or {}
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    print(f"  {key}:\n    old {json.dumps(a.get(key))[:400]}\n    new {json.dumps(b.get(key))[:400]}")
    print(f"{len(before)} cards before, {len(after)} after, {differing} differing")
    return 1 if differing or set(before) != set(after) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump")
    dump_parser.add_argument("roots", nargs="+")
    dump_parser.add_argument("--out", type=Path, required=True)
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("old", type=Path)
    compare_parser.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        print(f"{dump(args.roots, args.out)} reports written to {args.out}")
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
