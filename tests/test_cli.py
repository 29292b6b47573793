"""The command line: exit codes, discovery, config, stdin, rules, explain, policy validate."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from g7lint.cli import main

GOOD = Path(__file__).resolve().parent.parent / "examples" / "model-card.md"
TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "template-card.md"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(GOOD)], capsys)[0] == 0
    assert run(["check", str(TEMPLATE)], capsys)[0] == 1
    assert run(["check", str(TEMPLATE), "--exit-zero"], capsys)[0] == 0
    assert run(["check", str(TEMPLATE), "--fail-on", "never"], capsys)[0] == 0


def test_fail_on_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Without its provenance section the example card misses only a warning-level requirement.
    text = GOOD.read_text()
    card = tmp_path / "README.md"
    card.write_text(text[: text.index("## Content provenance")] + text[text.index("## Governance") :])
    code, out, _ = run(["check", str(card), "--isolated", "--format", "json"], capsys)
    report = json.loads(out)["reports"][0]
    assert code == 0 and [(f["code"], f["severity"]) for f in report["findings"]] == [("G70701", "warning")]
    assert run(["check", str(card), "--isolated", "--fail-on", "warning"], capsys)[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "does-not-exist.md"], "no such file"),
        (["check", str(GOOD), "--select", "G799"], "unknown rule 'G799'"),
        (["check", str(GOOD), "--ignore", "no-such-rule"], "unknown rule 'no-such-rule'"),
        (["check", str(GOOD), "--policy", "missing-policy.yaml"], "policy file not found"),
        (["explain", "nothing"], "unknown rule"),
    ],
)
def test_tool_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_directory_without_cards(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# not a card name\n")
    code, _, err = run(["check", str(tmp_path)], capsys)
    assert code == 2 and "no model card found" in err


def test_directory_discovery_and_exclude(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name in ("a", "b", "archive"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(GOOD.read_text())
    (tmp_path / "b" / "MODEL_CARD.md").write_text(GOOD.read_text())
    (tmp_path / ".g7lint.yaml").write_text("exclude: ['archive/**']\n")
    code, out, _ = run(["check", str(tmp_path), "--format", "json"], capsys)
    paths = sorted(Path(r["path"]).relative_to(tmp_path).as_posix() for r in json.loads(out)["reports"])
    assert code == 0 and paths == ["a/README.md", "b/MODEL_CARD.md", "b/README.md"]


def test_bad_config_unknown_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.g7lint]\nfail-on = 'error'\nselekt = ['G7']\n")
    (tmp_path / "README.md").write_text(GOOD.read_text())
    code, _, err = run(["check", str(tmp_path / "README.md")], capsys)
    assert code == 2 and "pyproject.toml" in err and "unknown key 'selekt'" in err


def test_bad_config_value_and_bad_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(GOOD.read_text())
    (tmp_path / ".g7lint.yaml").write_text("fail-on: sometimes\n")
    code, _, err = run(["check", str(tmp_path / "README.md")], capsys)
    assert code == 2 and ".g7lint.yaml" in err and "fail-on" in err
    broken = tmp_path / "other.toml"
    broken.write_text("[tool.g7lint\n")
    code, _, err = run(["check", str(tmp_path / "README.md"), "--config", str(broken)], capsys)
    assert code == 2 and "TOML" in err


def test_config_from_pyproject_is_found_walking_up(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.g7lint]\nignore = ['G703', 'risk-evaluation']\n[tool.g7lint.severity]\ntraining-data = 'info'\n"
    )
    model = tmp_path / "models" / "m"
    model.mkdir(parents=True)
    (model / "README.md").write_text(TEMPLATE.read_text())
    _, out, _ = run(["check", str(model / "README.md"), "--format", "json"], capsys)
    report = json.loads(out)["reports"][0]
    found = {f["code"]: f["severity"] for f in report["findings"]}
    assert not any(c.startswith("G703") for c in found) and "G70101" not in found
    assert found["G71101"] == "info"
    assert {r["id"]: r["status"] for r in report["requirements"]}["limitations"] == "not_selected"
    # --isolated ignores the file
    _code, out, _ = run(["check", str(model / "README.md"), "--format", "json", "--isolated"], capsys)
    assert any(f["code"].startswith("G703") for f in json.loads(out)["reports"][0]["findings"])


def test_per_file_ignores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".g7lint.yaml").write_text("per-file-ignores:\n  'research/**': [G7]\n")
    (tmp_path / "research" / "x").mkdir(parents=True)
    (tmp_path / "research" / "x" / "README.md").write_text(TEMPLATE.read_text())
    assert run(["check", str(tmp_path / "research")], capsys)[0] == 0


def test_stdin_with_filename(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEMPLATE.read_bytes())))
    code, out, _ = run(["check", "-", "--stdin-filename", "models/x/README.md", "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["reports"][0]["path"] == "models/x/README.md"


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    code, out, _ = run(["check", str(TEMPLATE), "--format", "sarif", "--output", str(target)], capsys)
    assert code == 1 and out == "" and json.loads(target.read_text())["version"] == "2.1.0"


def test_text_output_and_no_color(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, _ = run(["check", str(TEMPLATE)], capsys)
    assert "G70303 limitations [error]" in out and "template-card.md:57:1:" in out and "\x1b[" not in out
    assert "  help: Under a 'Limitations'" in out  # the fix, under the finding it fixes
    assert out.splitlines()[-1].startswith("1 card(s) checked, 1 failed (fail-on error)")
    assert "3. Publicly report" not in out  # the per-action table only when asked
    _, shown, _ = run(["check", str(TEMPLATE), "--show-requirements"], capsys)
    assert "   3. Publicly report capabilities" in shown and "limitations ✗" in shown
    _, quiet, _ = run(["check", str(TEMPLATE), "--quiet"], capsys)
    assert "help:" not in quiet and "card(s) checked" not in quiet and "G70303" in quiet
    _code, out, _ = run(["check", str(TEMPLATE), "--color", "always"], capsys)
    assert "\x1b[" in out


def test_rules_and_explain(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "G70303" in out and "limitations" in out
    code, out, _ = run(["explain", "limitations"], capsys)
    assert code == 0 and out == (root / "docs" / "rules" / "G70303.md").read_text()
    assert "How to fix" in out and "A card that fails" in out


def test_policy_validate(capsys: pytest.CaptureFixture[str], root: Path, tmp_path: Path) -> None:
    assert run(["policy", "validate", str(root / "schemas" / "g7-hiroshima-2023.yaml")], capsys)[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema-version: 1\nid: x\ntitle: t\nversion: '1'\nprinciples: []\nrequirements: []\n")
    code, out, _ = run(["policy", "validate", str(bad)], capsys)
    assert code == 1 and "generative" in out
    code, _, err = run(["policy", "validate", str(tmp_path / "absent.yaml")], capsys)
    assert code == 2 and "Traceback" not in err


def test_version_and_help_as_processes() -> None:
    version = subprocess.run([sys.executable, "-m", "g7lint", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("g7lint ")
    help_text = subprocess.run([sys.executable, "-m", "g7lint", "check", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "exit codes" in help_text.stdout
    usage = subprocess.run([sys.executable, "-m", "g7lint", "check", "--format", "xml"], capture_output=True, text=True)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_fail_on_never_is_one_verdict_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    """The exit code, the text and the JSON all say what the threshold applied decided."""
    code, out, _ = run(["check", str(TEMPLATE), "--fail-on", "never"], capsys)
    assert code == 0 and "all passed (fail-on never)" in out
    code, out, _ = run(["check", str(TEMPLATE), "--fail-on", "never", "--format", "json"], capsys)
    report = json.loads(out)["reports"][0]
    assert code == 0 and report["passed"] is True and report["fail_on"] == "never"
    code, out, _ = run(["check", str(TEMPLATE), "--format", "json"], capsys)
    report = json.loads(out)["reports"][0]
    assert code == 1 and report["passed"] is False and report["fail_on"] == "error"


def test_repeated_select_and_ignore_accumulate(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", str(TEMPLATE), "--select", "G703", "--select", "G711", "--format", "json"], capsys)
    failing = {r["id"] for r in json.loads(out)["reports"][0]["requirements"] if r["status"] == "fail"}
    assert {"limitations", "training-data"} <= failing and "risk-evaluation" not in failing
    _, out, _ = run(["check", str(TEMPLATE), "--ignore", "G703", "--ignore", "G711", "--format", "json"], capsys)
    failing = {r["id"] for r in json.loads(out)["reports"][0]["requirements"] if r["status"] == "fail"}
    assert "risk-evaluation" in failing and not {"limitations", "training-data"} & failing


def test_rules_left_out_of_the_run_are_not_selected_not_inapplicable(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", str(TEMPLATE), "--select", "G703", "--format", "json"], capsys)
    statuses = {r["id"]: r["status"] for r in json.loads(out)["reports"][0]["requirements"]}
    assert statuses["risk-evaluation"] == "not_selected" and statuses["limitations"] == "fail"


def _model_repo(tmp_path: Path) -> Path:
    """A model repository after a test run: tool output in hidden and ignored folders."""
    repo = tmp_path / "repo"
    for folder in (".pytest_cache", ".github", "node_modules/pkg", "scratch"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "README.md").write_text(TEMPLATE.read_text())
    (repo / "README.md").write_text(GOOD.read_text())
    (repo / ".gitignore").write_text("scratch/\n")
    (repo / ".git").mkdir()
    return repo


def test_folder_search_skips_hidden_tool_and_ignored_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _model_repo(tmp_path)
    code, out, err = run(["check", str(repo), "--verbose"], capsys)
    assert code == 0 and out.splitlines()[-1].startswith("1 card(s) checked"), out
    assert "(hidden folder)" in err and "(tool folder)" in err and "ignored by" in err and "scratch" in err


def test_a_folder_of_md_cards_is_linted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "alpha.md").write_text(GOOD.read_text())
    (cards / "beta.md").write_text(TEMPLATE.read_text())
    (cards / "CHANGELOG.md").write_text("# Changes\n\nA model fix.\n")
    code, out, _ = run(["check", str(cards), "--format", "json"], capsys)
    paths = sorted(Path(r["path"]).name for r in json.loads(out)["reports"])
    assert code == 1 and paths == ["alpha.md", "beta.md"]
    code, out, _ = run(["check", str(TEMPLATE.parent), "--format", "json"], capsys)
    assert sorted(Path(r["path"]).name for r in json.loads(out)["reports"]) == ["model-card.md", "template-card.md"]


def test_force_exclude_applies_exclude_to_named_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.g7lint]\nexclude = ["docs/**"]\n')
    (tmp_path / "docs").mkdir()
    card = tmp_path / "docs" / "README.md"
    card.write_text(TEMPLATE.read_text())
    assert run(["check", str(card)], capsys)[0] == 1  # named explicitly: linted, as ruff does
    code, out, err = run(["check", str(card), "--force-exclude", "--verbose"], capsys)
    assert code == 0 and "0 card(s) checked" in out and "excluded by config" in err


def test_sarif_lists_findings_of_cards_under_different_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = tmp_path / "strict"
    strict.mkdir()
    (strict / "policy.yaml").write_text(
        "extends: g7-hiroshima-2023\nid: strict\nversion: '1'\nrequirements:\n"
        "  - id: maintainer\n    code: G79901\n    principle: 5\n    severity: error\n"
        "    title: A maintainer is named\n    evidence:\n      statements:\n        - '\\bmaintainer:'\n"
        '    examples: {pass: "# M\\n\\nMaintainer: Ada\\n", fail: "# M\\n"}\n'
    )
    (strict / "pyproject.toml").write_text('[tool.g7lint]\npolicy = "policy.yaml"\n')
    (strict / "README.md").write_text(GOOD.read_text())
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "README.md").write_text(GOOD.read_text())
    code, out, _ = run(["check", str(plain), str(strict), "--format", "sarif"], capsys)
    document = json.loads(out)["runs"][0]
    assert "G79901" in {rule["id"] for rule in document["tool"]["driver"]["rules"]}
    assert any(result["ruleId"] == "G79901" for result in document["results"]) and code == 1


@pytest.mark.parametrize(
    ("output", "imports_pydantic"), [("text", False), ("github", False), ("sarif", False), ("json", True)]
)
def test_only_json_output_imports_pydantic(tmp_path: Path, output: str, imports_pydantic: bool) -> None:
    """A pre-commit run prints text: the report's dataclasses meet pydantic only at the JSON boundary,
    and the repository's [tool.g7lint] section is checked against the shipped schema without it."""
    repository = tmp_path / "repository"
    repository.mkdir()
    (repository / "pyproject.toml").write_text(
        '[tool.g7lint]\nfail-on = "warning"\n[tool.g7lint.severity]\nG70701 = "info"\n'
    )
    card = repository / "README.md"
    card.write_text(GOOD.read_text())
    script = (
        "import contextlib, io, sys\n"
        "from g7lint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(card)!r}, '--format', {output!r}])\n"
        "print(code, 'pydantic' in sys.modules)\n"
    )
    env = {**os.environ, "G7LINT_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the policy cache (and validates the policy with pydantic)
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.split() == ["0", str(imports_pydantic)]


def test_config_values_are_checked_against_the_shipped_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "README.md").write_text(GOOD.read_text())
    for section, expected in (
        ("max-bytes = 5", "max-bytes: 5 is less than the minimum of 1024"),
        ('select = "G7"', 'select: "G7" is not of type "array"'),
        ("time-budget = 0", "time-budget: 0 is less than or equal to the minimum of 0"),
        ('[tool.g7lint.severity]\nlicense = "fatal"', 'severity.license: "fatal" is not one of'),
        ('exclude = ["a", 3]', "exclude.1: 3 is not of type"),
    ):
        (tmp_path / "pyproject.toml").write_text(f"[tool.g7lint]\n{section}\n")
        code, _, err = run(["check", str(tmp_path / "README.md")], capsys)
        assert code == 2 and f"pyproject.toml: invalid config: {expected}" in err, err
