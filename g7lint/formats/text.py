"""Human-readable output, the way ruff prints: one line per finding, a ``help:``
line with its fix, and a summary at the end.

``path:line:col: CODE name message`` is what editors and terminals turn into
links. The per-action table of requirements is there when asked for
(``--show-requirements``); ``--quiet`` keeps only the finding lines. Colour
only on a terminal, and never when ``NO_COLOR`` is set (the CLI decides; this
module only honours ``run.color``). Card text is printed through
:func:`~g7lint.safe_text.printable`, so a heading cannot smuggle a newline, a
CI workflow command or a terminal escape into the output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from g7lint.findings import Finding, Report, Severity
from g7lint.formats import FormatInput
from g7lint.safe_text import printable

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SYMBOL = {"pass": "✓", "fail": "✗", "not_applicable": "n/a", "not_selected": "not selected"}


def render(run: FormatInput) -> str:
    return "".join(render_stream(run.reports, run))


def render_stream(reports: Iterable[Report], run: FormatInput) -> Iterator[str]:
    """Each card's lines as soon as it is linted, then the summary."""
    totals = _Totals()
    for report in reports:
        totals.add(report)
        lines: list[tuple[str, str]] = []  # (text, rich style)
        _render_report(report, run, lines)
        if lines:
            yield _finish(lines, run.color)
    if not run.quiet:
        yield _finish([(totals.summary(), "bold")], run.color)


def _finish(lines: list[tuple[str, str]], color: bool) -> str:
    return _colour(lines) if color else "\n".join(text for text, _ in lines) + "\n"


class _Totals:
    """What the summary line counts, gathered card by card."""

    def __init__(self) -> None:
        self.cards = 0
        self.failed = 0
        self.severities: Counter[Severity] = Counter()
        self.thresholds: set[str] = set()

    def add(self, report: Report) -> None:
        self.cards += 1
        self.failed += not report.passed
        self.severities.update(f.severity for f in report.findings if not f.suppressed)
        self.thresholds.add(str(report.fail_on))

    def summary(self) -> str:
        verdict = f"{self.failed} failed" if self.failed else "all passed"
        thresholds = ", ".join(sorted(self.thresholds)) or "error"
        counts = self.severities
        return (
            f"{self.cards} card(s) checked, {verdict} (fail-on {thresholds}): "
            f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
        )


def _render_report(report: Report, run: FormatInput, lines: list[tuple[str, str]]) -> None:
    for finding in report.findings:
        if finding.suppressed and not run.show_suppressed:
            continue
        lines.append((_finding_line(finding), "dim" if finding.suppressed else _STYLE[finding.severity]))
        if finding.fix and not run.quiet and not finding.suppressed:
            lines.append((f"  help: {printable(finding.fix)}", "dim"))
    if run.show_requirements:
        verdict = "passes" if report.passed else "fails"
        lines.append((f"{printable(report.path)}: {verdict} {report.policy.id} (fail-on {report.fail_on})", "bold"))
        by_principle: dict[int, list[str]] = {}
        for requirement in report.requirements:
            entry = f"{requirement.id} {_SYMBOL[requirement.status]}"
            by_principle.setdefault(requirement.principle, []).append(entry)
        for action in sorted(by_principle):
            title = run.policy_of(report).principle_title(action)
            lines.append((f"  {action:>2}. {title}: {', '.join(by_principle[action])}", ""))
        lines.append(("", ""))


def _finding_line(finding: Finding) -> str:
    mark = " (suppressed)" if finding.suppressed else ""
    return (
        f"{printable(finding.path)}:{finding.line}:{finding.column}: {finding.code} {finding.name} "
        f"[{finding.severity}] {printable(finding.message)}{mark}"
    )


def _colour(lines: list[tuple[str, str]]) -> str:
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, force_terminal=True, width=10_000, highlight=False)
    with console.capture() as capture:
        for text, style in lines:
            console.print(Text(text, style=style or ""), soft_wrap=True)
    return capture.get()
