"""Crosswalk drafts: every framework field answered from the card's own evidence, or said to be missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

import g7lint
from g7lint.cli import main
from g7lint.frameworks import Framework, framework_file, framework_names, load_framework

ROOT = Path(__file__).resolve().parent.parent
PHI4 = ROOT / "tests" / "cards" / "corpus" / "docker-phi4.md"
TEMPLATE = ROOT / "examples" / "template-card.md"
SECTIONS = {"oecd-haip": 7, "eu-gpai-mdf": 8}


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_framework_file_is_valid_and_maps_every_field(name: str) -> None:
    assert name in framework_names()
    framework = Framework.model_validate(yaml.safe_load(framework_file(name).read_text()))
    assert len(framework.sections) == SECTIONS[name]
    known = {requirement.id for requirement in g7lint.load_policy().requirements}
    for section in framework.sections:
        for field in section.fields:
            assert set(field.requirements) <= known, (field.id, field.requirements)


def test_a_framework_field_must_say_how_it_is_answered() -> None:
    from pydantic import ValidationError

    from g7lint.frameworks import FrameworkField

    with pytest.raises(ValidationError, match="exactly one of"):  # as a framework file is read
        FrameworkField.model_validate({"id": "9.9", "title": "Nothing maps this"})
    with pytest.raises(ValueError, match="exactly one of"):  # and as code builds one
        FrameworkField(id="9.9", title="Two ways", requirements=["license"], organisational=True)


def test_framework_schema_validates_the_framework_files() -> None:
    schema = json.loads((ROOT / "schemas" / "framework.schema.json").read_text())
    for name in SECTIONS:
        assert list(Draft202012Validator(schema).iter_errors(yaml.safe_load(framework_file(name).read_text()))) == []


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_a_real_card_is_evidenced_with_lines_that_hold_the_quote(name: str) -> None:
    report = g7lint.lint_file(PHI4)
    draft = g7lint.crosswalk(report, name)
    lines = PHI4.read_text().splitlines()
    fields = [field for section in draft.sections for field in section.fields]
    assert sum(field.status == "evidenced" for field in fields) >= 3
    statuses = {result.id: result.status for result in report.requirements}
    for declared in (field for section in load_framework(name).sections for field in section.fields):
        if declared.requirements:  # evidenced exactly when one of its requirements passed
            drafted = next(field for field in fields if field.id == declared.id)
            passed = any(statuses[rid] == "pass" for rid in declared.requirements)
            assert (drafted.status == "evidenced") == passed, declared.id
    for field in fields:
        if field.status == "missing":
            assert field.missing and not field.evidence
        for found in field.evidence:
            window = " ".join(" ".join(lines[found.line - 1 : found.line + 2]).split()).replace("*", "")
            if found.kind in ("metadata", "section"):
                assert found.location in window, (field.id, found)
            else:
                words = " ".join(found.excerpt.strip("…").split()[:3]).strip("*_`")
                assert words in window, (field.id, found)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_an_unfilled_template_evidences_nothing(name: str) -> None:
    from huggingface_hub import ModelCard, ModelCardData

    for report in (g7lint.lint_file(TEMPLATE), g7lint.lint_card(ModelCard.from_template(ModelCardData()))):
        draft = g7lint.crosswalk(report, name)
        assert not [f.id for s in draft.sections for f in s.fields if f.status == "evidenced"]


def test_json_output_follows_its_schema_and_markdown_keeps_the_framework_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mdf.json"
    assert main(["crosswalk", str(PHI4), "--to", "eu-gpai-mdf", "--format", "json", "--output", str(out)]) == 0
    schema = json.loads((ROOT / "schemas" / "crosswalk.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(json.loads(out.read_text()))) == []
    assert main(["crosswalk", str(PHI4), "--to", "oecd-haip"]) == 0
    text = capsys.readouterr().out
    titles = [section.title for section in load_framework("oecd-haip").sections]
    positions = [text.index(f"## {number}. {title}") for number, title in enumerate(titles, start=1)]
    assert positions == sorted(positions)


def test_bad_crosswalk_input_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crosswalk", str(PHI4), "--to", "iso-99999"]) == 2
    assert "known: eu-gpai-mdf, oecd-haip" in capsys.readouterr().err
    assert main(["crosswalk", str(tmp_path / "absent.md"), "--to", "oecd-haip"]) == 2
    assert "no such card" in capsys.readouterr().err


def test_the_html_page_of_a_card_links_requirements_to_framework_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PHI4), "--format", "html"]) in (0, 1)
    page = capsys.readouterr().out
    row = next(part for part in page.split("<tr>") if "<code>intended-use</code>" in part)
    assert "MDF 4.2" in row and "HAIP 3.a" in row
