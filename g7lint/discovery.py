"""Which files in a folder are model cards, the way a model repository's owner expects.

``g7lint check .`` in a model repository after a test run must judge
README.md, not ``.pytest_cache/README.md``: hidden folders, tool folders and
whatever ``.gitignore`` ignores are skipped (as ruff and git do), with the
reason kept for ``--verbose``. A folder named on the command line that holds
no README.md (or MODEL_CARD.md...) anywhere, such as a folder of ``*.md``
cards, has its own ``*.md`` files linted instead, minus the usual repository
documents (CHANGELOG.md, CONTRIBUTING.md...).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

#: File names that are a model card wherever they stand (the Hub's, and common usage).
CARD_FILENAMES = ("README.md", "MODEL_CARD.md", "model_card.md", "modelcard.md", "model-card.md")
#: Folders no model card lives in, hidden or not.
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages", "build", "dist"})
#: Markdown files of a repository that are not model cards.
NOT_CARDS = frozenset(
    name.lower()
    for name in (
        "CHANGELOG.md",
        "CHANGES.md",
        "CONTRIBUTING.md",
        "CODE_OF_CONDUCT.md",
        "SECURITY.md",
        "LICENSE.md",
        "NOTICE.md",
        "AUTHORS.md",
        "SUPPORT.md",
        "HISTORY.md",
        "PULL_REQUEST_TEMPLATE.md",
        "ISSUE_TEMPLATE.md",
    )
)


@dataclass
class Discovery:
    """Card files found under a folder, and what was skipped and why."""

    cards: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def find_cards(root: Path) -> Discovery:
    """Model cards under ``root``, in a stable order."""
    found = Discovery()
    for folder, files in _walk(root, found):
        found.cards.extend(folder / name for name in sorted(files) if name in CARD_FILENAMES)
    if not any((root / name).is_file() for name in _REPOSITORY_CARDS):
        # A folder of cards (examples/, cards/docker/): its own *.md files that read as model cards.
        for path in sorted(root.glob("*.md")):
            if path not in found.cards and path.is_file() and path.name.lower() not in NOT_CARDS:
                if looks_like_card(path):
                    found.cards.append(path)
                else:
                    found.skipped.append((path, "does not read as a model card"))
    return found


#: A folder holding one of these is a model repository: its other *.md files are documents, not cards.
_REPOSITORY_CARDS = ("README.md", "MODEL_CARD.md")
_CARD_KEYS = re.compile(
    r"^(?:license|tags|pipeline_tag|library_name|base_model|datasets|model-index|language|model_name)\s*:", re.M
)


def looks_like_card(path: Path) -> bool:
    """Whether a loose *.md file is a model card: Hub card metadata, or the word 'model' near the top."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith("---") and _CARD_KEYS.search(head):
        return True
    return "model" in head.lower()


def _walk(root: Path, found: Discovery) -> Iterator[tuple[Path, list[str]]]:
    """(folder, file names) under ``root``, pruning hidden, tool and git-ignored folders."""
    ignores = _inherited_ignores(root)
    in_repository = any((folder / ".git").exists() for folder in (root, *root.resolve().parents))
    for folder_name, dirs, files in os.walk(root):
        folder = Path(folder_name)
        in_repository = in_repository or (folder / ".git").exists()
        base, spec = _gitignore(folder) if in_repository else (folder, None)  # git reads them only in a repository
        if spec is not None:
            ignores.append((base, spec))
        here = folder.resolve()
        active = [(base, spec) for base, spec in ignores if base == here or base in here.parents]
        kept = []
        for name in sorted(dirs):
            path = folder / name
            reason = _skip_reason(path, name, active, directory=True)
            if reason:
                found.skipped.append((path, reason))
            else:
                kept.append(name)
        dirs[:] = kept
        kept_files = []
        for name in files:
            reason = _skip_reason(folder / name, name, active, directory=False)
            if not reason:
                kept_files.append(name)
            elif name in CARD_FILENAMES:
                found.skipped.append((folder / name, reason))
        yield folder, kept_files


def _inherited_ignores(root: Path) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """The .gitignore files of the folders above ``root`` in the same git repository, outermost first."""
    if (root / ".git").exists():
        return []
    inherited = []
    for parent in root.resolve().parents:
        base, spec = _gitignore(parent)
        if spec is not None:
            inherited.append((base, spec))
        if (parent / ".git").exists():
            return list(reversed(inherited))
    return []  # not in a git repository: git would apply none of them


def _skip_reason(path: Path, name: str, active: list[tuple[Path, pathspec.GitIgnoreSpec]], directory: bool) -> str:
    if directory and name.startswith("."):
        return "hidden folder"
    if directory and name in SKIP_DIRS:
        return "tool folder"
    resolved = path.resolve()
    for base, spec in active:
        relative = resolved.relative_to(base).as_posix() + ("/" if directory else "")
        if spec.match_file(relative):
            return f"ignored by {base / '.gitignore'}"
    return ""


def _gitignore(folder: Path) -> tuple[Path, pathspec.GitIgnoreSpec | None]:
    path = folder / ".gitignore"
    if not path.is_file():
        return folder.resolve(), None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return folder.resolve(), None
    import pathspec  # only when a folder is walked: ~5 ms of start-up otherwise

    return folder.resolve(), pathspec.GitIgnoreSpec.from_lines(lines)
