"""JSONL results files: opened for --resume without a torn last line, read back for --resume and --since."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from g7lint.errors import G7lintError
from g7lint.hub.records import ScanRecord


def read_records(path: Path) -> Iterator[ScanRecord]:
    """Records of a results file; a torn last line (a killed scan) is skipped."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.endswith("\n"):
                return  # the scan was killed while writing this line
            if line.strip():
                try:
                    yield ScanRecord.model_validate_json(line)
                except ValueError as exc:
                    raise G7lintError(
                        f"{path}:{number}: not a g7lint results line: {str(exc).splitlines()[0]}"
                    ) from None


def done_ids(path: Path) -> set[str]:
    """Ids already recorded in ``path``, for --resume (reads ids only, not whole reports)."""
    import json

    ids: set[str] = set()
    if not path.exists():
        return ids
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.endswith("\n") and line.strip():
                try:
                    ids.add(json.loads(line)["id"])
                except (ValueError, KeyError, TypeError):
                    continue
    return ids


def open_results(path: Path, resume: bool) -> IO[str]:
    """Open ``path`` for appending (resume) or writing, dropping a torn last line."""
    if resume and path.exists():
        _drop_torn_tail(path)
        return open(path, "a", encoding="utf-8")
    if path.exists() and not resume:
        raise G7lintError(f"{path}: already exists; use --resume to continue it or choose another --out")
    return open(path, "w", encoding="utf-8")


def _drop_torn_tail(path: Path) -> None:
    with open(path, "rb+") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size == 0:
            return
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return
        # Walk back to the last complete line and cut there.
        position = size
        chunk = 65536
        while position > 0:
            start = max(0, position - chunk)
            handle.seek(start)
            data = handle.read(position - start)
            newline = data.rfind(b"\n")
            if newline != -1:
                handle.truncate(start + newline + 1)
                return
            position = start
        handle.truncate(0)
