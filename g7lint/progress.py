"""Progress of a long scan on the terminal: rate, ETA and counts by status.

Drawn with rich on standard error when it is a terminal; silent otherwise, so
logs and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


class ScanProgress:
    """A progress bar on a terminal (rate, ETA, counts by status); silent otherwise."""

    def __init__(self, total: int | None) -> None:
        self.counts: Counter[str] = Counter()
        self.total = total
        self._bar: Any = None
        self._task: Any = None
        self._start = time.monotonic()

    def __enter__(self) -> ScanProgress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[counts]}"),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task("scan", total=self.total, rate="", counts="")
            self._bar = bar
        self._start = time.monotonic()
        return self

    def skipped(self, count: int) -> None:
        """Models a resumed scan had already finished: they count towards the total."""
        if count:
            self.counts["already done"] += count
            if self._bar is not None:
                self._bar.update(self._task, advance=count)

    def advance(self, status: str) -> None:
        self.counts[status] += 1
        if self._bar is not None:
            done = sum(v for k, v in self.counts.items() if k != "already done")
            rate = done / max(time.monotonic() - self._start, 1e-6)
            counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
            self._bar.update(self._task, advance=1, rate=f"{rate:.1f} models/s", counts=counts)

    def summary(self, out: Path) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts.items())) or "nothing to do"
        return f"g7lint: {out}: {counts}"

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()
