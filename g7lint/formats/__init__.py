"""Output formats: one module each, behind a name registry.

Every module exposes ``render(run: FormatInput) -> str``. A format decides
only what is printed; the exit code never depends on it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # kept out of the import so that the CLI can read FORMATS without loading pydantic
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
    """What a format renders: the reports, and the policies they were judged under."""

    reports: Sequence[Report]
    policy: Policy  # the run's policy, or the first card's when cards differ
    color: bool = False
    show_suppressed: bool = False
    show_requirements: bool = False  # text: the per-action table of requirements for each card
    quiet: bool = False  # text: the finding lines only
    policies: Sequence[Policy] = ()  # every policy a card of the run was judged under, if more than ``policy``

    def all_policies(self) -> list[Policy]:
        """The run's policies, each once, ``policy`` first."""
        seen: dict[tuple[str, str], Policy] = {}
        for policy in (self.policy, *self.policies):
            seen.setdefault((policy.id, policy.version), policy)
        return list(seen.values())

    def policy_of(self, report: Report) -> Policy:
        """The policy ``report`` was judged under (by id and version)."""
        for policy in self.all_policies():
            if (policy.id, policy.version) == (report.policy.id, report.policy.version):
                return policy
        return self.policy


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


def render_stream(name: str, reports: Iterable[Report], run: FormatInput) -> Iterator[str]:
    """The output of format ``name`` in pieces, reading ``reports`` once, as they come.

    Formats that can (text, github, json, sarif) emit each card's part as soon
    as it is linted, so a check of ten thousand cards holds one report at a
    time; the others (markdown, html) gather the reports and render once.

    Raises:
        KeyError: no such format.
    """
    module = importlib.import_module(FORMATS[name])
    streamer = getattr(module, "render_stream", None)
    if streamer is not None:
        yield from streamer(reports, run)
        return
    yield module.render(replace(run, reports=list(reports)))


def stream_json_array(document: str, marker: str, items: Iterable[str]) -> Iterator[str]:
    """``document``, indented JSON whose one array holds the string ``marker``, with that array's
    items (each an indented JSON text) streamed in place of the marker, one piece per item.

    The pieces join to what ``json.dumps(..., indent=2)`` of the whole document would give.
    """
    quoted = f'"{marker}"'
    head, tail = document.split(quoted)
    indent = " " * (len(head) - head.rfind("\n") - 1)  # the marker's column is the items' indentation
    head = head.rstrip().removesuffix("[").rstrip() + " ["
    closing = "\n" + indent[:-2] + "]"
    tail = tail.lstrip().removeprefix("]")
    separator = "\n"
    for item in items:
        yield f"{head}{separator}{indent}{item.replace(chr(10), chr(10) + indent)}"
        head, separator = "", ",\n"
    yield (head + "]" if head else closing) + tail + "\n"
