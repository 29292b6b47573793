"""Turn the bytes of a card file into text, noting every liberty taken.

The Hub stores cards as UTF-8. Real files arrive as UTF-16, with a BOM, with
CRLF or lone CR line endings, with invalid bytes, as binaries renamed to
README.md, or far too large. Each case is decoded as well as it can be and
reported as a :class:`SourceIssue`, so the engine can turn it into a finding
instead of a traceback.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Cards larger than this are analysed only up to this many bytes. Real Hub
#: cards are well under 1 MiB; the cap keeps time and memory bounded per card.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceIssue:
    """Something about the raw file that the reader had to work around."""

    kind: str  # "binary" | "encoding" | "too-large"
    message: str


@dataclass(frozen=True, slots=True)
class DecodedSource:
    text: str
    issues: tuple[SourceIssue, ...]
    binary: bool = False


def decode_card_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedSource:
    """Decode ``data`` to text with ``\\n`` line endings.

    Line endings are normalised without changing the number of lines, so
    every line number reported stays true to the file on disk.
    """
    issues: list[SourceIssue] = []
    if len(data) > max_bytes:
        cut = data.rfind(b"\n", 0, max_bytes)
        data = data[: cut + 1] if cut > 0 else data[:max_bytes]
        issues.append(_too_large(max_bytes))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        issues.append(SourceIssue("encoding", "card is UTF-16; the Hub expects UTF-8 and may not render it"))
        return _finish(text, issues, max_bytes)
    if b"\x00" in data:
        return DecodedSource(
            "",
            (SourceIssue("binary", "file contains NUL bytes: it is binary, not a Markdown card"),),
            binary=True,
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        issues.append(
            SourceIssue(
                "encoding",
                f"card is not valid UTF-8 (first bad byte at offset {exc.start}); invalid bytes were replaced",
            )
        )
    return _finish(text, issues, max_bytes)


def decode_card_text(text: str, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedSource:
    """Normalise a card given as a Python string."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        return DecodedSource(
            "",
            (SourceIssue("binary", "text contains NUL characters: it is not a Markdown card"),),
            binary=True,
        )
    issues: list[SourceIssue] = []
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates, e.g. from bytes decoded with 'surrogateescape'
            text = text.encode("utf-8", errors="replace").decode("utf-8")
            issues.append(SourceIssue("encoding", "text holds lone surrogates (not valid Unicode); they were replaced"))
    return _finish(text, issues, max_bytes)


def _finish(text: str, issues: list[SourceIssue], max_bytes: int) -> DecodedSource:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Characters are at most 4 bytes, so only long texts need the exact count.
    if len(text) * 4 > max_bytes and len(text.encode("utf-8")) > max_bytes:
        cut = text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
        newline = cut.rfind("\n")
        text = cut[: newline + 1] if newline > 0 else cut
        issues.append(_too_large(max_bytes))
    return DecodedSource(text, tuple(issues))


def _too_large(max_bytes: int) -> SourceIssue:
    kib = max_bytes // 1024
    return SourceIssue("too-large", f"card is larger than {kib} KiB; only the first {kib} KiB were analysed")
