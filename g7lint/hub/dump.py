"""Lint a parquet dump of Hub model cards across all cores.

The public daily dump (columns ``modelId, author, last_modified, downloads,
likes, library_name, tags, pipeline_tag, createdAt, card``) holds every card
with its text, so a million cards cost no API calls. It is read in
row-group batches with pyarrow (the ``g7lint[dump]`` extra); batches are
linted in worker processes, which return finished JSON lines.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from g7lint.errors import G7lintError
from g7lint.hub.records import ScanRecord, iso_or_none

_COLUMNS = ("modelId", "downloads", "likes", "pipeline_tag", "library_name", "createdAt", "card")
DEFAULT_BATCH_ROWS = 500


def scan_dump(
    path: str | Path, *, workers: int | None = None, policy_source: str | None = None
) -> Iterator[ScanRecord]:
    """Yield one record per row of the parquet dump at ``path``."""
    for line in scan_dump_lines(path, workers=workers, policy_source=policy_source):
        yield ScanRecord.model_validate_json(line)


def scan_dump_lines(
    path: str | Path,
    *,
    workers: int | None = None,
    policy_source: str | None = None,
    skip: Callable[[str], bool] = lambda model_id: False,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> Iterator[str]:
    """Like :func:`scan_dump`, but yield the JSON lines themselves (no re-parsing)."""
    parquet = _open(Path(path))
    available = set(parquet.schema_arrow.names)
    id_column = "modelId" if "modelId" in available else "id" if "id" in available else None
    if id_column is None or "card" not in available:
        raise G7lintError(f"{path}: a card dump needs columns 'modelId' (or 'id') and 'card'")
    columns = [c for c in _COLUMNS if c in available and c != "modelId"] + [id_column]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(policy_source,)) as pool:
        pending: set[Future[list[str]]] = set()
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
            rows = [row for row in batch.to_pylist() if not skip(str(row.get(id_column)))]
            if id_column != "modelId":
                for row in rows:
                    row["modelId"] = row.pop(id_column)
            if not rows:
                continue
            pending.add(pool.submit(_lint_rows, rows))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()


def dump_rows(path: str | Path) -> int:
    """How many rows the dump at ``path`` holds (from the parquet footer, without reading rows)."""
    return int(_open(Path(path)).metadata.num_rows)


def _open(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise G7lintError("reading a parquet dump needs pyarrow: pip install 'g7lint[dump]'") from None
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise G7lintError(f"{path}: no such file") from None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise G7lintError(f"{path}: not a readable parquet file: {str(exc).splitlines()[0]}") from None


_POLICY: Any = None


def _init_worker(policy_source: str | None) -> None:
    global _POLICY
    from g7lint.policy.loader import compile_policy, load_policy

    _POLICY = load_policy(policy_source)
    compile_policy(_POLICY)


def _lint_rows(rows: list[dict[str, Any]]) -> list[str]:
    from g7lint.batch import lint_batch
    from g7lint.engine import evaluate
    from g7lint.parsing.card import parse_card_text

    records: list[ScanRecord | None] = []
    cards: list[tuple[int, dict[str, Any], str, str]] = []  # (position, fields, path, card) of the rows to lint
    for row in rows:
        fields, problems = _row_fields(row)
        card = row.get("card")
        if problems:
            records.append(ScanRecord(**fields, status="error", message=f"dump row has {'; '.join(problems)}"[:300]))
        elif not isinstance(card, str) or not card.strip():
            records.append(ScanRecord(**fields, status="no_card", message="the dump has no card text"))
        else:
            cards.append((len(records), fields, f"hf://{fields['id']}/README.md", card))
            records.append(None)
    try:
        # One call for the rows' cards: the core reads them all with one release of the GIL.
        # The processes are the parallelism here, so one thread each.
        reports = lint_batch(
            [c for _, _, _, c in cards], paths=[p for _, _, p, _ in cards], policy=_POLICY, reports=True, threads=1
        )
    except Exception:  # noqa: BLE001 - lint them one by one below, so one bad card costs only its row
        reports = [None] * len(cards)
    for (position, fields, path, card), report in zip(cards, reports, strict=True):
        try:
            report = report if report is not None else evaluate(parse_card_text(card, path), _POLICY)
            records[position] = ScanRecord(**fields, status="ok", report=report)
        except Exception as exc:  # noqa: BLE001 - a record, never a crash
            records[position] = ScanRecord(**fields, status="error", message=f"{type(exc).__name__}: {exc}"[:300])
    return [record.model_dump_json() for record in records if record is not None]


def _row_fields(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A row's metadata as ScanRecord fields, and what in it has the wrong type (set to None)."""
    problems: list[str] = []

    def typed(column: str, kind: type, value: Any) -> Any:
        if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
            return value
        problems.append(f"{column} {value!r:.40} (not {kind.__name__})")
        return None

    fields: dict[str, Any] = {
        "id": str(row.get("modelId")),
        "downloads": typed("downloads", int, row.get("downloads")),
        "likes": typed("likes", int, row.get("likes")),
        "pipeline_tag": typed("pipeline_tag", str, row.get("pipeline_tag")),
        "library_name": typed("library_name", str, row.get("library_name")),
        "created_at": iso_or_none(row.get("createdAt")),
    }
    return fields, problems
