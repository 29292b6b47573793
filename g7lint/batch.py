"""Lint many cards in one call, for data-frame engines (Dask, Ray) and Hub-history scans.

:func:`lint_batch` is a plain function of plain data: it takes card texts or
bytes and rule selections given as strings, loads the policy once per
process (cached), and returns one small, picklable :class:`Verdict` per card
in order, never raising for a bad card. So a partition function can call it
on a column and an engine can ship it to any worker::

    verdicts = g7lint.lint_batch(frame["card"].tolist(), paths=frame["modelId"].tolist())
    frame.assign(**g7lint.verdict_columns(verdicts))
"""

from __future__ import annotations

import math
import os
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

from g7lint.api import resolve_policy, rule_options
from g7lint.checks.requirements import settled_by_metadata
from g7lint.engine import ProseRead, RuleOptions, evaluate, judge, plan_for
from g7lint.findings import Verdict
from g7lint.parsing.card import assemble_card
from g7lint.parsing.frontmatter import FrontMatter, split_front_matter
from g7lint.parsing.markdown import MAX_BLOCKS, Body
from g7lint.parsing.source import DecodedSource, decode_card_bytes, decode_card_text
from g7lint.policy.loader import CompiledPolicy, compile_policy
from g7lint.policy.model import Policy

#: Cards handed to a thread at a time: enough to make the hand-over cheap, few enough that
#: memory stays flat over any number of cards (two chunks per thread are in flight).
CHUNK = 32
#: Threads beyond this add nothing: the Python part of each card runs one thread at a time.
MAX_THREADS = 4


def lint_batch(
    cards: Iterable[str | bytes | None],
    *,
    paths: Iterable[str] | None = None,
    policy: Policy | str | Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
    reports: bool = False,
    threads: int | None = None,
) -> list[Any]:
    """One :class:`Verdict` per card, in order (full :class:`Report` objects with ``reports=True``).

    ``paths`` names the cards in the results (default ``card-<n>``). A card
    that is None, empty or not text becomes a verdict with ``error`` set, so
    one bad row never loses a partition.

    ``threads`` lint cards side by side (default: the CPUs this process may
    use, at most 4; 1 runs them in the calling thread). Each thread takes
    chunks of ``CHUNK`` cards, and the compiled core reads a whole chunk with
    the GIL released, so threads share the work; the results are the same, in
    the same order, whatever the number.

    Raises:
        PolicyError, ConfigError: the policy or a rule selection is invalid
        (before any card is read).
    """
    resolved = resolve_policy(policy)  # once per batch, not once per card
    options = rule_options(resolved, None, select, ignore, fail_on) or RuleOptions()
    compiled = compile_policy(resolved)
    names = iter(paths) if paths is not None else iter(())
    numbered = ((str(next(names, f"card-{number}")), card) for number, card in enumerate(cards))

    def lint_chunk(chunk: list[tuple[str, str | bytes | None]]) -> list[Any]:
        return _lint_chunk(chunk, resolved, compiled, options, reports)

    chunks = iter(lambda: list(islice(numbered, CHUNK)), [])
    workers = thread_count(threads)
    results: list[Any] = []
    if workers == 1:
        for chunk in chunks:
            results += lint_chunk(chunk)
        return results
    pool = _pool(workers)
    pending: deque[Future[list[Any]]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(lint_chunk, chunk))
        if len(pending) >= 2 * workers:
            results += pending.popleft().result()
    while pending:
        results += pending.popleft().result()
    return results


_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}  # by (process id, size)
_pools_lock = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    """One pool per size for the life of the process: the same threads serve every call, so
    the per-thread state behind them (the core's regex caches, the allocator's arenas) is
    made once; new threads for each call would grow the process by a few hundred MB. A
    forked child (a process scheduler's worker) has none of its parent's threads, so it
    makes its own pool."""
    key = (os.getpid(), workers)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ThreadPoolExecutor(workers, thread_name_prefix="g7lint")
        return pool


def thread_count(threads: int | None) -> int:
    """How many threads ``lint_batch(threads=threads)`` uses."""
    if threads is not None:
        return max(1, threads)
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_THREADS))


def _lint_chunk(
    chunk: list[tuple[str, str | bytes | None]],
    policy: Policy,
    compiled: CompiledPolicy,
    options: RuleOptions,
    reports: bool,
) -> list[Any]:
    """The chunk's verdicts or reports, in order. The core reads every card's body, prose and
    verdicts in one call, so a thread lets go of the GIL once per chunk rather than per card."""
    results: list[Any] = [None] * len(chunk)
    enabled = plan_for(policy, options).enabled
    readable: list[tuple[int, str, DecodedSource, FrontMatter, list[int]]] = []
    for position, (path, card) in enumerate(chunk):
        if not (isinstance(card, bytes | bytearray | str) and card):
            what = "no card text" if _missing(card) else f"not text but {type(card).__name__}"
            results[position] = Verdict(path, False, {}, (), what)
            continue
        decoded = decode_card_text(card) if isinstance(card, str) else decode_card_bytes(bytes(card))
        front_matter = split_front_matter(decoded.text)
        # A verdict needs the prose only where the metadata does not settle the requirement.
        wanted = (
            []
            if reports
            else [
                item.index
                for item in compiled.requirements
                if item.requirement.code in enabled and not settled_by_metadata(item, front_matter.metadata)
            ]
        )
        readable.append((position, path, decoded, front_matter, wanted))
    read_all = compiled.evidencer.read_many(
        [(d.text, f.body_offset, f.body_first_line, wanted) for _, _, d, f, wanted in readable], MAX_BLOCKS
    )
    for (position, path, decoded, front_matter, wanted), (core_body, prose, prose_verdicts) in zip(
        readable, read_all, strict=True
    ):
        parsed = assemble_card(decoded, path, front_matter, Body(core_body))
        read: ProseRead | None = None
        if prose is not None:
            read = (prose, dict(zip(wanted, prose_verdicts, strict=True)) if prose_verdicts is not None else {})
        results[position] = evaluate(parsed, policy, options, read) if reports else judge(parsed, policy, options, read)
    return results


def _missing(card: object) -> bool:
    """None, an empty text, or a data frame's missing value (NaN, pandas' NA)."""
    if card is None or (isinstance(card, str | bytes | bytearray) and not card):
        return True
    if isinstance(card, float):
        return math.isnan(card)
    return type(card).__name__ in ("NAType", "NaTType")


def verdict_columns(verdicts: Sequence[Verdict], policy: Policy | str | Path | None = None) -> dict[str, list[Any]]:
    """Verdicts as columns (``passed``, ``error``, ``failed_rules`` and one per requirement of
    ``policy``, "" where a card was not linted), ready for ``DataFrame.assign(**...)`` or
    ``pyarrow.table(...)``. Every call gives the same columns, so partitions agree."""
    resolved = resolve_policy(policy)
    columns: dict[str, list[Any]] = {
        "passed": [v.passed for v in verdicts],
        "error": [v.error for v in verdicts],
        "failed_rules": [" ".join(v.failed_rules) for v in verdicts],
    }
    for requirement in resolved.requirements:
        columns[requirement.id] = [v.statuses.get(requirement.id, "") for v in verdicts]
    return columns
