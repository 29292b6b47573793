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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from g7lint.api import resolve_policy, rule_options
from g7lint.engine import evaluate, judge
from g7lint.findings import Verdict
from g7lint.parsing.card import parse_card_bytes, parse_card_text
from g7lint.policy.model import Policy


def lint_batch(
    cards: Iterable[str | bytes | None],
    *,
    paths: Iterable[str] | None = None,
    policy: Policy | str | Path | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
    reports: bool = False,
) -> list[Any]:
    """One :class:`Verdict` per card, in order (full :class:`Report` objects with ``reports=True``).

    ``paths`` names the cards in the results (default ``card-<n>``). A card
    that is None, empty or not text becomes a verdict with ``error`` set, so
    one bad row never loses a partition.

    Raises:
        PolicyError, ConfigError: the policy or a rule selection is invalid
        (before any card is read).
    """
    resolved = resolve_policy(policy)  # once per batch, not once per card
    options = rule_options(resolved, None, select, ignore, fail_on)
    names = iter(paths) if paths is not None else iter(())
    results: list[Any] = []
    for number, card in enumerate(cards):
        path = str(next(names, f"card-{number}"))
        if isinstance(card, bytes | bytearray | str) and card:
            parsed = parse_card_text(card, path) if isinstance(card, str) else parse_card_bytes(bytes(card), path)
            results.append(evaluate(parsed, resolved, options) if reports else judge(parsed, resolved, options))
        else:
            what = "no card text" if _missing(card) else f"not text but {type(card).__name__}"
            results.append(Verdict(path, False, {}, (), what))
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
