"""The public API and the JSON report contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from huggingface_hub import ModelCard, ModelCardData
from jsonschema import Draft202012Validator

import g7lint
from tests.conftest import CARDS, REQUIRED_IDS

TEMPLATE_FAILS = (
    "intended-use",
    "out-of-scope-use",
    "limitations",
    "evaluation-results",
    "risk-evaluation",
    "training-data",
)


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


def test_passes_cite_the_line_that_holds_the_evidence(root: Path) -> None:
    path = root / "examples" / "model-card.md"
    lines = path.read_text().splitlines()
    report = g7lint.lint_file(path)
    cited = [evidence for result in report.requirements for evidence in result.evidence]
    assert len(cited) >= 12  # the example passes every requirement, most with more than one piece of evidence
    for evidence in cited:
        assert 1 <= evidence.line <= len(lines) and evidence.excerpt
        line = lines[evidence.line - 1]
        if evidence.kind == "metadata":
            assert line.startswith(evidence.location), (evidence, line)
        elif evidence.kind == "section":
            assert evidence.location in line, (evidence, line)
        else:
            # A sentence may start on an earlier line of a wrapped paragraph: the cited line must
            # hold some of the excerpt (three words in a row), the match itself.
            words = [w.strip("*_`") for w in evidence.excerpt.strip("…").split()]
            window = " ".join(" ".join(lines[evidence.line - 1 : evidence.line + 2]).split())
            window = window.replace("*", "").replace("`", "")
            runs = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))]
            assert any(run in window for run in runs), (evidence, window)


def test_statement_evidence_points_at_the_words() -> None:
    text = "# Model\n\nSome intro.\n\nIt was trained on news, and it may produce biased text about groups.\n"
    evidence = g7lint.lint_text(text).requirement("limitations").evidence[0]
    assert (evidence.kind, evidence.line) == ("statement", 5)
    line = text.splitlines()[4]
    assert line[evidence.column - 1 :].lower().startswith("may produce")


@pytest.mark.parametrize(
    "gap",
    [" ", "\n", "\n   ", "\u00a0", "\t", " \u200b", "-", "\u2011", "\u2010"],
    ids=["space", "wrapped", "indented", "no-break-space", "tab", "zero-width", "hyphen", "nb-hyphen", "u2010"],
)
def test_a_statement_spelled_with_odd_spaces_or_hyphens_is_found_where_it_starts(gap: str) -> None:
    # Cards wrap prose at a fixed width and paste in typographic spaces and hyphens: a statement
    # that straddles them says the same thing.
    text = f"# Model\n\nSome intro.\n\nBefore release we conducted red{gap}teaming of the chat model.\n"
    evidence = g7lint.lint_text(text).requirement("risk-evaluation").evidence
    assert [(e.kind, e.line) for e in evidence] == [("statement", 5)]
    assert text.splitlines()[4][evidence[0].column - 1 :].startswith("red")


def test_limitation_under_an_unusual_heading_and_in_prose() -> None:
    unusual = "# M\n\n## Things to keep in mind\n\nThe model struggles with sarcasm and long documents.\n"
    assert g7lint.lint_text(unusual).requirement("limitations").status == "pass"


def test_a_short_label_ending_in_a_colon_heads_the_list_after_it() -> None:
    items = "- hallucinated citations\n- weak arithmetic\n- repetition in long outputs\n"
    for lead in ("Known issues:", "Limitations:"):
        text = f"# M\n\n## Details\n\nA chat model.\n\n{lead}\n\n{items}"
        evidence = g7lint.lint_text(text).requirement("limitations").evidence
        assert [(e.kind, e.location) for e in evidence] == [("section", lead)]
    # The same list under a label that names no limitation is no evidence.
    text = f"# M\n\n## Details\n\nA chat model.\n\nFeatures:\n\n{items}"
    assert g7lint.lint_text(text).requirement("limitations").status == "fail"


def test_placeholder_section_is_not_evidence() -> None:
    text = (
        "---\nlicense: mit\n---\n# M\n\n## Limitations\n\n[More Information Needed] TODO: coming soon.\n"
        "More information needed. To be added later.\n\n## Uses\n\nTODO TBD ___ [Insert your use cases here]\n"
    )
    report = g7lint.lint_text(text)
    assert report.requirement("limitations").status == "fail"
    assert report.requirement("intended-use").status == "fail"


def test_license_other_needs_a_name_or_link() -> None:
    """'other' only says the licence is not one of the Hub's ids; it does not say which one."""
    bare = g7lint.lint_text("---\nlicense: other\n---\n# M\n\nA model.\n")
    named = g7lint.lint_text("---\nlicense: other\nlicense_name: acme-model-licence\n---\n# M\n")
    assert bare.requirement("license").status == "fail"
    assert named.requirement("license").status == "pass"


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


TRAINER_CARD = """---
license: apache-2.0
base_model: distilbert-base-uncased
tags:
- generated_from_trainer
model-index:
- name: my-model
  results: []
---

<!-- This model card has been generated automatically according to the information the Trainer had access to. You
should probably proofread and complete it, then remove this comment. -->

# my-model

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the None dataset.

## Model description

More information needed

## Intended uses & limitations

More information needed

## Training and evaluation data

More information needed

## Training procedure

### Training hyperparameters

- learning_rate: 2e-05
- num_epochs: 3
"""

GUIDANCE_TEMPLATE = """# {Model Name} Model Card

## Intended Use

_This section goes into more detail about why the model was built and who it was for._

**Intended Users:** _Describe who the model is intended for._

**Use cases out of scope:** _Describe any potential use cases out of scope._

## Limitations

_Known limitations of the model, e.g. it may produce incorrect results on data unlike its training data._

## Data

**Data Overview:** _A brief overview of where the data comes from, e.g. trained on 10,000 clinical notes._
"""


@pytest.mark.parametrize("card", ["llm-jp-template.md", "pythainlp-template.md"])
def test_organisations_unfilled_templates_pass_no_requirement(root: Path, card: str) -> None:
    report = g7lint.lint_file(root / "tests" / "cards" / "corpus" / card)
    assert [r.id for r in report.requirements if r.status == "pass"] == []


def test_hub_default_template_passes_no_requirement() -> None:
    from huggingface_hub import ModelCard, ModelCardData

    report = g7lint.lint_card(ModelCard.from_template(ModelCardData()))
    assert [r.id for r in report.requirements if r.status == "pass"] == []


@pytest.mark.parametrize("text", [TRAINER_CARD, GUIDANCE_TEMPLATE], ids=["trainer", "guidance-template"])
def test_no_false_pass_on_unfilled_templates(text: str) -> None:
    report = g7lint.lint_text(text)
    content = ("intended-use", "out-of-scope-use", "limitations", "evaluation-results", "training-data")
    passed = [r.id for r in report.requirements if r.id in content and r.status == "pass"]
    assert passed == []
    assert not report.passed


def test_trainer_card_keeps_its_real_metadata_evidence() -> None:
    report = g7lint.lint_text(TRAINER_CARD)
    assert report.requirement("model-lineage").status == "pass"
    assert report.requirement("license").status == "pass"
    assert "placeholder" in report.requirement("intended-use").near_miss


def test_guidance_template_is_reported_as_a_template() -> None:
    report = g7lint.lint_text(GUIDANCE_TEMPLATE)
    templates = [f for f in report.findings if f.name == "unfilled-template"]
    assert templates and templates[0].line == 1
    assert "unfilled template" in report.requirement("limitations").near_miss


def test_severities_print_as_their_names() -> None:
    report = g7lint.lint_text("# Model\n")
    assert {f"{finding.severity}" for finding in report.findings} <= {"error", "warning", "info"}
    assert str(g7lint.Severity.WARNING) == "warning"


def test_rule_options_take_strings_and_reject_nonsense() -> None:
    from g7lint.engine import RuleOptions

    strict = g7lint.lint_text("---\nlicense: mit\n---\n# Model\n", options=RuleOptions(fail_on="info"))
    lenient = g7lint.lint_text("---\nlicense: mit\n---\n# Model\n", options=RuleOptions(fail_on="never"))
    assert strict.fail_on == "info" and not strict.passed
    assert lenient.fail_on == "never" and lenient.passed
    with pytest.raises(g7lint.G7lintError, match="fail-on must be"):
        RuleOptions(fail_on="sometimes")


def test_select_ignore_and_fail_on_keywords_work_like_the_command_line(root: Path) -> None:
    card = root / "examples" / "template-card.md"
    only_action_3 = g7lint.lint_file(card, select=["G703"])
    statuses = {r.id: r.status for r in only_action_3.requirements}
    assert statuses["limitations"] == "fail" and statuses["risk-evaluation"] == "not_selected"
    without = g7lint.lint_file(card, ignore=["limitations", "G711"])
    assert without.requirement("limitations").status == "not_selected"
    assert without.requirement("training-data").status == "not_selected"
    assert g7lint.lint_file(card, fail_on="never").passed
    with pytest.raises(g7lint.G7lintError, match="unknown rule"):
        g7lint.lint_file(card, select=["no-such-rule"])
    with pytest.raises(g7lint.G7lintError, match="not both"):
        g7lint.lint_file(card, select=["G703"], options=g7lint.RuleOptions())


def test_a_section_is_preferred_to_a_passing_mention(root: Path) -> None:
    """The shipped example has a 'Societal benefit' section: that is the evidence to cite, not a stray word."""
    evidence = g7lint.lint_file(root / "examples" / "model-card.md").requirement("societal-benefit").evidence[0]
    assert evidence.kind == "section" and evidence.location == "Societal benefit"


def test_linting_a_plain_card_imports_neither_pyyaml_nor_pathspec_nor_pydantic(tmp_path: Path) -> None:
    """Start-up time: the core builds plain YAML itself, a named file needs no ignore rules, and
    the report is plain dataclasses until something asks for JSON or validation."""
    import subprocess
    import sys

    script = (
        "import sys, g7lint\n"
        "report = g7lint.lint_text('---\\nlicense: mit\\ntags: [a, b]\\n---\\n# M\\n\\nText.\\n')\n"
        "assert report.requirement('license').status == 'pass'\n"
        "print(sorted(name for name in ('yaml', 'pathspec', 'pydantic') if name in sys.modules))\n"
    )
    env = {**os.environ, "G7LINT_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run fills the policy cache, validating the policy with pydantic
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"


def test_a_report_survives_json_and_its_field_constraints_still_hold() -> None:
    """The dataclasses carry pydantic's constraints in their field metadata: a report read back from
    its JSON equals the original, and a line number below 1 is refused on the way in."""
    import json

    from pydantic import ValidationError

    report = g7lint.lint_text("---\nlicense: mit\n---\n# M\n\nTrained on Wikipedia.\n", path="card.md")
    text = report.model_dump_json()
    assert g7lint.Report.model_validate_json(text) == report
    document = json.loads(text)
    document["findings"][0]["line"] = 0
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        g7lint.Report.model_validate(document)
    document["findings"][0]["line"] = 1
    document["surplus"] = True
    with pytest.raises(ValidationError):
        g7lint.Report.model_validate(document)
