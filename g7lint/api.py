"""The library's entry points: lint a card given as a file, text, bytes or ModelCard.

The library never prints and never exits; problems in a card are findings in
the returned :class:`~g7lint.findings.Report`, and only failures of g7lint
itself (an unreadable file, an invalid policy) raise a
:class:`~g7lint.errors.G7lintError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from g7lint.engine import RuleOptions, evaluate
from g7lint.errors import CardReadError, G7lintError
from g7lint.findings import Report
from g7lint.parsing.card import parse_card_bytes, parse_card_file, parse_card_text
from g7lint.parsing.source import DEFAULT_MAX_BYTES
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy

if TYPE_CHECKING:
    from huggingface_hub import ModelCard


def _policy(policy: Policy | str | Path | None) -> Policy:
    return policy if isinstance(policy, Policy) else load_policy(policy)


def lint_text(
    text: str | bytes,
    path: str = "<string>",
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Lint a card given as text (bytes are read as :func:`lint_bytes` reads them).

    Example:
        >>> report = lint_text("---\\nlicense: mit\\n---\\n# My model\\n")
        >>> report.requirement("license").status
        'pass'
    """
    if isinstance(text, bytes | bytearray):
        return lint_bytes(bytes(text), path, policy=policy, options=options, max_bytes=max_bytes)
    if not isinstance(text, str):
        raise G7lintError(f"lint_text takes a str or bytes, not {type(text).__name__}")
    return evaluate(parse_card_text(text, path, max_bytes), _policy(policy), options)


def lint_bytes(
    data: bytes,
    path: str = "<bytes>",
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Lint a card given as raw bytes (any encoding problem becomes a finding)."""
    return evaluate(parse_card_bytes(data, path, max_bytes), _policy(policy), options)


def lint_file(
    path: str | Path,
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """Lint the card at ``path``.

    Raises:
        CardReadError: the file does not exist or cannot be read.
    """
    resolved_policy = _policy(policy)
    try:
        card = parse_card_file(path, max_bytes)
    except IsADirectoryError:
        raise CardReadError(f"{path}: is a directory, not a card file") from None
    except FileNotFoundError:
        raise CardReadError(f"{path}: no such file") from None
    except OSError as exc:
        raise CardReadError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return evaluate(card, resolved_policy, options)


def lint_card(
    card: ModelCard | Any,
    path: str = "README.md",
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
) -> Report:
    """Lint a ``huggingface_hub.ModelCard`` (or any RepoCard): its full text, front matter included."""
    return lint_text(str(card.content), path, policy=policy, options=options)
