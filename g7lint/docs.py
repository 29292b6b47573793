"""Rule documentation generated from the policy: one page per rule.

``g7lint explain RULE`` prints the same page, SARIF carries it as help, and
``python -m g7lint.generate`` writes the pages (a test checks that the
committed pages are current).
"""

from __future__ import annotations

from pathlib import Path

from g7lint.policy.model import AnyRule, MetadataRule, Pattern, Policy, Requirement

DOCS_URL = "https://github.com/g7lint/g7lint/blob/main/docs/rules/"


def rule_help_uri(rule: AnyRule) -> str:
    return f"{DOCS_URL}{rule.code}.md"


def find_rule(policy: Policy, label: str) -> AnyRule | None:
    for rule in policy.all_rules():
        if label in (rule.code, rule.name) or label.lower() in (rule.code.lower(), rule.name):
            return rule
    return None


def rule_page(rule: AnyRule, policy: Policy) -> str:
    """The Markdown page for one rule."""
    principle = (
        f"G7 action {rule.principle}: {policy.principle_title(rule.principle)}" if rule.principle else "Card format"
    )
    out = [
        f"# {rule.code} `{rule.name}`",
        "",
        f"**{rule.title}**",
        "",
        f"- Principle: {principle}",
        f"- Default severity: {rule.severity.value}",
    ]
    if isinstance(rule, Requirement):
        applies = "generative models only" if rule.applies_to == "generative" else "every model"
        out.append(f"- Applies to: {applies}")
    if not rule.suppressible:
        out.append("- Cannot be suppressed in the card")
    out += ["", "## What it checks", "", _what_it_checks(rule), ""]
    if rule.rationale:
        out += ["## Why the Code asks for it", "", rule.rationale, ""]
    if rule.fix:
        out += ["## How to fix", "", rule.fix, ""]
    if isinstance(rule, Requirement):
        fields = _framework_fields(rule.id)
        if fields:
            intro = "`g7lint crosswalk` answers these fields with this rule's evidence:"
            out += ["## In reporting frameworks", "", intro, "", *fields, ""]
    if rule.references:
        out += ["## References", ""]
        out += [f"- {name}: {value}" for name, value in rule.references.items()]
        out.append("")
    out += ["## Example", "", "A card that passes:", "", _fenced(rule.examples.passing)]
    if rule.examples.failing is not None:
        out += ["", "A card that fails:", "", _fenced(rule.examples.failing)]
    return "\n".join(out).rstrip() + "\n"


def _what_it_checks(rule: AnyRule) -> str:
    if isinstance(rule, Requirement):
        spec = rule.evidence
        lines = ["The requirement passes on any one of these pieces of evidence:", ""]
        lines += [f"- {item.describe}" for item in spec.metadata]
        lines += [f"- {item.describe}" for item in spec.sections]
        if spec.statements:
            lines.append(f"- {spec.statements_describe}")
        lines += [
            "",
            'Text that is only an unfilled template ("[More Information Needed]", TODO, '
            "the template's guidance) never counts as evidence.",
        ]
        lines += _pattern_lines("Section headings", [p for s in spec.sections for p in s.headings])
        lines += _pattern_lines("Statements anywhere in the card", spec.statements)
        return "\n".join(lines)
    if isinstance(rule, MetadataRule):
        key = f"`{rule.key}`" if rule.key else "the metadata block"
        return f"When present, {key} must be valid under this rule's JSON Schema: {rule.message}."
    return f"Reported by the card reader for: {', '.join(rule.problems)}."


def _framework_fields(requirement_id: str) -> list[str]:
    from g7lint.frameworks import fields_answered_by

    return [
        f"- {framework.title}, {section.title}: {field.id} {field.title}"
        for framework, section, field in fields_answered_by(requirement_id)
    ]


def _pattern_lines(title: str, patterns: list[Pattern]) -> list[str]:
    """Each pattern's claim and examples, so a reader can judge it without reading the regex."""
    if not patterns:
        return []
    lines = ["", f"### {title}", ""]
    for pattern in patterns:
        lines.append(f"- {pattern.why or 'undocumented pattern'} `{pattern.regex}`")
        if pattern.matches:
            lines.append(f"  - finds: {'; '.join(_quoted(text) for text in pattern.matches)}")
        if pattern.near_misses:
            lines.append(f"  - not: {'; '.join(_quoted(text) for text in pattern.near_misses)}")
    return lines


def _quoted(text: str) -> str:
    return "“" + text.replace("\n", " ") + "”"


def _fenced(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}markdown\n{text.rstrip()}\n{fence}"


def write_pages(policy: Policy, folder: Path) -> list[Path]:
    """Write one page per rule and an index; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# g7lint rules", "", f"Generated from the policy `{policy.id}` {policy.version}.", ""]
    index += ["| Code | Name | G7 action | Severity | Title |", "|---|---|---|---|---|"]
    for rule in policy.all_rules():
        page = folder / f"{rule.code}.md"
        page.write_text(rule_page(rule, policy), encoding="utf-8")
        written.append(page)
        action = str(rule.principle) if rule.principle else "card format"
        index.append(
            f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {action} | {rule.severity.value} | {rule.title} |"
        )
    readme = folder / "README.md"
    readme.write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(readme)
    return written
