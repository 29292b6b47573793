"""JSON: the documented report schema (``schemas/report.schema.json``).

Streamed: the document's head, then each report as it is linted, then its
tail, so that a check of many cards holds one report at a time. The result
is the same document ``LintRun(reports=...).model_dump_json(indent=2)`` gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from g7lint._version import __version__
from g7lint.findings import REPORT_SCHEMA_VERSION, Report
from g7lint.formats import FormatInput, stream_json_array
from g7lint.safe_text import escape_json_controls


def render(run: FormatInput) -> str:
    return "".join(render_stream(run.reports, run))


def render_stream(reports: Iterable[Report], run: FormatInput) -> Iterator[str]:
    head = {"schema_version": REPORT_SCHEMA_VERSION, "g7lint_version": __version__, "reports": [_REPORTS]}
    items = (escape_json_controls(report.model_dump_json(indent=2)) for report in reports)
    yield from stream_json_array(json.dumps(head, indent=2), _REPORTS, items)


#: Where the streamed reports go in the document.
_REPORTS = "__g7lint_reports__"
