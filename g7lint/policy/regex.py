"""RE2, the linear-time dialect every policy pattern is written in.

Policy patterns are data, a user's or ours, and cards are written by anyone:
on a backtracking engine one unlucky pattern and one hostile 100 KB README
stall a lint (and, holding the GIL, a whole Hub scan) for minutes. RE2 has no
backtracking, so a pattern's cost grows with the text and nothing else; the
price is the dialect (no lookaround, no backreferences), which the policy
keeps and ``tests/test_policy_patterns.py`` enforces. Note that RE2's ``\\b``,
``\\w`` and ``\\d`` are ASCII: non-English words are matched by literals.

Every pattern runs in the compiled core (the ``regex`` crate, given RE2's
meaning by ``core/src/dialect.rs``); RE2 checks a user's policy here, because
its errors say what in a pattern needs a backtracking engine.
"""

from __future__ import annotations

from typing import Any

import re2

from g7lint.errors import PolicyError


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False  # a bad pattern is reported as a PolicyError, not logged to stderr
    options.max_mem = 64 << 20  # the alternations of a policy's headings fit; a runaway pattern does not
    return options


def check_linear(source: str, ignore_case: bool = True) -> None:
    """Raises:
    PolicyError: the pattern is not valid, or needs a backtracking engine.
    """
    try:
        re2.compile(source, _options(ignore_case))
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise PolicyError(
            f"pattern {source!r} is not accepted by the linear-time engine ({detail}); "
            "lookaround and backreferences are not supported"
        ) from None
