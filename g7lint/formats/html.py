"""One self-contained HTML page for the cards of a 'g7lint check' run."""

from __future__ import annotations

from g7lint.findings import Report
from g7lint.formats import FormatInput
from g7lint.reporting.page import esc, page, status_cell


def render(run: FormatInput) -> str:
    failed = sum(not r.passed for r in run.reports)
    body = [f"<h1>g7lint: {len(run.reports)} card(s), {failed} failed</h1>"]
    body += [_report(report, run) for report in run.reports]
    return page("g7lint check", "\n".join(body))


def _report(report: Report, run: FormatInput) -> str:
    verdict = '<span class="pass">passes</span>' if report.passed else '<span class="fail">fails</span>'
    rows = []
    for requirement in report.requirements:
        if requirement.evidence:
            evidence = requirement.evidence[0]
            detail = f"line {evidence.line}: {esc(evidence.excerpt)}"
        else:
            detail = esc(requirement.near_miss or f"looked for {requirement.looked_for}")
        name = f"<code>{esc(requirement.id)}</code> {esc(requirement.title)}"
        fields = esc(", ".join(_framework_fields(requirement.id)))
        rows.append(
            f"<tr><td class=num>{requirement.principle}</td><td>{name}</td>"
            f"{status_cell(requirement.status)}<td>{detail}</td><td class=muted>{fields}</td></tr>"
        )
    findings = "".join(
        f"<li><code>{esc(f.code)}</code> line {f.line}: {esc(f.message)}"
        + (f' <span class="muted">(suppressed: {esc(f.suppression.justification)})</span>' if f.suppression else "")
        + "</li>"
        for f in report.findings
        if f.principle == 0 or f.suppressed
    )
    return (
        f"<h2><code>{esc(report.path)}</code> {verdict} {esc(report.policy.id)}</h2>"
        '<div class="table-wrap"><table><thead><tr><th class=num>G7 action</th><th>requirement</th><th>status</th>'
        "<th>evidence, or what was looked for</th><th>answers (g7lint crosswalk)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        + (f"<h3>Card problems and suppressions</h3><ul>{findings}</ul>" if findings else "")
    )


_SHORT_NAMES = {"oecd-haip": "HAIP", "eu-gpai-mdf": "MDF"}


def _framework_fields(requirement_id: str) -> list[str]:
    """The framework fields a requirement's evidence answers, briefly ('HAIP 3.b', 'MDF 4.3')."""
    from g7lint.frameworks import fields_answered_by

    return [
        f"{_SHORT_NAMES.get(framework.id, framework.id)} {field.id}"
        for framework, _section, field in fields_answered_by(requirement_id)
    ]
