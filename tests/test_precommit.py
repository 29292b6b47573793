"""The pre-commit hook, run for real with pre-commit against this repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

HOOKS = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text())


def test_hook_file_matches_card_names_only() -> None:
    pattern = re.compile(HOOKS[0]["files"])
    for name in ("README.md", "models/x/README.md", "MODEL_CARD.md", "a/model_card.md", "docs/model-card.md"):
        assert pattern.search(name), name
    for name in ("docs/README.txt", "NOTREADME.md", "readme.rst", "CHANGELOG.md"):
        assert not pattern.search(name), name


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_try_repo_fails_the_bad_card_and_passes_the_good(root: Path, tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.fail("pre-commit is not installed: install the test extra (pip install '.[test]')")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    repo = tmp_path / "models"
    (repo / "good").mkdir(parents=True)
    (repo / "bad").mkdir()
    shutil.copy(root / "examples" / "model-card.md", repo / "good" / "README.md")
    shutil.copy(root / "examples" / "template-card.md", repo / "bad" / "README.md")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(root), "g7lint", "--files", *files],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    good = try_repo("good/README.md")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = try_repo("bad/README.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "G70303" in bad.stdout and "bad/README.md" in bad.stdout
    # Named files are excluded too when the config says so: pre-commit names every staged card.
    (repo / "pyproject.toml").write_text('[tool.g7lint]\nexclude = ["bad/**"]\n')
    excluded = try_repo("bad/README.md")
    assert excluded.returncode == 0, excluded.stdout + excluded.stderr
