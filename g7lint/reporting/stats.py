"""The numbers behind a bulk-scan report, computed in one streaming pass.

Reads a JSONL results file line by line and keeps only counters and the
top models by downloads (a bounded heap), so a million results take as
little memory as a thousand.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from g7lint.errors import G7lintError
from g7lint.hub.results import latest_lines, result_lines

TOP_CUTS = (100, 1_000, 10_000)
COVERAGE_BINS = 10


@dataclass
class Tally:
    applicable: int = 0
    passed: int = 0

    @property
    def rate(self) -> float:
        return self.passed / self.applicable if self.applicable else 0.0


@dataclass(order=True)
class ModelRow:
    """One scanned model, as the report's table shows it."""

    downloads: int
    id: str = field(compare=False)
    pipeline_tag: str = field(compare=False, default="")
    status: str = field(compare=False, default="")
    coverage: float | None = field(compare=False, default=None)
    passed: bool | None = field(compare=False, default=None)
    statuses: dict[str, str] = field(compare=False, default_factory=dict)


@dataclass
class GroupTally:
    cards: int = 0
    coverage_sum: float = 0.0
    passed: int = 0

    @property
    def mean_coverage(self) -> float:
        return self.coverage_sum / self.cards if self.cards else 0.0


@dataclass
class ScanSummary:
    """Aggregates over a results file; fill it with :meth:`add`, read it after."""

    top_keep: int = max(TOP_CUTS)
    records: int = 0
    unreadable_lines: int = 0  # torn by a killed scan or a full disk: skipped and counted
    linted: int = 0
    cards_passed: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    policies: Counter[str] = field(default_factory=Counter)  # "id version" of the policy each card was judged under
    thresholds: Counter[str] = field(default_factory=Counter)  # the fail-on each verdict applied
    versions: Counter[str] = field(default_factory=Counter)  # the g7lint versions that wrote the reports
    written: str = ""  # when the results file was last written (ISO date), for the report's header
    requirements: dict[str, Tally] = field(default_factory=dict)
    requirement_principle: dict[str, int] = field(default_factory=dict)
    principles: dict[int, Tally] = field(default_factory=dict)
    failing: Counter[str] = field(default_factory=Counter)
    coverage_histogram: list[int] = field(default_factory=lambda: [0] * COVERAGE_BINS)
    by_pipeline: dict[str, GroupTally] = field(default_factory=dict)
    by_year: dict[str, GroupTally] = field(default_factory=dict)
    _top: list[tuple[int, int, ModelRow]] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.records += 1
        status = str(record.get("status", "error"))
        self.statuses[status] += 1
        report = record.get("report")
        row = ModelRow(
            downloads=_count(record.get("downloads")),
            id=_text(record.get("id")),
            pipeline_tag=_text(record.get("pipeline_tag")),
            status=status,
        )
        if status == "ok" and isinstance(report, dict):
            self._add_report(report, record, row)
        entry = (row.downloads, -self.records, row)
        if len(self._top) < self.top_keep:
            heapq.heappush(self._top, entry)
        elif entry > self._top[0]:
            heapq.heapreplace(self._top, entry)

    def _add_report(self, report: dict[str, Any], record: dict[str, Any], row: ModelRow) -> None:
        self.linted += 1
        policy = report.get("policy")
        if isinstance(policy, dict):
            self.policies[f"{_text(policy.get('id'))} {_text(policy.get('version'))}".strip()] += 1
        self.thresholds[_text(report.get("fail_on")) or "unknown"] += 1
        self.versions[_text(report.get("g7lint_version")) or "unknown"] += 1
        applicable = passed = 0
        requirements = report.get("requirements")
        for requirement in requirements if isinstance(requirements, list) else []:
            if not isinstance(requirement, dict):
                continue
            rid, state = requirement.get("id"), requirement.get("status")
            if not isinstance(rid, str) or not rid or state not in ("pass", "fail"):
                continue
            action = requirement.get("principle")
            action = action if isinstance(action, int) and not isinstance(action, bool) and 0 <= action <= 11 else 0
            self.requirement_principle.setdefault(rid, action)
            tally = self.requirements.setdefault(rid, Tally())
            principle = self.principles.setdefault(action, Tally())
            tally.applicable += 1
            principle.applicable += 1
            applicable += 1
            row.statuses[rid] = state
            if state == "pass":
                tally.passed += 1
                principle.passed += 1
                passed += 1
            else:
                self.failing[rid] += 1
        coverage = passed / applicable if applicable else 0.0
        row.coverage = coverage
        row.passed = bool(report.get("passed"))
        self.cards_passed += row.passed
        self.coverage_histogram[min(int(coverage * COVERAGE_BINS), COVERAGE_BINS - 1)] += 1
        for key, groups in ((row.pipeline_tag or "(none)", self.by_pipeline), (_year(record), self.by_year)):
            group = groups.setdefault(key, GroupTally())
            group.cards += 1
            group.coverage_sum += coverage
            group.passed += row.passed

    def top_models(self, count: int | None = None) -> list[ModelRow]:
        """Models by downloads, most first (at most ``top_keep`` are kept)."""
        rows = [row for _, _, row in sorted(self._top, reverse=True)]
        return rows if count is None else rows[:count]

    def rates_for_top(self, count: int) -> dict[str, float]:
        """Pass rate per requirement among the ``count`` most downloaded linted models."""
        tallies: dict[str, Tally] = {}
        for row in [r for r in self.top_models() if r.status == "ok"][:count]:
            for rid, state in row.statuses.items():
                tally = tallies.setdefault(rid, Tally())
                tally.applicable += 1
                tally.passed += state == "pass"
        return {rid: tally.rate for rid, tally in tallies.items()}

    @property
    def cuts(self) -> list[int]:
        """The top-N cuts worth showing: a cut as large as the scan says nothing new."""
        return [cut for cut in TOP_CUTS if cut < self.linted]

    @property
    def all_rates(self) -> dict[str, float]:
        return {rid: tally.rate for rid, tally in self.requirements.items()}


def _count(value: Any) -> int:
    """A download or like count from a results line, whatever the line holds (0 if it is not a count)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and math.isfinite(value):
        return max(int(value), 0)
    return 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _year(record: dict[str, Any]) -> str:
    created = record.get("created_at")
    return str(created)[:4] if created and str(created)[:4].isdigit() else "unknown"


def iter_results(path: Path) -> Iterable[dict[str, Any]]:
    """The records of a JSONL results file (the latest per model: a ``--resume`` appends the new
    attempt of a model that failed), or of a ``check --format json`` document; torn lines are
    yielded as an ``unreadable_line`` status, to be counted.

    Raises:
        G7lintError: the file cannot be read, or is a JSON document that is not a g7lint report.
    """
    lines = result_lines(path)
    first = next(lines, None)
    if first is None:
        return
    if first[1].strip() == "{":  # a 'g7lint check --format json' document, not JSONL
        yield from _from_check_document(path, first[1] + "".join(line for _, line in lines))
        return
    keep = latest_lines(path)
    for number, line in itertools.chain([first], lines):
        if not line.strip() or number not in keep:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield {"status": TORN}  # a line torn by a killed scan or a full disk: counted, not fatal
            continue
        if isinstance(record, dict):
            yield record


def _from_check_document(path: Path, text: str) -> Iterable[dict[str, Any]]:
    try:
        document = json.loads(text)
    except ValueError:
        raise G7lintError(f"{path}: neither JSONL results nor a g7lint JSON report") from None
    for report in document.get("reports", []) if isinstance(document, dict) else []:
        yield {"id": report.get("path", ""), "status": "ok", "report": report}


#: The status counted for a results line that is not JSON.
TORN = "unreadable_line"


def summarise(path: Path) -> ScanSummary:
    """Aggregate a results file, counting each model once, by its latest line."""
    summary = ScanSummary()
    for record in iter_results(path):
        if record.get("status") == TORN:
            summary.unreadable_lines += 1
            continue
        summary.add(record)
    if summary.records == 0:
        torn = f" ({summary.unreadable_lines} unreadable line(s))" if summary.unreadable_lines else ""
        raise G7lintError(f"{path}: no results to report on{torn}")
    summary.written = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.timezone.utc).date().isoformat()
    return summary
