"""Card text made safe to print: one line, every control character visible.

Card text reaches terminals, CI logs and pages: a newline followed by
``::error ...`` becomes a GitHub workflow command, ``\\x1b]0;...`` retitles
the terminal, a bidi override reorders what a reviewer reads. Every output
format passes card-derived text through these functions.
"""

from __future__ import annotations

import unicodedata

#: Invisible characters that are text, not control: joiners inside emoji and scripts.
_KEEP = frozenset("\u200c\u200d")


def printable(text: str) -> str:
    """``text`` on one line with every control character (Unicode categories Cc, Cf,
    Zl and Zp) written as an escape: ``\\n``, ``\\x1b``, ``\\u202e``; a tab becomes a space."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char == "\t":
            out.append(" ")
        elif char.isprintable() or char in _KEEP or unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"):
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def escape_json_controls(document: str) -> str:
    """A JSON document with every control character inside its strings written as ``\\uXXXX``.

    JSON encoders escape only what the grammar demands; a raw escape sequence
    or bidi override still reaches a terminal that prints the document.
    Newlines, tabs and carriage returns outside strings (the indentation) stay.
    """
    out = []
    for char in document:
        if char.isprintable() or char in "\n\r\t" or char in _KEEP:
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
