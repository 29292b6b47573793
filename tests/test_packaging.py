"""The built wheel carries the policy and schemas, installs in a fresh venv and lints a card."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_lints(root: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(root)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("g7lint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "g7lint/schemas/g7-hiroshima-2023.yaml" in names
    assert "g7lint/schemas/policy.schema.json" in names and "g7lint/py.typed" in names
    assert "g7lint/schemas/g7-hiroshima-2023/limitations.yaml" in names  # one file per requirement
    assert "g7lint/schemas/frameworks/oecd-haip.yaml" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True
    )
    result = subprocess.run(
        [str(bin_dir / "g7lint"), "check", str(root / "examples" / "template-card.md"), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the source tree: the installed package must find its own data
    )
    assert result.returncode == 1, result.stderr
    assert '"limitations"' in result.stdout
    drafted = subprocess.run(
        [str(bin_dir / "g7lint"), "crosswalk", str(root / "examples" / "model-card.md"), "--to", "eu-gpai-mdf"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert drafted.returncode == 0 and "## 8. Energy consumption" in drafted.stdout, drafted.stderr
