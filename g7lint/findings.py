"""The typed results every output format renders from.

All are frozen dataclasses that pydantic validates and serialises at the
boundary (:mod:`g7lint.datamodel`), so rendering text never imports it;
lines and columns are 1-based. The JSON form (``Report.model_dump_json()``)
is documented by ``schemas/report.schema.json``, generated from these classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from g7lint._version import __version__
from g7lint.datamodel import Record

REPORT_SCHEMA_VERSION = 1


class Severity(str, Enum):
    """How much a finding matters; ``fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:  # 'warning', not 'Severity.WARNING', in f-strings and print()
        return self.value


#: The lowest severity that fails a card, or ``never``: no finding fails it.
FailOn = Severity | Literal["never"]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _version() -> str:
    return __version__


@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence(Record):
    """Where a requirement was found satisfied (or nearly)."""

    kind: Literal["metadata", "section", "statement"]
    line: int = field(metadata={"ge": 1})
    column: int = field(metadata={"ge": 1})
    excerpt: str = field(metadata={"description": "A short quote of the card text or metadata value."})
    location: str = field(metadata={"description": "The metadata key or the heading the evidence sits under."})


@dataclass(frozen=True, kw_only=True, slots=True)
class Suppression(Record):
    kind: Literal["in-source", "config"]
    justification: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding(Record):
    """One problem g7lint found in one card."""

    code: str = field(metadata={"description": "Stable rule code, e.g. G70303."})
    name: str = field(metadata={"description": "Stable rule name, e.g. limitations."})
    principle: int = field(
        metadata={"ge": 0, "le": 11, "description": "G7 Code of Conduct action number (0: card format)."}
    )
    severity: Severity
    message: str
    path: str
    line: int = field(metadata={"ge": 1})
    column: int = field(metadata={"ge": 1})
    evidence: tuple[Evidence, ...] = ()
    looked_for: str = ""
    fix: str = ""
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class RequirementResult(Record):
    """The verdict on one requirement of the policy for one card."""

    id: str
    code: str
    principle: int
    title: str
    severity: Severity
    status: Literal["pass", "fail", "not_applicable", "not_selected"] = field(
        metadata={
            "description": "not_applicable: the requirement does not apply to this model; "
            "not_selected: the run left it out."
        }
    )
    evidence: tuple[Evidence, ...] = ()
    looked_for: str = ""
    near_miss: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyRef(Record):
    id: str
    version: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Report(Record):
    """Everything g7lint concluded about one card.

    ``passed`` is true when no unsuppressed finding reaches ``fail_on``, the
    threshold applied (the caller's, else the policy's); always true when it
    is ``never``. It is the one verdict: the CLI's exit code follows it.
    """

    schema_version: int = REPORT_SCHEMA_VERSION
    g7lint_version: str
    path: str
    policy: PolicyRef
    passed: bool
    fail_on: FailOn
    generative: bool | None = field(
        metadata={"description": "Whether the card describes a model that generates content (None: cannot tell)."}
    )
    requirements: tuple[RequirementResult, ...]
    findings: tuple[Finding, ...]

    def requirement(self, requirement_id: str) -> RequirementResult:
        for result in self.requirements:
            if result.id == requirement_id:
                return result
        raise KeyError(requirement_id)


@dataclass(frozen=True, kw_only=True, slots=True)
class LintRun(Record):
    """What ``g7lint check --format json`` prints: one report per card."""

    schema_version: int = REPORT_SCHEMA_VERSION
    g7lint_version: str = field(default_factory=_version)  # keeps the version out of the schema
    reports: tuple[Report, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one card without the report: its verdict, each requirement's status and
    the failing rules. Small and picklable, for batch runs over many cards.

    ``error`` is set (and ``passed`` False) when the card could not be linted
    at all, e.g. a value that is neither text nor bytes.
    """

    path: str
    passed: bool
    statuses: dict[str, str]  # requirement id -> pass, fail, not_applicable, not_selected
    failed_rules: tuple[str, ...] = ()  # codes of unsuppressed findings at or above fail-on, in card order
    error: str = ""

    @classmethod
    def of(cls, report: Report) -> Verdict:
        threshold = report.fail_on
        failing: tuple[str, ...] = ()
        if isinstance(threshold, Severity):
            blocking = (f.code for f in report.findings if not f.suppressed and f.severity.rank >= threshold.rank)
            failing = tuple(dict.fromkeys(blocking))
        statuses: dict[str, str] = {result.id: result.status for result in report.requirements}
        return cls(report.path, report.passed, statuses, failing)
