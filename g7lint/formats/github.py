"""GitHub Actions workflow commands: one annotation per finding."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from g7lint.findings import Report, Severity
from g7lint.formats import FormatInput
from g7lint.safe_text import printable

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    """The runner's own escapes for line breaks, and every other control character made visible."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(escaped)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(run: FormatInput) -> str:
    return "".join(render_stream(run.reports, run))


def render_stream(reports: Iterable[Report], run: FormatInput) -> Iterator[str]:
    for report in reports:
        lines = []
        for finding in report.findings:
            if finding.suppressed:
                continue
            properties = ",".join(
                [
                    f"file={_escape_property(finding.path)}",
                    f"line={finding.line}",
                    f"col={finding.column}",
                    f"title={_escape_property(f'{finding.code} {finding.name}')}",
                ]
            )
            message = finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
            lines.append(f"::{_LEVEL[finding.severity]} {properties}::{_escape_data(message)}")
        if lines:
            yield "\n".join(lines) + "\n"
