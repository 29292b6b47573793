"""Bad settings, paths and policies: each a one-line error and exit 2, never a traceback (issue 10).

Every case is the exact input that once raised a traceback or hung.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from g7lint.cli import main

GOOD = Path(__file__).resolve().parent.parent / "examples" / "model-card.md"


def _fails_cleanly(args: list[str], capsys: pytest.CaptureFixture[str], expected: str) -> None:
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and expected in err, err
    assert len([line for line in err.splitlines() if line.startswith("g7lint")]) == 1


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        (b"[tool.g7lint]\nmax-bytes = 99999999999999999999999\n", "max-bytes"),
        (b"[tool.g7lint]\nmax-bytes = 9000000000000000000\n", "max-bytes"),
        (b"tool = 5\n", "'tool' must be a table"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[tool.g7lint\n", "line 1"),  # a TOML syntax error is an error naming the line, not a skipped file
    ],
    ids=["max-bytes-huge", "max-bytes-memory", "tool-not-table", "not-utf8", "toml-syntax"],
)
def test_bad_pyproject_is_an_error_naming_the_file(
    pyproject: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    card = tmp_path / "README.md"
    card.write_text(GOOD.read_text())
    code = main(["check", str(card)])
    err = capsys.readouterr().err
    assert code == 2 and "pyproject.toml" in err and expected in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("extends: g7-hiroshima-2023\ndisable: 5\n", "'disable' must be a list"),
        ("extends: g7-hiroshima-2023\nrequirements: 5\n", "'requirements' must be a list"),
        ('extends: g7-hiroshima-2023\nplaceholders: ["a{99999999999}"]\n', "a{99999999999}"),
        ('extends: g7-hiroshima-2023\nplaceholders: ["(?<=a)b"]\n', "linear-time engine"),
    ],
    ids=["disable-int", "requirements-int", "huge-repeat", "lookbehind"],
)
def test_bad_policy_is_an_error_in_check_and_in_validate(
    policy: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(policy)
    _fails_cleanly(["check", str(GOOD), "--policy", str(path)], capsys, expected)
    assert main(["policy", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert expected in out and "Traceback" not in out


def test_scan_paths_are_checked_before_anything_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fails_cleanly(["scan", "--out", str(tmp_path / "no/such/dir/x.jsonl")], capsys, "does not exist")
    _fails_cleanly(["scan", "--out", str(tmp_path), "--resume"], capsys, "is a folder")
    out = tmp_path / "x.jsonl"
    _fails_cleanly(["scan", "--out", str(out), "--since", str(tmp_path / "missing.jsonl")], capsys, "not found")
    _fails_cleanly(["scan", "--out", str(out), "--since", str(tmp_path)], capsys, "not a regular file")
    assert not out.exists()  # a failed start leaves no empty file that would force --resume


@pytest.mark.parametrize(
    "option", [["--workers", "-1"], ["--timeout", "0"], ["--timeout", "-1"], ["--timeout", "nan"], ["--limit", "-1"]]
)
def test_scan_rejects_impossible_numbers(option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--out", str(tmp_path / "x.jsonl"), *option]) == 2
    err = capsys.readouterr().err
    assert option[0] in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_not_read_forever(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "README.md"
    os.mkfifo(fifo)
    _fails_cleanly(["check", str(fifo)], capsys, "not a regular file")
    _fails_cleanly(["report", str(fifo)], capsys, "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_report_on_an_endless_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    _fails_cleanly(["report", "/dev/zero"], capsys, "not a regular file")


@pytest.mark.parametrize(
    ("schema", "expected"),
    [("{type: nonsense}", "JSON Schema is invalid"), ("{$ref: 'https://example.org/s.json'}", "only local")],
    ids=["invalid-schema", "remote-ref"],
)
def test_embedded_json_schemas_are_checked(
    schema: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "extends: g7-hiroshima-2023\nmetadata-rules:\n  - code: G70021\n    name: invalid-license\n"
        "    principle: 0\n    severity: error\n    title: t\n    key: license\n    message: m\n"
        f'    schema: {schema}\n    examples: {{pass: "# M\\n", fail: null}}\n'
    )
    assert main(["policy", "validate", str(path)]) == 1
    assert expected in capsys.readouterr().out
    _fails_cleanly(["check", str(GOOD), "--policy", str(path)], capsys, expected)


def test_policy_validate_names_what_a_person_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Requirements by id (not by index in the merged list), every error, a YAML line, an unknown base."""
    incomplete = tmp_path / "incomplete.yaml"
    incomplete.write_text("extends: g7-hiroshima-2023\nrequirements:\n  - id: maintainer\n    principle: 3\n")
    assert main(["policy", "validate", str(incomplete)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= 4 and all("requirements 'maintainer'" in line for line in out)
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema-version: 1\nid: [x\n")
    assert main(["policy", "validate", str(broken)]) == 1
    assert f"{broken}:3:1: policy is not valid YAML" in capsys.readouterr().out
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("extends: nonexistent\n")
    _fails_cleanly(["check", str(GOOD), "--policy", str(unknown)], capsys, "neither a file nor a shipped policy")
