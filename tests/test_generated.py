"""Generated files (JSON Schemas, rule pages) are current."""

from __future__ import annotations

from pathlib import Path

from g7lint.generate import write_all


def test_generated_files_are_current(root: Path, tmp_path: Path) -> None:
    written = write_all(tmp_path)
    stale = [
        str(path.relative_to(tmp_path))
        for path in written
        if not (root / path.relative_to(tmp_path)).is_file()
        or (root / path.relative_to(tmp_path)).read_text() != path.read_text()
    ]
    assert stale == [], "run 'python -m g7lint.generate' and commit the result"
