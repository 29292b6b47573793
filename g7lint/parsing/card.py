"""The parsed model card: front matter, body blocks and sections, raw issues."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from g7lint.parsing.directives import Directive, MalformedDirective, read_directives
from g7lint.parsing.frontmatter import FrontMatter, split_front_matter
from g7lint.parsing.markdown import MAX_BLOCKS, Body, parse_body
from g7lint.parsing.source import (
    DEFAULT_MAX_BYTES,
    DecodedSource,
    SourceIssue,
    decode_card_bytes,
    decode_card_text,
)


@dataclass(slots=True)
class Card:
    """A model card as g7lint sees it.

    Build one with :func:`parse_card_text`, :func:`parse_card_bytes` or
    :func:`parse_card_file`; the engine never needs anything else.
    """

    path: str
    text: str
    front_matter: FrontMatter
    body: Body
    source_issues: tuple[SourceIssue, ...]
    binary: bool = False

    @property
    def metadata(self) -> dict[str, Any]:
        return self.front_matter.metadata

    def directives(self) -> tuple[list[Directive], list[MalformedDirective]]:
        """The card's suppression directives and malformed ones (none read unless it mentions one)."""
        return read_directives(self.text) if self.body.mentions_directives else ([], [])

    def position_of(self, offset: int) -> tuple[int, int]:
        """1-based line and column of character ``offset`` in the card text."""
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column


def _from_decoded(decoded: DecodedSource, path: str) -> Card:
    front_matter = split_front_matter(decoded.text)
    body = parse_body(decoded.text, front_matter.body_offset, front_matter.body_first_line)
    return assemble_card(decoded, path, front_matter, body)


def assemble_card(decoded: DecodedSource, path: str, front_matter: FrontMatter, body: Body) -> Card:
    """The card of a decoded text, its front matter and its body, parsed by any route."""
    issues = decoded.issues
    if body.truncated:
        last_line = body.blocks[-1].line if body.blocks else 1
        issues += (
            SourceIssue(
                "too-large",
                f"card has more than {MAX_BLOCKS:,} blocks; only those up to line {last_line} were analysed",
            ),
        )
    return Card(path, decoded.text, front_matter, body, issues, decoded.binary)


def parse_card_text(text: str, path: str = "<string>", max_bytes: int = DEFAULT_MAX_BYTES) -> Card:
    return _from_decoded(decode_card_text(text, max_bytes), path)


def parse_card_bytes(data: bytes, path: str = "<bytes>", max_bytes: int = DEFAULT_MAX_BYTES) -> Card:
    return _from_decoded(decode_card_bytes(data, max_bytes), path)


def parse_card_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Card:
    """Read and parse a card file; reads at most a little over ``max_bytes``.

    Raises:
        OSError: the file cannot be read, or is not a regular file (a FIFO or a
        device would block or never end).
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or socket)", str(path))
    with open(path, "rb") as handle:
        # One byte past the cap is enough for the decoder to note the excess.
        data = handle.read(max_bytes + 1)
    return _from_decoded(decode_card_bytes(data, max_bytes), str(path))
