"""Scaffold what a card is missing, as ruff's ``--fix`` does for code.

For each requirement the card fails and has no heading for, a heading in the
Hub template's wording is added at the template's place, followed by guidance
in an HTML comment (invisible on the Hub) saying what to write. Nothing added
can count as evidence: the card still fails until a person writes the section,
and the failure then points at the new heading as a near miss. Front matter is
kept byte for byte, except a ``license:`` key when asked for and a LICENSE file
beside the card names its licence. The library returns the new text; only the
CLI writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from g7lint.engine import evaluate
from g7lint.errors import G7lintError
from g7lint.parsing.card import Card, parse_card_text
from g7lint.policy.loader import compile_policy, load_policy
from g7lint.policy.model import Policy

#: The Hub template's headings, in its order, for the requirements they hold.
TEMPLATE_HEADINGS: tuple[tuple[str, str], ...] = (
    ("model-lineage", "Developers"),
    ("intended-use", "Uses"),
    ("out-of-scope-use", "Out-of-Scope Use"),
    ("limitations", "Bias, Risks, and Limitations"),
    ("risk-mitigation", "Recommendations"),
    ("governance-policy", "Acceptable Use Policy"),
    ("training-data", "Training Data"),
    ("data-protection", "Data Protection"),
    ("evaluation-results", "Evaluation"),
    ("risk-evaluation", "Safety Evaluation"),
    ("environmental-impact", "Environmental Impact"),
    ("security-controls", "Security"),
    ("content-provenance", "Content Provenance"),
    ("societal-benefit", "Societal Benefit"),
    ("license", "License"),
    ("information-sharing", "More Information"),
    ("misuse-reporting", "Model Card Contact"),
)

#: Licence texts recognised in a LICENSE file beside the card, as Hub licence ids.
_LICENCE_TEXTS: tuple[tuple[str, str], ...] = (
    (r"SPDX-License-Identifier:\s*Apache-2\.0|Apache License\s+Version 2\.0", "apache-2.0"),
    (r"SPDX-License-Identifier:\s*MIT\b|^\s*MIT License", "mit"),
    (
        r"SPDX-License-Identifier:\s*BSD-3-Clause|Redistribution and use in source and binary forms.*Neither the name",
        "bsd-3-clause",
    ),
    (r"SPDX-License-Identifier:\s*GPL-3\.0|GNU GENERAL PUBLIC LICENSE\s+Version 3", "gpl-3.0"),
    (r"SPDX-License-Identifier:\s*CC-BY-4\.0|Creative Commons Attribution 4\.0 International", "cc-by-4.0"),
)


@dataclass(frozen=True)
class Fix:
    """The new text of a card and what was added, line by line."""

    text: str
    added: tuple[str, ...]  # 'heading Uses for intended-use', 'license: mit'


def fix_card_text(
    text: str,
    path: str = "README.md",
    *,
    policy: Policy | None = None,
    licence_file: str | None = None,
) -> Fix:
    """Add a heading with guidance for each failing requirement that has none.

    ``licence_file`` is the text of a LICENSE file beside the card: if it names a
    licence the card's metadata lacks, ``license:`` is added to the front matter.
    Idempotent: a second call adds nothing.

    Raises:
        G7lintError: the card's front matter is not valid YAML (the fix would have to guess).
    """
    policy = policy or load_policy()
    card = parse_card_text(text, path)
    report = evaluate(card, policy)
    if any(f.name in ("front-matter-invalid", "unreadable-card") for f in report.findings):
        raise G7lintError(f"{path}: the card's front matter or text cannot be read; fix it by hand first")
    failing = {r.id for r in report.requirements if r.status == "fail"}
    compiled = compile_policy(policy)
    by_id = {item.requirement.id: item for item in compiled.requirements}
    ranks = {requirement_id: rank for rank, (requirement_id, _) in enumerate(TEMPLATE_HEADINGS)}
    headed: dict[str, list[int]] = {}  # per requirement: file lines of the headings it looks under
    headed_by = {
        section.heading.line: compiled.evidencer.headed_requirements(section.title) for section in card.body.sections
    }
    for requirement_id, _ in TEMPLATE_HEADINGS:
        number = by_id[requirement_id].index if requirement_id in by_id else -1
        headed[requirement_id] = [line for line, numbers in headed_by.items() if number in numbers]
    heading_rank: dict[int, int] = {}  # line of an existing heading -> template rank
    for requirement_id, lines_of_headings in headed.items():
        for line in lines_of_headings:
            heading_rank.setdefault(line, ranks[requirement_id])
    eol = "\r" if "\r\n" in text else ""  # lines are split on \n: a CRLF card keeps its \r on new lines
    lines = text.split("\n")
    if lines[-1] != "":  # no newline at the end: the card gets one before anything is appended
        lines.append("")
    end = len(lines) - 1  # the empty string after the final newline
    insertions: dict[int, list[str]] = {}  # 0-based line index to insert before -> lines
    added: list[str] = []
    for requirement_id, title in TEMPLATE_HEADINGS:
        if (
            requirement_id not in failing
            or headed[requirement_id]
            or not by_id[requirement_id].requirement.evidence.sections
        ):
            continue  # met, already headed, or met only by statements (no heading to point at)
        later = sorted(line for line, other in heading_rank.items() if other > ranks[requirement_id])
        before = (later[0] - 1) if later else end
        requirement = by_id[requirement_id].requirement
        guidance = _comment(requirement.fix, requirement.code)
        insertions.setdefault(before, []).extend([f"## {title}{eol}", eol, f"{guidance}{eol}", eol])
        added.append(f"heading '{title}' for {requirement_id}")
    new_lines: list[str] = []
    for index, original in enumerate(lines):
        block = insertions.get(index)
        if block:
            if new_lines and new_lines[-1].strip():
                new_lines.append(eol)  # a blank line before the new heading
            new_lines.extend(block[:-1] if index == end else block)  # no blank line left at the very end
        new_lines.append(original)
    result = "\n".join(new_lines)
    licence = _licence_id(licence_file) if licence_file and "license" in failing else None
    if licence and "license" not in card.metadata:
        result = _add_licence(result, card, licence, "\r\n" if eol else "\n")
        added.append(f"license: {licence}")
    return Fix(result if added else text, tuple(added))


def _comment(fix: str, code: str) -> str:
    body = " ".join(fix.split()).replace("--", "—")
    return f"<!-- What to write here ({code}): {body} -->"


def _licence_id(text: str) -> str | None:
    for pattern, licence in _LICENCE_TEXTS:
        if re.search(pattern, text[:20_000], re.IGNORECASE | re.MULTILINE | re.DOTALL):
            return licence
    return None


def _add_licence(text: str, card: Card, licence: str, newline: str) -> str:
    front = card.front_matter
    if not front.present:  # no front matter: start one
        return f"---{newline}license: {licence}{newline}---{newline}{text}"
    lines = text.split("\n")
    closing = front.closing_line - 1  # 0-based index of the closing '---'
    ending = "\r" if lines[closing].endswith("\r") else ""
    lines.insert(closing, f"license: {licence}{ending}")
    return "\n".join(lines)
