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
    """Records of a results file, the latest per model; torn lines (a killed scan,
    a full disk) are skipped."""
    latest: dict[str, int] = {}
    for number, line in result_lines(path):
        model_id = _id_of(line)
        if model_id:
            latest[model_id] = number
    keep = set(latest.values())
    for number, line in result_lines(path):
        if number in keep:
            try:
                yield ScanRecord.model_validate_json(line)
            except ValueError:
                continue  # an id readable, the rest torn: as good as missing


def done_ids(path: Path) -> set[str]:
    """Ids ``--resume`` need not fetch again: those whose latest record is not an error.

    An ``error`` (a time-out, a 5xx) is retried by the next ``--resume``; its
    line stays in the file as the record of that attempt, and readers take the
    latest line per model.
    """
    import json

    latest: dict[str, str] = {}
    if not path.exists():
        return set()
    for _number, line in result_lines(path):
        if line.strip():
            try:
                record = json.loads(line)
                latest[record["id"]] = record.get("status", "error")
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
    return {model_id for model_id, status in latest.items() if status != "error"}


def _id_of(line: str) -> str:
    import json

    try:
        record = json.loads(line)
    except ValueError:
        return ""
    model_id = record.get("id") if isinstance(record, dict) else None
    return model_id if isinstance(model_id, str) else ""


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
