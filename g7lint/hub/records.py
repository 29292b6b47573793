"""One line of a scan's JSONL results: a model, what happened, and the report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from g7lint.findings import Report


def iso_or_none(value: Any) -> str | None:
    """A datetime (or anything) as ISO text; None stays None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


Status = Literal["ok", "no_card", "gated", "not_found", "disabled", "error"]


class ScanRecord(BaseModel):
    """The outcome for one model. ``report`` is set only when ``status`` is ``ok``.

    ``sha`` is the exact commit whose README.md was judged (None for dump
    scans, whose source carries no commit).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    id: str
    sha: str | None = None
    downloads: int | None = None
    likes: int | None = None
    pipeline_tag: str | None = None
    library_name: str | None = None
    created_at: str | None = None
    status: Status
    message: str = ""
    report: Report | None = None
