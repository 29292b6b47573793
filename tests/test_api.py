"""The public API and the JSON report contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huggingface_hub import ModelCard, ModelCardData
from jsonschema import Draft202012Validator

import g7lint
from tests.conftest import CARDS, REQUIRED_IDS

TEMPLATE_FAILS = ("intended-use", "out-of-scope-use", "limitations", "evaluation-results", "risk-evaluation", "training-data")


def _all_cards(root: Path) -> list[Path]:
    return [*sorted((root / "examples").glob("*.md")), *sorted((CARDS / "corpus").glob("*-*.md"))]


def test_every_required_id_in_every_report(root: Path) -> None:
    cards = _all_cards(root)
    assert len(cards) >= 5
    for path in cards:
        report = json.loads(g7lint.lint_file(path).model_dump_json())
        statuses = {r["id"]: r["status"] for r in report["requirements"]}
        assert set(REQUIRED_IDS) <= set(statuses), path
        assert set(statuses.values()) <= {"pass", "fail", "not_applicable"}


def test_hub_default_template_fails_the_core_requirements() -> None:
    pytest.importorskip("jinja2")
    card = ModelCard.from_template(ModelCardData())
    report = g7lint.lint_card(card)
    assert not report.passed
    for requirement_id in TEMPLATE_FAILS:
        result = report.requirement(requirement_id)
        assert result.status == "fail", requirement_id
        assert not result.evidence


def test_template_near_miss_names_the_placeholder_heading() -> None:
    pytest.importorskip("jinja2")
    report = g7lint.lint_card(ModelCard.from_template(ModelCardData()))
    near_miss = report.requirement("limitations").near_miss
    assert "Bias, Risks, and Limitations" in near_miss and "placeholder" in near_miss


def test_shipped_examples(root: Path) -> None:
    assert g7lint.lint_file(root / "examples" / "model-card.md").passed
    template = g7lint.lint_file(root / "examples" / "template-card.md")
    assert not template.passed
    assert all(template.requirement(r).status == "fail" for r in TEMPLATE_FAILS)


def test_passes_cite_line_and_excerpt(root: Path) -> None:
    path = root / "examples" / "model-card.md"
    lines = path.read_text().splitlines()
    report = g7lint.lint_file(path)
    for result in report.requirements:
        for evidence in result.evidence:
            assert 1 <= evidence.line <= len(lines)
            assert evidence.excerpt


def test_statement_evidence_points_at_the_words() -> None:
    text = "# Model\n\nSome intro.\n\nIt was trained on news, and it may produce biased text about groups.\n"
    evidence = g7lint.lint_text(text).requirement("limitations").evidence[0]
    assert (evidence.kind, evidence.line) == ("statement", 5)
    line = text.splitlines()[4]
    assert line[evidence.column - 1 :].lower().startswith("may produce")


def test_limitation_under_an_unusual_heading_and_in_prose() -> None:
    unusual = "# M\n\n## Things to keep in mind\n\nThe model struggles with sarcasm and long documents.\n"
    assert g7lint.lint_text(unusual).requirement("limitations").status == "pass"


def test_placeholder_section_is_not_evidence() -> None:
    text = "---\nlicense: mit\n---\n# M\n\n## Limitations\n\n[More Information Needed]\n\n## Uses\n\nTODO\n"
    report = g7lint.lint_text(text)
    assert report.requirement("limitations").status == "fail"
    assert report.requirement("intended-use").status == "fail"


def test_content_provenance_applicability() -> None:
    classifier = g7lint.lint_text("---\npipeline_tag: text-classification\n---\n# M\n")
    generator = g7lint.lint_text("---\npipeline_tag: text-to-image\n---\n# M\n")
    assert classifier.requirement("content-provenance").status == "not_applicable"
    assert generator.requirement("content-provenance").status == "fail"
    assert generator.generative is True and classifier.generative is False


def test_report_json_validates_against_the_shipped_schema(root: Path) -> None:
    schema = json.loads((root / "schemas" / "report.schema.json").read_text())
    run = g7lint.findings.LintRun(reports=tuple(g7lint.lint_file(p) for p in _all_cards(root)))
    assert list(Draft202012Validator(schema).iter_errors(json.loads(run.model_dump_json()))) == []


def test_findings_are_frozen() -> None:
    finding = g7lint.lint_text("# M\n").findings[0]
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen error type is internal
        finding.line = 3  # type: ignore[misc]


def test_rule_crash_becomes_a_finding_and_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from g7lint import engine

    real = engine.find_evidence

    def broken(compiled, policy, prose):  # type: ignore[no-untyped-def]
        if compiled.requirement.id == "limitations":
            raise RuntimeError("boom")
        return real(compiled, policy, prose)

    monkeypatch.setattr(engine, "find_evidence", broken)
    report = g7lint.lint_text("---\nlicense: mit\n---\n# M\n")
    crashes = [f for f in report.findings if f.code == "G70009"]
    assert crashes and "limitations" in crashes[0].message and "boom" in crashes[0].message
    assert report.requirement("limitations").status == "fail"
    assert report.requirement("license").status == "pass"
