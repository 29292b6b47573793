"""Markdown, for ``$GITHUB_STEP_SUMMARY`` and pull-request comments."""

from __future__ import annotations

from g7lint.checks.metadata import shorten
from g7lint.findings import Report
from g7lint.formats import FormatInput
from g7lint.safe_text import printable

_STATUS = {"pass": "✅ pass", "fail": "❌ fail", "not_applicable": "➖ n/a", "not_selected": "not selected"}


def _cell(text: str) -> str:
    """Card text made safe for one table cell: one line, no control characters, no markup breakout."""
    text = printable(text.replace("\n", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("`", "\\`")


def render(run: FormatInput) -> str:
    failed = sum(not r.passed for r in run.reports)
    out = [f"## g7lint: {len(run.reports)} card(s), {failed} failed", ""]
    for report in run.reports:
        out.extend(_report(report, run))
    return "\n".join(out) + "\n"


def _report(report: Report, run: FormatInput) -> list[str]:
    verdict = "passes" if report.passed else "fails"
    out = [f"### `{_cell(report.path)}` {verdict} {report.policy.id}", ""]
    out += ["| G7 action | Requirement | Status | Evidence or what was looked for |", "|---|---|---|---|"]
    for requirement in report.requirements:
        if requirement.evidence:
            evidence = requirement.evidence[0]
            detail = f"line {evidence.line}: {evidence.excerpt}"
        else:
            detail = requirement.near_miss or requirement.looked_for
        status = _STATUS[requirement.status]
        out.append(f"| {requirement.principle} | `{requirement.id}` | {status} | {_cell(shorten(detail, 160))} |")
    problems = [f for f in report.findings if not f.suppressed and f.principle == 0]
    if problems:
        out += ["", "Card problems:", ""]
        out += [f"- line {f.line}: `{f.code}` {_cell(f.message)}" for f in problems]
    suppressed = [f for f in report.findings if f.suppressed]
    if suppressed:
        out += ["", f"{len(suppressed)} finding(s) suppressed in the card."]
    out.append("")
    return out
