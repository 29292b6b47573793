"""Every output format, rendered from the same cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

import g7lint
from g7lint.formats import FORMATS, FormatInput, get_renderer
from g7lint.formats.sarif import fingerprint
from tests.conftest import CARDS

ROOT = Path(__file__).resolve().parent.parent
SUPPRESSED = "---\nlicense: mit\n---\n# M\n<!-- g7lint-disable security-controls -- weights are never released -->\n"


@pytest.fixture(scope="module")
def run_input() -> FormatInput:
    paths = [ROOT / "examples" / "model-card.md", ROOT / "examples" / "template-card.md"]
    paths += sorted((CARDS / "corpus").glob("*-*.md"))
    reports = [g7lint.lint_file(p) for p in paths]
    reports.append(g7lint.lint_text(SUPPRESSED, "suppressed/README.md"))
    return FormatInput(reports, g7lint.load_policy())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_every_card(name: str, run_input: FormatInput) -> None:
    output = get_renderer(name)(run_input)
    assert output.endswith("\n")
    for report in run_input.reports:
        if name in ("github", "sarif", "text") and all(f.suppressed for f in report.findings):
            continue  # these list findings only, and this card has none left
        assert report.path in output, (name, report.path)


def test_sarif_validates_against_the_sarif_2_1_0_schema(run_input: FormatInput) -> None:
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    document = json.loads(get_renderer("sarif")(run_input))
    errors = list(Draft7Validator(schema).iter_errors(document))
    assert errors == []
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(run_input.policy.all_rules()) and "G70303" in rule_ids
    assert all(r["help"]["text"] and r["helpUri"].startswith("https://") for r in run["tool"]["driver"]["rules"])
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["suppressions"][0]["justification"] == "weights are never released"
    levels = {r["level"] for r in run["results"]}
    assert levels <= {"error", "warning", "note"} and "error" in levels


def test_sarif_fingerprints_survive_unrelated_edits() -> None:
    card = (ROOT / "examples" / "template-card.md").read_text()
    before = {f.code: fingerprint(f) for f in g7lint.lint_text(card, "README.md").findings}
    edited = card.replace("# Model Card for Model ID", "# Model Card for Model ID\n\nAn intro paragraph.\n\n")
    after_findings = g7lint.lint_text(edited, "README.md").findings
    assert {f.code: fingerprint(f) for f in after_findings} == before
    assert any(a.line != 1 for a in after_findings)  # lines moved, fingerprints did not


def test_json_is_the_documented_run(run_input: FormatInput) -> None:
    document = json.loads(get_renderer("json")(run_input))
    assert document["schema_version"] == 1 and len(document["reports"]) == len(run_input.reports)
    suppressed = [f for r in document["reports"] for f in r["findings"] if f["suppression"]]
    assert suppressed and suppressed[0]["suppression"]["kind"] == "in-source"


def test_github_annotations_escape_and_skip_suppressed(run_input: FormatInput) -> None:
    lines = get_renderer("github")(run_input).splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert not any("G70601" in line and "suppressed/README.md" in line for line in lines)
    tricky = g7lint.lint_text("# M\n", "dir,with:odd/README.md")
    rendered = get_renderer("github")(FormatInput([tricky], run_input.policy))
    assert "file=dir%2Cwith%3Aodd/README.md" in rendered


def test_markdown_summary_escapes_card_text(run_input: FormatInput) -> None:
    hostile = g7lint.lint_text(
        "---\nlicense: mit\n---\n# M\n\n## Limitations\n\nFails on <script>alert(1)</script> | pipes.\n"
    )
    output = get_renderer("markdown")(FormatInput([hostile], run_input.policy))
    assert "<script>" not in output and "\\|" in output


def test_text_format_hides_suppressed_unless_asked(run_input: FormatInput) -> None:
    plain = get_renderer("text")(run_input)
    shown = get_renderer("text")(FormatInput(run_input.reports, run_input.policy, show_suppressed=True))
    assert "(suppressed)" not in plain and "(suppressed)" in shown


def test_text_lists_every_card_with_show_requirements(run_input: FormatInput) -> None:
    shown = FormatInput(run_input.reports, run_input.policy, show_requirements=True)
    output = get_renderer("text")(shown)
    for report in run_input.reports:
        assert f"{report.path}: {'passes' if report.passed else 'fails'}" in output


#: Card text that tries to break out of its line: a GitHub workflow command, terminal escapes, a bidi override.
INJECTIONS = {
    "setext heading": "# M\n\nTitle\\\n::error file=.github/workflows/ci.yml,line=1::INJECTED\n===\n\nText.\n",
    "html heading": "# M\n\n<h2>x\n::error file=ci.yml::INJECTED</h2>\n",
    "escape in heading": "# M\n\n## Limitations \x1b]0;PWNED\x07\x1b[2J\n\n[More Information Needed]\n",
    "bidi override": "# M\n\n## Intended \u202euse\n\nTODO\n",
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_no_format_lets_card_text_start_a_line_or_reach_the_terminal_raw(name: str) -> None:
    reports = [g7lint.lint_text(text, f"{key}.md") for key, text in INJECTIONS.items()]
    reports.append(g7lint.lint_text(INJECTIONS["html heading"], "evil\n::error::name.md"))
    output = get_renderer(name)(FormatInput(reports, g7lint.load_policy(), show_requirements=True))
    for line in output.splitlines():
        if name == "github" and line.startswith(("::error file=", "::warning file=", "::notice file=")):
            assert "INJECTED" not in line.split("::", 2)[1]  # the properties are g7lint's own
            continue
        assert not line.lstrip().startswith("::"), (name, line)
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output


def test_markdown_cuts_long_text_at_a_word_boundary() -> None:
    from g7lint.checks.metadata import shorten

    text = "looked for " + " ".join(f"word{i}" for i in range(60))
    cut = shorten(text, 160)
    assert len(cut) <= 160 and cut.endswith("…") and cut[:-1].split()[-1] in text.split()


def test_streamed_json_documents_are_the_documents_a_single_dump_gives(run_input: FormatInput) -> None:
    from g7lint.findings import LintRun

    assert get_renderer("json")(run_input) == LintRun(reports=tuple(run_input.reports)).model_dump_json(indent=2) + "\n"
    sarif = get_renderer("sarif")(run_input)
    assert sarif == json.dumps(json.loads(sarif), indent=2, ensure_ascii=False) + "\n"
    empty = FormatInput([], run_input.policy)
    assert json.loads(get_renderer("json")(empty))["reports"] == []
    assert json.loads(get_renderer("sarif")(empty))["runs"][0]["results"] == []
