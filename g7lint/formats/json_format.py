"""JSON: the documented report schema (``schemas/report.schema.json``)."""

from __future__ import annotations

from g7lint.findings import LintRun
from g7lint.formats import FormatInput
from g7lint.safe_text import escape_json_controls


def render(run: FormatInput) -> str:
    document = LintRun(reports=tuple(run.reports))
    return escape_json_controls(document.model_dump_json(indent=2)) + "\n"
