"""Human-readable output, grouped by file, with a per-principle summary.

Colour only on a terminal, and never when ``NO_COLOR`` is set (the CLI
decides; this module only honours ``run.color``).
"""

from __future__ import annotations

from collections import Counter

from g7lint.findings import Report, Severity
from g7lint.formats import FormatInput

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_STATUS_STYLE = {"pass": "green", "fail": "red", "not_applicable": "dim"}


def render(run: FormatInput) -> str:
    lines: list[tuple[str, str]] = []  # (text, rich style)
    for report in run.reports:
        _render_report(report, run, lines)
    totals = Counter(f.severity for r in run.reports for f in r.findings if not f.suppressed)
    failed = sum(not r.passed for r in run.reports)
    summary = (
        f"{len(run.reports)} card(s) checked, {failed} failed: "
        f"{totals[Severity.ERROR]} error(s), {totals[Severity.WARNING]} warning(s), {totals[Severity.INFO]} info"
    )
    lines.append((summary, "bold"))
    if not run.color:
        return "\n".join(text for text, _ in lines) + "\n"
    return _colour(lines)


def _render_report(report: Report, run: FormatInput, lines: list[tuple[str, str]]) -> None:
    verdict = "PASS" if report.passed else "FAIL"
    lines.append((f"{report.path}: {verdict} under {report.policy.id} (fail-on {report.fail_on.value})", "bold"))
    for finding in report.findings:
        if finding.suppressed and not run.show_suppressed:
            continue
        mark = " (suppressed)" if finding.suppressed else ""
        lines.append(
            (
                f"  {finding.path}:{finding.line}:{finding.column}: {finding.code} "
                f"[{finding.severity.value}] {finding.message}{mark}",
                "dim" if finding.suppressed else _STYLE[finding.severity],
            )
        )
    by_principle: dict[int, list[str]] = {}
    for requirement in report.requirements:
        by_principle.setdefault(requirement.principle, []).append(f"{requirement.id} {_symbol(requirement.status)}")
    lines.append(("  Requirements by G7 action:", ""))
    for action in sorted(by_principle):
        title = run.policy.principle_title(action)
        lines.append((f"    {action:>2}. {title}: {', '.join(by_principle[action])}", ""))
    lines.append(("", ""))


def _symbol(status: str) -> str:
    return {"pass": "✓", "fail": "✗", "not_applicable": "n/a"}[status]


def _colour(lines: list[tuple[str, str]]) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, force_terminal=True, width=10_000, highlight=False)
    with console.capture() as capture:
        for text, style in lines:
            console.print(Text(text, style=style or ""), soft_wrap=True)
    return capture.get()
