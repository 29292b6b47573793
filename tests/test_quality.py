"""The code stays linted, formatted and fully typed (ruff, mypy --strict)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "g7lint", "tests", "benchmarks", "examples"],
        ["ruff", "format", "--check", "g7lint", "tests", "benchmarks", "examples"],
        ["mypy", "g7lint"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command: list[str]) -> None:
    pytest.importorskip(command[0])
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
