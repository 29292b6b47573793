"""Show that two builds of g7lint give the same verdicts, card by card.

Run it once with each build's Python, then compare the two dumps:

    old/bin/python benchmarks/differential.py dump --out old.jsonl --mutants 2000 ../shared/corpus tests examples
    new/bin/python benchmarks/differential.py dump --out new.jsonl --mutants 2000 ../shared/corpus tests examples
    python benchmarks/differential.py compare old.jsonl new.jsonl

With ``--batch THREADS`` the same cards go through one ``lint_batch`` call (threads
side by side); compared with a plain dump of the same build, it shows that the
batch path gives every card the report it gets on its own.

A dump holds, per card, the whole report (requirement statuses, evidence kinds,
lines, columns and excerpts, every finding) without the version stamp. The
port of the per-card hot path to the compiled core was accepted on an empty
comparison over every corpus card, every card in tests/ and the examples,
the generated hostile cards below, and 2,000 seeded mutations of those cards
(``--mutants``: tokens that break parsers spliced in, spans cut and copied).
"""

from __future__ import annotations

import argparse
import json
import random
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


#: What the mutations splice in: what breaks parsers, and characters whose lower case changes length.
TOKENS = [
    "---\n", "\n---\n", "<!--", "-->", "<h2>", "</h2>", "<div>", "|", " | ", "```", "\n# ", "\n## ", "\n===\n",
    "**", "[More Information Needed]", "{", "}", "&amp;", "&#x1F600;", "İ", "Σ", "ß", "ﬁ", "\u212a", "é", "脱敏",
    "\t", "\r\n", "license: ", "red-team", "We removed PII.", "Limitations", "\n\n", "- ", "1. ",
]  # fmt: skip


def mutants(texts: list[str], count: int, seed: int = 12) -> list[str]:
    """``count`` seeded mutations of ``texts``: the same list for every build that runs this."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.6:
                text = text[:i] + rng.choice(TOKENS) + text[i:]
            elif roll < 0.8:
                text = text[:i] + text[i + rng.randint(1, 300) :]
            else:
                j = rng.randrange(len(text) + 1)
                text = text[:i] + text[j : j + rng.randint(1, 500)] + text[i:]
        out.append(text)
    return out


def dump(roots: list[str], out: Path, mutant_count: int = 0, batch_threads: int = 0) -> int:
    """Write every card's report; with ``batch_threads``, lint them all in one
    ``lint_batch(..., reports=True, threads=batch_threads)`` call instead of one at a time."""
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        # (name in the dump, path in the report, the card as the one-at-a-time call takes it)
        inputs: list[tuple[str, str, str | bytes]] = []
        texts = []
        for root in roots:
            for path in sorted(Path(root).rglob("*.md")):
                inputs.append((str(path), str(path), path.read_bytes()))
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        for name, text in HOSTILE.items():
            inputs.append((f"<hostile:{name}>", name, text))
        for number, text in enumerate(mutants(texts, mutant_count) if texts else []):
            inputs.append((f"<mutant:{number}>", f"mutant-{number}", text))
        if batch_threads:
            reports = g7lint.lint_batch(
                [card for _, _, card in inputs],
                paths=[path for _, path, _ in inputs],
                reports=True,
                threads=batch_threads,
            )
        else:
            reports = [
                g7lint.lint_file(Path(path)) if isinstance(card, bytes) else g7lint.lint_text(card, path=path)
                for _, path, card in inputs
            ]
        cards = [(name, report) for (name, _, _), report in zip(inputs, reports, strict=True)]
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
    dump_parser.add_argument("--mutants", type=int, default=0, help="also lint this many seeded mutations")
    dump_parser.add_argument(
        "--batch", type=int, default=0, metavar="THREADS", help="lint through lint_batch with this many threads"
    )
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("old", type=Path)
    compare_parser.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        print(f"{dump(args.roots, args.out, args.mutants, args.batch)} reports written to {args.out}")
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
