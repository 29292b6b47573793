"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every enabled rule of the policy is listed in the driver, so a scanner can
close an alert once a card is fixed. Fingerprints hash the rule, the file
and what the finding is about, never the line, so they survive unrelated
edits to the card.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from g7lint._version import __version__
from g7lint.docs import rule_help_uri, rule_page
from g7lint.findings import Finding, Report, Severity
from g7lint.formats import FormatInput, stream_json_array
from g7lint.policy.model import AnyRule, Policy
from g7lint.safe_text import escape_json_controls

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(run: FormatInput) -> str:
    return "".join(render_stream(run.reports, run))


def render_stream(reports: Iterable[Report], run: FormatInput) -> Iterator[str]:
    """The document with every rule, then each card's results as it is linted (the same JSON as one dump)."""
    # Cards of one run may be judged under different policies: every rule of every policy is listed once.
    rules: dict[str, tuple[AnyRule, Policy]] = {}
    for policy in run.all_policies():
        for rule in policy.all_rules():
            rules.setdefault(rule.code, (rule, policy))
    index = {code: position for position, code in enumerate(rules)}
    driver_rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.rationale or rule.title},
            "help": {"text": rule.fix or rule.title, "markdown": rule_page(rule, policy)},
            "helpUri": rule_help_uri(rule),
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": [f"G7-action-{rule.principle}" if rule.principle else "card-format"]},
        }
        for rule, policy in rules.values()
    ]
    document: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "g7lint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/g7lint/",
                        "rules": driver_rules,
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "results": [_RESULTS],
            }
        ],
    }
    whole = escape_json_controls(json.dumps(document, indent=2, ensure_ascii=False))
    results = (
        escape_json_controls(json.dumps(_result(finding, index), indent=2, ensure_ascii=False))
        for report in reports
        for finding in report.findings
        if finding.code in index
    )
    yield from stream_json_array(whole, _RESULTS, results)


#: Where the streamed results go in the document.
_RESULTS = "__g7lint_results__"


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                }
            }
        ],
        "partialFingerprints": {"g7lint/v1": fingerprint(finding)},
    }
    if finding.suppression is not None:
        result["suppressions"] = [
            {
                "kind": "inSource" if finding.suppression.kind == "in-source" else "external",
                "justification": finding.suppression.justification,
            }
        ]
    return result


def fingerprint(finding: Finding) -> str:
    """Stable across edits elsewhere in the card: rule, file and subject, not position."""
    subject = finding.evidence[0].location if finding.evidence else ""
    key = "\x1f".join((finding.code, _uri(finding.path), subject))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _uri(path: str) -> str:
    return path.replace("\\", "/").removeprefix("./")
