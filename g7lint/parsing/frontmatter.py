"""Split a card into YAML front matter and Markdown body, as the Hub does.

The compiled core reads the YAML with libyaml (the parser of PyYAML's C
loader) and builds the values PyYAML's safe loader would, for the documents
real cards carry; it also scans the top-level keys' lines and bounds the
nesting. A rarer document (a tag, an anchor, a timestamp, an error...) is read
by PyYAML's safe loader, so values and messages stay PyYAML's: YAML tags such
as ``!!python/object`` are refused, never constructed. Positions of nested
values are computed on demand by composing the YAML once more.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from typing import Any

from g7lint import _core
from g7lint._pyyaml import pyyaml

_UNCLOSED_OPENING = re.compile(r"^\s*---[ \t]*\n")

#: Deeper nesting is refused before parsing (the core bounds it: core/src/yaml.rs, nesting_depth).
MAX_NESTING = 200

#: Walking a value larger than this is refused: it protects every later
#: consumer (schema validation, JSON output) from alias bombs.
MAX_METADATA_NODES = 100_000


@dataclass(frozen=True, slots=True)
class FrontMatterProblem:
    kind: str  # "missing" | "unclosed" | "invalid-yaml" | "not-mapping" | "too-complex" | "duplicate-key"
    message: str
    line: int
    column: int = 1


@dataclass(slots=True)
class FrontMatter:
    """The metadata block of a card and where it sits in the file."""

    metadata: dict[str, Any]
    text: str  # the YAML between the fences, "" when absent
    present: bool
    first_line: int  # file line of the first YAML line (after the opening ---)
    closing_line: int  # file line of the closing ---, or 1 without front matter
    body_offset: int  # character offset of the Markdown body in the card text
    body_first_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    problems: list[FrontMatterProblem] = field(default_factory=list)
    _composed: Any = None

    def line_of(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """File line and column of the value at ``path`` (e.g. ``("model-index", 0)``).

        Falls back to the nearest ancestor that can be found, then to the
        closing fence, which is where a missing key would be added.
        """
        if not path:
            return (self.closing_line, 1)
        if len(path) == 1 and isinstance(path[0], str) and path[0] in self.key_lines:
            return (self.key_lines[path[0]], 1)
        node = self._compose()
        best: tuple[int, int] | None = None
        for part in path:
            node = _child(node, part)
            if node is None:
                break
            best = (self.first_line + node.start_mark.line, node.start_mark.column + 1)
        if best is not None:
            return best
        top = path[0]
        if isinstance(top, str) and top in self.key_lines:
            return (self.key_lines[top], 1)
        return (self.closing_line, 1)

    def _compose(self) -> Any:
        if self._composed is None:
            yaml, loader = pyyaml()
            try:
                self._composed = yaml.compose(self.text, Loader=loader) or False
            except (yaml.YAMLError, RecursionError):
                self._composed = False
        return self._composed or None


def _child(node: Any, part: str | int) -> Any:
    yaml, _ = pyyaml()
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def find_yaml_block(text: str) -> tuple[int, int, int] | None:
    """Where the Hub finds the front matter of ``text``: (start of the YAML, its end, end of
    the closing line), or None.

    The same answer as ``huggingface_hub.repocard.REGEX_YAML_BLOCK`` (which that library
    documents as identical to the Hub server's; tests/test_parsing.py holds the two
    together), found with ``str.find``: the regex's lazy scan steps through the YAML a
    character at a time, a third of a card's front-matter time when a model-index runs
    to tens of kilobytes.
    """
    opening = len(text) - len(text.lstrip())  # ``\s*`` (str.isspace, as ``\s`` is)
    if not text.startswith("---", opening):
        return None
    after_dashes = opening + 3
    # The regex tries the opening's "\r\n" first, then "\r" alone (the "\n" then opens the YAML).
    starts = [after_dashes + 2] if text.startswith("\r\n", after_dashes) else []
    if text.startswith(("\r", "\n"), after_dashes):
        starts.append(after_dashes + 1)
    for start in starts:
        closing = _closing_delimiter(text, start)
        if closing is not None:
            return start, *closing
    return None


def _closing_delimiter(text: str, start: int) -> tuple[int, int] | None:
    """The first closing ``---`` line after ``start``: (end of the YAML, end of the line)."""
    dashes = text.find("---", start + 1)
    while dashes != -1:
        # The newline before the dashes; the regex tries "\r\n" before "\r" and "\n".
        crlf = dashes - 2 >= start and text.startswith("\r\n", dashes - 2)
        end = dashes - 2 if crlf else dashes - 1
        if text[dashes - 1] in "\r\n":
            after = dashes + 3
            while after < len(text) and text[after] in " \t":
                after += 1
            if after == len(text) or text[after] == "\n":
                return end, min(after + 1, len(text))
            if text.startswith("\r\n", after):
                return end, after + 2
        dashes = text.find("---", dashes + 1)
    return None


def split_front_matter(text: str) -> FrontMatter:
    """Find and load the front matter of ``text`` the way the Hub does."""
    found = find_yaml_block(text)
    if found is None:
        problems = []
        if _UNCLOSED_OPENING.match(text):
            problems.append(
                FrontMatterProblem(
                    "unclosed",
                    "front matter opens with '---' but is never closed; the Hub will show it as text",
                    1,
                )
            )
        else:
            problems.append(FrontMatterProblem("missing", "card has no YAML front matter (metadata block)", 1))
        return FrontMatter({}, "", False, 1, 1, 0, 1, problems=problems)

    yaml_start, yaml_end, body_offset = found
    yaml_text = text[yaml_start:yaml_end]
    first_line = text.count("\n", 0, yaml_start) + 1
    closing_line = first_line + yaml_text.count("\n") + 1
    if yaml_text == "" and text[yaml_start - 1] == "\n":
        closing_line = first_line
    body_first_line = text.count("\n", 0, body_offset) + 1
    fm = FrontMatter({}, yaml_text, True, first_line, closing_line, body_offset, body_first_line)
    depth, keys, duplicates, loaded, value = _core.read_front_matter(yaml_text, first_line, MAX_NESTING)
    fm.key_lines = dict(keys)
    for key, line in duplicates:
        fm.problems.append(
            FrontMatterProblem(
                "duplicate-key",
                f"metadata key '{key}' is defined more than once; YAML keeps only the last",
                line,
            )
        )
    if loaded:  # the core read it: a mapping of JSON values, or nothing
        fm.metadata = value if isinstance(value, dict) else {}
    else:
        fm.metadata = _load_mapping(yaml_text, first_line, depth, fm.problems)
    return fm


def _load_mapping(yaml_text: str, first_line: int, depth: int, problems: list[FrontMatterProblem]) -> dict[str, Any]:
    """Read with PyYAML a document the core does not build; ``depth`` bounds its nesting.

    libyaml and PyYAML recurse per level; a hostile card nesting 100,000
    levels would crash the interpreter, so such input is refused unread.
    """
    if depth > MAX_NESTING:
        problems.append(
            FrontMatterProblem(
                "too-complex", f"front matter nests deeper than {MAX_NESTING} levels; metadata was ignored", first_line
            )
        )
        return {}
    yaml, loader = pyyaml()
    try:
        value = yaml.load(yaml_text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else 1
        problems.append(
            FrontMatterProblem("invalid-yaml", f"front matter is not valid YAML: {exc.problem or exc}", line, column)
        )
        return {}
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        # RecursionError: pathologically deep nesting; ValueError/TypeError:
        # unhashable keys and similar constructor failures.
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
        problems.append(FrontMatterProblem("invalid-yaml", f"front matter cannot be read: {reason}", first_line))
        return {}
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(
            FrontMatterProblem(
                "not-mapping",
                f"front matter must be a mapping of keys to values, not a {type(value).__name__}",
                first_line,
            )
        )
        return {}
    if _exceeds_node_budget(value, MAX_METADATA_NODES):
        problems.append(
            FrontMatterProblem(
                "too-complex",
                f"front matter expands to more than {MAX_METADATA_NODES:,} values "
                "(an alias bomb?); metadata was ignored",
                first_line,
            )
        )
        return {}
    return {str(k): _as_json_data(v) for k, v in value.items()}


def _as_json_data(value: Any) -> Any:
    """YAML's extra types as the JSON values the Hub would see: dates as ISO strings,
    sets as sorted lists, binary as a placeholder string, every key a string.

    Metadata rules validate with JSON Schema, which knows only JSON's types; a
    date is data for the rule to judge ('2023-01-01' is not a licence id), not
    a reason for the rule to crash.
    """
    if isinstance(value, dict):
        return {str(key): _as_json_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json_data(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_as_json_data(item) for item in value), key=str)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes of binary data>"
    if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN or infinity
        return str(value)
    return value


def _exceeds_node_budget(value: Any, budget: int) -> bool:
    """Count values as a consumer would see them, aliases expanded, without recursion."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > budget:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
