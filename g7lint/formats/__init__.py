"""Output formats: one module each, behind a name registry.

Every module exposes ``render(run: FormatInput) -> str``. A format decides
only what is printed; the exit code never depends on it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from g7lint.findings import Report
from g7lint.policy.model import Policy

FORMATS: dict[str, str] = {
    "text": "g7lint.formats.text",
    "json": "g7lint.formats.json_format",
    "sarif": "g7lint.formats.sarif",
    "github": "g7lint.formats.github",
    "markdown": "g7lint.formats.markdown",
    "html": "g7lint.formats.html",
}


@dataclass(frozen=True)
class FormatInput:
    reports: Sequence[Report]
    policy: Policy
    color: bool = False
    show_suppressed: bool = False
    show_requirements: bool = False  # text: the per-action table of requirements for each card
    quiet: bool = False  # text: the finding lines only


class Renderer(Protocol):
    def __call__(self, run: FormatInput) -> str: ...


def get_renderer(name: str) -> Renderer:
    """The ``render`` function of the format called ``name``.

    Raises:
        KeyError: no such format.
    """
    module = importlib.import_module(FORMATS[name])
    renderer: Renderer = module.render
    return renderer
