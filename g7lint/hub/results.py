"""JSONL results files: opened for --resume without a torn last line, read back for --resume and --since."""

from __future__ import annotations

import json
import os
import re
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
        raise G7lintError(f"{path}: results file not found")
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


#: g7lint writes "id" first on every line, so the id is read without parsing the report behind it.
_LEADING_ID = re.compile(r'\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*")')


def record_id(line: str) -> str:
    """The model id of a results line ("" if it has none): cheap for g7lint's own lines, which
    start with the id; any other line is parsed whole."""
    leading = _LEADING_ID.match(line)
    try:
        record = json.loads(leading.group(1) if leading else line)
    except ValueError:
        return ""
    model_id = record if leading else (record.get("id") if isinstance(record, dict) else None)
    return model_id if isinstance(model_id, str) else ""


def latest_lines(path: Path) -> set[int]:
    """Numbers of the lines that hold each model's latest record: ``--resume`` appends the new
    attempt of a model whose earlier record was an error, and readers count the latest only.
    Lines with no readable id are all kept (the reader decides what they are)."""
    latest: dict[str, int] = {}
    anonymous: set[int] = set()
    for number, line in result_lines(path):
        model_id = record_id(line)
        if model_id:
            latest[model_id] = number
        else:
            anonymous.add(number)
    return set(latest.values()) | anonymous


def read_records(path: Path) -> Iterator[ScanRecord]:
    """Records of a results file, the latest per model; torn lines (a killed scan,
    a full disk) are skipped."""
    keep = latest_lines(path)
    for number, line in result_lines(path):
        if number in keep and line.strip():
            try:
                yield ScanRecord.model_validate_json(line)
            except ValueError:
                continue  # torn: as good as missing


def done_ids(path: Path) -> set[str]:
    """Ids ``--resume`` need not fetch again: those whose latest record is not an error.

    An ``error`` (a time-out, a 5xx) is retried by the next ``--resume``; its
    line stays in the file as the record of that attempt, and readers take the
    latest line per model.
    """
    if not path.exists():
        return set()
    return {record.id for record in read_records(path) if record.status != "error"}


class ResultsLocked(G7lintError):
    """Another scan is writing the same results file."""


def _lock(handle: IO[str], path: Path) -> None:
    """Hold an exclusive lock on the results file for the life of the scan (POSIX)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ResultsLocked(f"{path}: another scan is writing this file; wait for it or choose another --out") from None


def open_results(path: Path, resume: bool) -> IO[str]:
    """Open ``path`` for appending (resume) or writing, dropping a torn last line."""
    if resume and path.exists():
        handle = open(path, "a", encoding="utf-8")
        _lock(handle, path)  # before touching the tail another scan may be writing
        _drop_torn_tail(path)
        return handle
    if path.exists() and not resume:
        raise G7lintError(f"{path}: already exists; use --resume to continue it or choose another --out")
    handle = open(path, "w", encoding="utf-8")
    _lock(handle, path)
    return handle


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
