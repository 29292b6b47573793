"""How a rule is named on the command line, in config and in directives."""

from __future__ import annotations


def selects(selector: str, labels: tuple[str, ...]) -> bool:
    """Whether ``selector`` picks a rule with these labels (its code and name).

    A selector is a rule code (``G70303``), a name (``limitations``) or a code
    prefix (``G703``: every rule of G7 action 3; ``G7``: every rule), as ruff
    and flake8 select by prefix.
    """
    return any(selector == label or (selector.startswith("G7") and label.startswith(selector)) for label in labels)


def is_known(selector: str, labels: set[str]) -> bool:
    return any(selects(selector, (label,)) for label in labels)
