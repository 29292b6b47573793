"""JSONL results files: opened for --resume without a torn last line, read back for --resume and --since."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from g7lint.errors import G7lintError
from g7lint.hub.records import ScanRecord

#: A results line holds one card's report (tens of KB); anything this long is not one.
MAX_LINE_CHARS = 64 << 20


def result_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a results file, complete lines only: a torn last line
    (a scan killed while writing it) is left out.

    Raises:
        G7lintError: the file is missing, not a regular file (a FIFO or ``/dev/zero``
        would never end), not UTF-8, or holds a line no results file has.
    """
    if not path.exists():
        raise G7lintError(f"{path}: no such results file")
    if not path.is_file():
        raise G7lintError(f"{path}: not a regular file")
    try:
        with open(path, encoding="utf-8") as handle:
            number = 0
            while line := handle.readline(MAX_LINE_CHARS):
                number += 1
                if not line.endswith("\n"):
                    if len(line) >= MAX_LINE_CHARS:
                        raise G7lintError(f"{path}:{number}: line longer than {MAX_LINE_CHARS:,} characters")
                    return  # the scan was killed while writing this line
                yield number, line
    except UnicodeDecodeError:
        raise G7lintError(f"{path}: not UTF-8 text, so not a g7lint results file") from None


def read_records(path: Path) -> Iterator[ScanRecord]:
    """Records of a results file; a torn last line (a killed scan) is skipped."""
    for number, line in result_lines(path):
        if line.strip():
            try:
                yield ScanRecord.model_validate_json(line)
            except ValueError as exc:
                raise G7lintError(f"{path}:{number}: not a g7lint results line: {str(exc).splitlines()[0]}") from None


def done_ids(path: Path) -> set[str]:
    """Ids already recorded in ``path``, for --resume (reads ids only, not whole reports)."""
    import json

    ids: set[str] = set()
    if not path.exists():
        return ids
    for _number, line in result_lines(path):
        if line.strip():
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
