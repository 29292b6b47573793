"""From a card's verdicts to the documents providers file: the OECD HAIP report and the EU
Model Documentation Form, drafted from the card's own evidence.

A framework is data (``schemas/frameworks/<id>.yaml``, validated by the generated
``schemas/framework.schema.json``): its sections and fields in its own order and
wording, each field naming the requirements whose evidence answers it, or marked
``organisational`` (a question no card can answer: board oversight, staff
training) or ``unchecked`` (a card can say it, g7lint does not check it yet).
The draft never holds text the card does not contain: an evidenced field cites
the line, column and excerpt the requirements found; a missing one says what to
add (the requirement's fix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from g7lint._version import __version__
from g7lint.datamodel import Record
from g7lint.errors import G7lintError
from g7lint.findings import Evidence, Report, RequirementResult
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy
from g7lint.resources import schemas_dir

CROSSWALK_SCHEMA_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class FrameworkField(Record):
    """One question of a framework, and what in a card answers it."""

    id: str
    title: str = field(metadata={"description": "The framework's wording (or a close paraphrase where noted)."})
    requirements: list[str] = field(
        default_factory=list, metadata={"description": "Requirement ids whose evidence answers it."}
    )
    organisational: bool = field(
        default=False, metadata={"description": "A question about the organisation a card cannot answer."}
    )
    unchecked: str = field(
        default="", metadata={"description": "Where a card says this, when g7lint has no requirement for it."}
    )

    def __post_init__(self) -> None:
        kinds = bool(self.requirements) + self.organisational + bool(self.unchecked)
        if kinds != 1:
            raise ValueError(f"field {self.id}: give exactly one of requirements, organisational, unchecked")


@dataclass(frozen=True, kw_only=True)
class FrameworkSection(Record):
    id: str
    title: str
    fields: list[FrameworkField] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class Framework(Record):
    """A reporting framework as a model card can answer it."""

    id: str
    title: str
    version: str
    source: str = field(metadata={"description": "Where the framework is published."})
    sections: list[FrameworkSection] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class FieldEvidence(Record):
    requirement: str
    kind: Literal["metadata", "section", "statement"]
    line: int
    column: int
    excerpt: str
    location: str


@dataclass(frozen=True, kw_only=True)
class FieldResult(Record):
    id: str
    title: str
    status: Literal["evidenced", "missing", "organisational", "unchecked", "not_applicable"]
    evidence: tuple[FieldEvidence, ...] = ()
    missing: tuple[str, ...] = field(
        default=(), metadata={"description": "What the card would need: the requirements' fixes."}
    )
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SectionResult(Record):
    id: str
    title: str
    fields: tuple[FieldResult, ...]


@dataclass(frozen=True, kw_only=True)
class Crosswalk(Record):
    """A framework's document skeleton, filled from one card's evidence."""

    schema_version: int = CROSSWALK_SCHEMA_VERSION
    g7lint_version: str = __version__
    framework: str
    framework_title: str
    framework_version: str
    framework_source: str
    card: str
    sections: tuple[SectionResult, ...]


def framework_names() -> list[str]:
    return sorted(path.stem for path in (schemas_dir() / "frameworks").glob("*.yaml"))


def load_framework(name: str) -> Framework:
    """A shipped framework by id (``oecd-haip``, ``eu-gpai-mdf``).

    Raises:
        G7lintError: no such framework, or its file is invalid.
    """
    if name not in framework_names():
        raise G7lintError(f"unknown framework '{name}' (known: {', '.join(framework_names())})")
    return _shipped_frameworks()[name]


@lru_cache(maxsize=1)
def _shipped_frameworks() -> dict[str, Framework]:
    """Every shipped framework, validated once and then read from the cache as the policy is."""
    from g7lint.policy import cache

    key = cache.shipped_key()
    cached = cache.load(key, "frameworks")
    if isinstance(cached, dict) and all(isinstance(item, Framework) for item in cached.values()):
        return cached
    frameworks = {name: _validated(framework_file(name)) for name in framework_names()}
    cache.store(key, frameworks, "frameworks")
    return frameworks


def _validated(path: Path) -> Framework:
    import yaml
    from pydantic import ValidationError

    try:
        return Framework.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise G7lintError(f"{path}: invalid framework: {str(exc).splitlines()[0]}") from None


@lru_cache(maxsize=64)
def fields_answered_by(requirement_id: str) -> tuple[tuple[Framework, FrameworkSection, FrameworkField], ...]:
    """Every framework field the evidence of ``requirement_id`` answers, framework by framework."""
    return tuple(
        (framework, section, question)
        for framework in map(load_framework, framework_names())
        for section in framework.sections
        for question in section.fields
        if requirement_id in question.requirements
    )


def crosswalk(report: Report, framework: str | Framework = "oecd-haip", policy: Policy | None = None) -> Crosswalk:
    """Draft ``framework``'s document from ``report``, a card's verdicts (see :func:`g7lint.lint_file`).

    ``policy`` supplies the fixes quoted for missing fields; by default the
    policy the report names, if it is a shipped one.

    Example:
        >>> draft = g7lint.crosswalk(g7lint.lint_file("README.md"), "eu-gpai-mdf")
        >>> draft.sections[0].title
        'General information'
    """
    chosen = load_framework(framework) if isinstance(framework, str) else framework
    fixes = {r.id: r.fix for r in _policy_for(report, policy).requirements}
    results = {result.id: result for result in report.requirements}
    sections = []
    for section in chosen.sections:
        fields = tuple(_field(item, results, fixes) for item in section.fields)
        sections.append(SectionResult(id=section.id, title=section.title, fields=fields))
    return Crosswalk(
        framework=chosen.id,
        framework_title=chosen.title,
        framework_version=chosen.version,
        framework_source=chosen.source,
        card=report.path,
        sections=tuple(sections),
    )


def _policy_for(report: Report, policy: Policy | None) -> Policy:
    if policy is not None:
        return policy
    try:
        return load_policy(report.policy.id)
    except G7lintError:
        return load_policy()  # a user's policy by id only: the shipped fixes are the best guide


def _field(item: FrameworkField, results: dict[str, RequirementResult], fixes: dict[str, str]) -> FieldResult:
    if item.organisational:
        note = "a question about the organisation, not the model: answer it outside the card"
        return FieldResult(id=item.id, title=item.title, status="organisational", note=note)
    if item.unchecked:
        note = f"g7lint does not check this; a card says it in {item.unchecked}"
        return FieldResult(id=item.id, title=item.title, status="unchecked", note=note)
    evidence: list[FieldEvidence] = []
    missing: list[str] = []
    applicable = False
    for requirement_id in item.requirements:
        result = results.get(requirement_id)
        if result is None or result.status in ("not_applicable", "not_selected"):
            continue
        applicable = True
        if result.status == "pass":
            evidence.extend(_cite(requirement_id, found) for found in result.evidence)
        else:
            missing.append(fixes.get(requirement_id) or f"evidence for {requirement_id}")
    if not applicable:
        return FieldResult(
            id=item.id, title=item.title, status="not_applicable", note="its requirements do not apply to this model"
        )
    if evidence:
        return FieldResult(
            id=item.id, title=item.title, status="evidenced", evidence=tuple(evidence), missing=tuple(missing)
        )
    return FieldResult(id=item.id, title=item.title, status="missing", missing=tuple(missing))


def _cite(requirement_id: str, evidence: Evidence) -> FieldEvidence:
    return FieldEvidence(
        requirement=requirement_id,
        kind=evidence.kind,
        line=evidence.line,
        column=evidence.column,
        excerpt=evidence.excerpt,
        location=evidence.location,
    )


def render_markdown(draft: Crosswalk) -> str:
    """The draft as Markdown, in the framework's order: evidence cited by line, gaps with what to add."""
    from g7lint.safe_text import printable

    out = [
        f"# {draft.framework_title}",
        "",
        f"Drafted by g7lint {draft.g7lint_version} from `{printable(draft.card)}`, framework version "
        f"{draft.framework_version} ({draft.framework_source}). Every answer below quotes the card; "
        "review and complete it before filing.",
        "",
    ]
    for section in draft.sections:
        out += [f"## {section.id}. {section.title}", ""]
        for answer in section.fields:
            out.append(f"### {answer.id} {answer.title}")
            out.append("")
            out.append(f"*{answer.status.replace('_', ' ')}*" + (f": {answer.note}" if answer.note else ""))
            for found in answer.evidence:
                quote = printable(found.excerpt)
                out.append(f"- line {found.line}, column {found.column} ({found.requirement}): “{quote}”")
            for fix in answer.missing:
                out.append(f"- to add: {printable(fix)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def framework_file(name: str) -> Path:
    return schemas_dir() / "frameworks" / f"{name}.yaml"
