"""Suppression directives written in the card as HTML comments.

HTML comments survive the Hub's round trip (``ModelCard.load``/``push``) and
are invisible on the rendered page, so they are where a maintainer records a
justified exception::

    <!-- g7lint-disable security-controls -- weights are not released -->
    <!-- g7lint-disable-next-line G70304 -- results are in the table image below -->
    <!-- g7lint-disable G706 -- reason -->  ...  <!-- g7lint-enable G706 -->

``disable`` without a later ``enable`` of the same rules covers the whole
file (most requirement findings concern the card as a whole); with one, it
covers the lines between. A reason after ``--`` is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from g7lint.selectors import selects

_KINDS = ("disable", "disable-next-line", "disable-file", "enable")


@cache
def _comment() -> Any:
    """The directive comment, in RE2 so that a card full of unclosed '<!--g7lint-' cannot make
    the search quadratic; imported only for cards that hold a directive."""
    import re2

    return re2.compile(r"(?s)<!--\s*g7lint-([a-z-]*)(.*?)-->")


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str  # "disable" | "disable-next-line" | "disable-file" | "enable"
    rules: tuple[str, ...]
    reason: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class MalformedDirective:
    message: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Suppressor:
    """One disable directive resolved to the lines it covers."""

    directive: Directive
    first_line: int
    last_line: int  # inclusive; a very large number for "to the end"

    def covers(self, labels: tuple[str, ...], line: int) -> bool:
        if not self.first_line <= line <= self.last_line:
            return False
        return any(selects(rule, labels) for rule in self.directive.rules)


def read_directives(text: str) -> tuple[list[Directive], list[MalformedDirective]]:
    directives: list[Directive] = []
    malformed: list[MalformedDirective] = []
    if "g7lint-" not in text:
        return directives, malformed
    line, counted_to = 1, 0  # lines are counted once through the text, not once per directive
    for match in _comment().finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        kind, rest = match.group(1), match.group(2)
        if kind not in _KINDS:
            malformed.append(MalformedDirective(f"unknown directive 'g7lint-{kind}'", line, column))
            continue
        rules_part, _separator, reason = rest.partition("--")
        rules = tuple(r for r in re.split(r"[\s,]+", rules_part.strip()) if r)
        if not rules:
            malformed.append(MalformedDirective(f"'g7lint-{kind}' names no rule", line, column))
            continue
        reason = " ".join(reason.split())
        if kind != "enable" and not reason:
            malformed.append(MalformedDirective(f"'g7lint-{kind}' needs a reason after '--'", line, column))
            continue
        directives.append(Directive(kind, rules, reason, line, column))
    return directives, malformed


def resolve(directives: list[Directive]) -> list[Suppressor]:
    """Turn directives into the line ranges they cover."""
    end = 1 << 30
    suppressors: list[Suppressor] = []
    for index, directive in enumerate(directives):
        if directive.kind == "disable-file":
            suppressors.append(Suppressor(directive, 1, end))
        elif directive.kind == "disable-next-line":
            suppressors.append(Suppressor(directive, directive.line + 1, directive.line + 1))
        elif directive.kind == "disable":
            closing = next(
                (
                    later
                    for later in directives[index + 1 :]
                    if later.kind == "enable" and set(later.rules) & set(directive.rules)
                ),
                None,
            )
            if closing is None:
                suppressors.append(Suppressor(directive, 1, end))
            else:
                suppressors.append(Suppressor(directive, directive.line, closing.line))
    return suppressors
