"""Bad input never crashes g7lint: each case becomes a finding with a line, never a traceback."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import g7lint
from g7lint.findings import Report


def codes(report: Report) -> set[str]:
    return {finding.code for finding in report.findings}


def assert_complete(report: Report) -> None:
    """Whatever the input, every requirement of the policy gets a verdict."""
    assert len(report.requirements) == len(g7lint.load_policy().requirements)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("---\nlicense: mit\n# never closed\n", "G70002", 1),
        ("---\n- a\n- b\n---\n# list\n", "G70002", 2),
        ("---\nlicense: [mit\n---\n# bad yaml\n", "G70002", 3),
        ("---\na: !!python/object/apply:os.system ['echo pwned']\n---\n", "G70002", 2),
        ("---\nlicense: mit\nlicense: apache-2.0\n---\n", "G70003", 3),
        ("# no metadata\n", "G70001", 1),
        ("", "G70001", 1),
    ],
)
def test_front_matter_problems(text: str, code: str, line: int) -> None:
    report = g7lint.lint_text(text)
    found = [f for f in report.findings if f.code == code]
    assert found and found[0].line == line
    assert_complete(report)


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    g7lint.lint_text(text)
    assert not marker.exists()


def test_alias_bomb_is_refused() -> None:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    report = g7lint.lint_text("\n".join(lines) + "\n---\n# bomb\n")
    messages = [f.message for f in report.findings if f.code == "G70002"]
    assert messages and "alias" in messages[0]
    assert report.requirement("license").status == "fail"


@pytest.mark.parametrize(
    "yaml_text",
    [
        "x: " + "[" * 200_000 + "]" * 200_000,
        "x: " + "{a: " * 100_000 + "1" + "}" * 100_000,
        "x:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 2000)),
        "x: " + "- " * 50_000 + "1",
    ],
)
def test_deep_nesting_is_refused_not_crashed(yaml_text: str) -> None:
    report = g7lint.lint_text(f"---\n{yaml_text}\n---\n# deep\n")
    assert "G70002" in codes(report)


def test_moderate_nesting_is_read() -> None:
    report = g7lint.lint_text("---\nlicense: mit\nx: " + "[" * 50 + "]" * 50 + "\n---\n")
    assert "G70002" not in codes(report)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    report = g7lint.lint_file(path)
    assert "G70004" in codes(report) and not report.passed
    assert all(r.status == "fail" for r in report.requirements if r.status != "not_applicable")


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"---\nlicense: mit\n---\n# Caf\xe9\n\nLicensed under MIT.\n")
    report = g7lint.lint_file(path)
    assert "G70005" in codes(report)
    assert report.requirement("license").status == "pass"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(codecs.BOM_UTF16_LE + "---\nlicense: mit\n---\n# Model\n".encode("utf-16-le"))
    report = g7lint.lint_file(path)
    assert "G70005" in codes(report)
    assert report.requirement("license").evidence[0].line == 2


def test_utf8_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(codecs.BOM_UTF8 + b"---\r\nlicense: mit\r\n---\r\n# Model\r\n")
    report = g7lint.lint_file(path)
    assert not codes(report) & {"G70001", "G70002", "G70005"}
    assert report.requirement("license").evidence[0].line == 2


def test_nul_bytes_in_text() -> None:
    report = g7lint.lint_text("# Model\x00\n")
    assert "G70004" in codes(report)


def test_twenty_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"---\nlicense: mit\n---\n# Model\n\n" + b"word " * 4_000_000 + b"\n")
    report = g7lint.lint_file(path)
    assert "G70006" in codes(report)
    assert report.requirement("license").status == "pass"


def test_hundred_thousand_headings() -> None:
    text = "---\nlicense: mit\n---\n" + "".join(f"## Heading {i}\n\ntext {i}\n\n" for i in range(100_000))
    report = g7lint.lint_text(text, max_bytes=8 * 1024 * 1024)
    assert_complete(report)
    assert report.requirement("license").status == "pass"
    truncated = [f for f in report.findings if f.code == "G70006"]
    assert truncated and "blocks" in truncated[0].message


def test_empty_and_whitespace_only() -> None:
    for text in ("", "   \n\n\t\n"):
        report = g7lint.lint_text(text)
        assert_complete(report)
        assert not report.passed


def test_missing_file_and_directory_raise_tool_errors(tmp_path: Path) -> None:
    with pytest.raises(g7lint.CardReadError):
        g7lint.lint_file(tmp_path / "absent.md")
    with pytest.raises(g7lint.CardReadError):
        g7lint.lint_file(tmp_path)


@pytest.mark.parametrize(
    ("front_matter", "code"),
    [
        ("license: 2001-12-14t21:59:43.10-05:00", "G70021"),  # a timestamp is data, and not a licence id
        ("license: !!set {a: null}", "G70021"),
        ("license: !!binary aGVsbG8=", "G70021"),
        ("license: .nan", "G70021"),
        ("datasets: [2023-01-01]\nlicense: mit", None),
        ("1: a\n2: b\nlicense: mit", None),
    ],
)
def test_yaml_types_json_lacks_are_judged_not_crashed_on(front_matter: str, code: str | None) -> None:
    report = g7lint.lint_text(f"---\n{front_matter}\n---\n# M\n")
    assert not [f for f in report.findings if f.name == "rule-error"]
    if code is not None:
        assert code in {f.code for f in report.findings}


def test_lone_surrogates_are_an_encoding_finding() -> None:
    report = g7lint.lint_text("# a\udcff\n")
    assert "G70005" in {f.code for f in report.findings}


def test_lint_text_accepts_bytes_and_refuses_other_types() -> None:
    assert g7lint.lint_text(b"---\nlicense: mit\n---\n# M\n").requirement("license").status == "pass"
    with pytest.raises(g7lint.G7lintError, match="str or bytes"):
        g7lint.lint_text(5)  # type: ignore[arg-type]


def test_a_card_over_its_time_budget_is_a_finding_not_a_hang() -> None:
    from g7lint.engine import RuleOptions

    report = g7lint.lint_text("---\nlicense: mit\n---\n# M\n\nText.\n", options=RuleOptions(time_budget=0.0))
    budget = [f for f in report.findings if f.code == "G70012"]
    assert budget and "not checked" in budget[0].message and not report.passed
    unchecked = [r for r in report.requirements if r.looked_for.startswith("(not checked")]
    assert unchecked and all(r.status == "fail" for r in unchecked)
    assert len(report.requirements) == len(g7lint.load_policy().requirements)  # every id still reported


def test_html_headings_inside_one_block_respect_the_block_cap() -> None:
    from g7lint.parsing.card import parse_card_text
    from g7lint.parsing.markdown import MAX_BLOCKS

    card = parse_card_text("# M\n\n<div>\n" + "<h2>x</h2>\n" * 80_000 + "</div>\n")
    assert len(card.body.blocks) <= MAX_BLOCKS and card.body.truncated
