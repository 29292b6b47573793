"""The shipped policy: valid, complete, and every rule proven by its own examples."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import g7lint
from g7lint.errors import PolicyError
from g7lint.policy.loader import load_policy, read_merged_policy
from tests.conftest import REQUIRED_IDS

POLICY = load_policy()
RULES = POLICY.all_rules()


def _lint_example(text: str, encoding: str, max_bytes: int | None) -> g7lint.Report:
    data = text.encode("utf-8") if encoding == "utf-8" else codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    return g7lint.lint_bytes(data, "example.md", **kwargs)


def test_shipped_policy_validates_against_its_json_schema(root: Path) -> None:
    """The policy with its per-requirement files read in is what the schema describes."""
    schema = json.loads((root / "schemas" / "policy.schema.json").read_text())
    data = read_merged_policy(root / "schemas" / "g7-hiroshima-2023.yaml")
    assert len(data["requirements"]) == len(POLICY.requirements)
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == []


def test_each_requirement_file_validates_against_the_requirement_schema(root: Path) -> None:
    import yaml

    schema = json.loads((root / "schemas" / "requirement.schema.json").read_text())
    files = sorted((root / "schemas" / "g7-hiroshima-2023").glob("*.yaml"))
    requirement_files = [path for path in files if path.name not in ("placeholders.yaml", "pointers.yaml")]
    assert len(requirement_files) == len(POLICY.requirements)
    for path in requirement_files:
        errors = list(Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], f"{path.name}: {errors[0].message}"


def test_an_invalid_requirement_file_is_reported_against_that_file(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    (tmp_path / "reqs" / "mine.yaml").write_text("id: mine\ncode: G79901\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text("extends: g7-hiroshima-2023\nrequirements:\n  - reqs/mine.yaml\n")
    with pytest.raises(PolicyError, match=r"mine\.yaml: invalid requirement"):
        load_policy(policy)


def test_required_requirement_ids_and_all_eleven_actions() -> None:
    ids = {r.id for r in POLICY.requirements}
    assert set(REQUIRED_IDS) <= ids
    assert {p.action for p in POLICY.principles} == set(range(1, 12))
    assert {r.principle for r in POLICY.requirements} == set(range(1, 12))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_rule_passing_example(rule) -> None:  # type: ignore[no-untyped-def]
    report = _lint_example(rule.examples.passing, "utf-8", None)
    assert rule.code not in {f.code for f in report.findings}


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.examples.failing is not None], ids=lambda r: f"{r.code}-{r.name}"
)
def test_rule_failing_example_at_exact_position(rule) -> None:  # type: ignore[no-untyped-def]
    examples = rule.examples
    report = _lint_example(examples.failing, examples.encoding, examples.max_bytes)
    hits = [(f.line, f.column) for f in report.findings if f.code == rule.code]
    assert hits, f"{rule.code} did not fire on its failing example"
    assert (examples.fail_line, examples.fail_column) in hits


def test_only_rules_no_card_can_trigger_lack_a_failing_example() -> None:
    """A crashing rule and a blown time budget are tested by breaking the engine or the budget on purpose."""
    assert sorted(r.name for r in RULES if r.examples.failing is None) == ["rule-error", "time-budget-exceeded"]


def test_extending_policy_overrides_adds_and_disables(tmp_path: Path) -> None:
    custom = tmp_path / "team.yaml"
    custom.write_text(
        "extends: g7-hiroshima-2023\n"
        "disable: [societal-benefit, G71001]\n"
        "requirements:\n"
        "  - id: model-card-contact\n"
        "    code: G70202\n"
        "    principle: 2\n"
        "    severity: error\n"
        "    title: A named contact person\n"
        "    evidence:\n"
        "      statements: ['\\bmaintainer:']\n"
        "    examples: {pass: 'Maintainer: Ada', fail: 'nobody'}\n"
    )
    policy = load_policy(custom)
    ids = {r.id for r in policy.requirements}
    assert "model-card-contact" in ids and "societal-benefit" not in ids and "standards" not in ids
    report = g7lint.lint_text("# M\n\nMaintainer: Ada\n", policy=policy)
    assert report.requirement("model-card-contact").status == "pass"


POINTER_ONLY = (
    "---\nlicense: mit\n---\n# M\n\n## Training data\n\nFurther details of the data are in our tech report.\n"
)


def test_a_section_that_only_points_to_the_paper_is_not_evidence() -> None:
    report = g7lint.lint_text(POINTER_ONLY)
    assert report.requirement("training-data").status == "fail"
    assert "Training data" in report.requirement("training-data").near_miss
    said = POINTER_ONLY.replace("tech report.", "tech report. We used 40k support tickets.")
    assert g7lint.lint_text(said).requirement("training-data").status == "pass"


def test_a_requirement_asking_for_the_reference_keeps_pointer_sections() -> None:
    card = "# M\n\n## Technical report\n\nSee our technical report for the evaluation details: arXiv:2401.00001\n"
    assert g7lint.lint_text(card).requirement("information-sharing").status == "pass"


def test_pointer_statements_are_ignored_only_where_the_requirement_says_so() -> None:
    card = "# M\n\nSee our paper for the safety measures we took.\n"
    assert g7lint.lint_text(card).requirement("risk-mitigation").status == "fail"
    said = "# M\n\nWe applied safety fine-tuning; see our paper for the safety measures we took.\n"
    assert g7lint.lint_text(said).requirement("risk-mitigation").status == "pass"


def test_a_policy_without_pointers_judges_pointer_sections_as_before(tmp_path: Path) -> None:
    custom = tmp_path / "team.yaml"
    custom.write_text("extends: g7-hiroshima-2023\npointers: []\n")
    report = g7lint.lint_text(POINTER_ONLY, policy=load_policy(custom))
    assert report.requirement("training-data").status == "pass"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("extends: g7-hiroshima-2023\ndisable: [no-such-rule]\n", "unknown rules"),
        ("extends: g7-hiroshima-2023\nfail-on: sometimes\n", "fail-on"),
        ("extends: g7-hiroshima-2023\nrequires-g7lint: '>=99'\n", "needs g7lint"),
        ("- just\n- a list\n", "must be a mapping"),
        ("id: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_policies_raise_policy_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(g7lint.PolicyError, match=message):
        load_policy(path)


def test_invalid_pattern_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad-pattern.yaml"
    path.write_text(
        "extends: g7-hiroshima-2023\nrequirements:\n  - id: license\n    code: G70306\n    principle: 3\n"
        "    severity: error\n    title: t\n    evidence: {statements: ['(unclosed']}\n"
        "    examples: {pass: a, fail: b}\n"
    )
    with pytest.raises(g7lint.PolicyError, match=r"requirement license: pattern '\(unclosed' is not accepted"):
        load_policy(path)
