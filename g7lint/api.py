"""The library's entry points: lint a card given as a file, text, bytes or ModelCard.

The library never prints and never exits; problems in a card are findings in
the returned :class:`~g7lint.findings.Report`, and only failures of g7lint
itself (an unreadable file, an invalid policy) raise a
:class:`~g7lint.errors.G7lintError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from g7lint.engine import RuleOptions, evaluate
from g7lint.errors import CardReadError, ConfigError, G7lintError
from g7lint.findings import Report
from g7lint.parsing.card import parse_card_bytes, parse_card_file, parse_card_text
from g7lint.parsing.source import DEFAULT_MAX_BYTES
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy
from g7lint.selectors import is_known, selects

if TYPE_CHECKING:
    from huggingface_hub import ModelCard


def resolve_policy(policy: Policy | str | Path | None) -> Policy:
    """``policy`` itself, or the policy loaded by that name or path (the shipped one for None)."""
    return policy if isinstance(policy, Policy) else load_policy(policy)


def rule_options(
    policy: Policy,
    options: RuleOptions | None,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    fail_on: str | None,
) -> RuleOptions | None:
    """RuleOptions from the CLI-style keywords (``select=["G703"]``, ``ignore=[...]``, ``fail_on="warning"``)."""
    if select is None and not ignore and fail_on is None:
        return options
    if options is not None:
        raise G7lintError("give either options= or select=/ignore=/fail_on=, not both")
    if isinstance(select, str) or isinstance(ignore, str):
        raise G7lintError("select= and ignore= take lists of rule codes, names or prefixes")
    labels = {label for rule in policy.all_rules() for label in (rule.code, rule.name)}
    for selector in [*(select or []), *ignore]:
        if not is_known(selector, labels):
            raise ConfigError(f"unknown rule '{selector}' (see 'g7lint rules')")
    chosen, skipped = list(select) if select is not None else None, list(ignore)

    def enabled(rule: Any) -> bool:
        own = (rule.code, rule.name)
        if chosen is not None and not any(selects(s, own) for s in chosen):
            return False
        return not any(selects(s, own) for s in skipped)

    return RuleOptions(enabled=enabled, fail_on=fail_on)


def lint_text(
    text: str | bytes,
    path: str = "<string>",
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
) -> Report:
    """Lint a card given as text (bytes are read as :func:`lint_bytes` reads them).

    Example:
        >>> report = lint_text("---\\nlicense: mit\\n---\\n# My model\\n")
        >>> report.requirement("license").status
        'pass'
    """
    resolved = resolve_policy(policy)
    options = rule_options(resolved, options, select, ignore, fail_on)
    if isinstance(text, bytes | bytearray):
        return lint_bytes(bytes(text), path, policy=resolved, options=options, max_bytes=max_bytes)
    if not isinstance(text, str):
        raise G7lintError(f"lint_text takes a str or bytes, not {type(text).__name__}")
    return evaluate(parse_card_text(text, path, max_bytes), resolved, options)


def lint_bytes(
    data: bytes,
    path: str = "<bytes>",
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
) -> Report:
    """Lint a card given as raw bytes (any encoding problem becomes a finding)."""
    resolved = resolve_policy(policy)
    options = rule_options(resolved, options, select, ignore, fail_on)
    return evaluate(parse_card_bytes(data, path, max_bytes), resolved, options)


def lint_file(
    path: str | Path,
    *,
    policy: Policy | str | Path | None = None,
    options: RuleOptions | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
) -> Report:
    """Lint the card at ``path``.

    Raises:
        CardReadError: the file does not exist or cannot be read.
    """
    resolved_policy = resolve_policy(policy)
    options = rule_options(resolved_policy, options, select, ignore, fail_on)
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
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
) -> Report:
    """Lint a ``huggingface_hub.ModelCard`` (or any RepoCard): its full text, front matter included."""
    return lint_text(
        str(card.content), path, policy=policy, options=options, select=select, ignore=ignore, fail_on=fail_on
    )
