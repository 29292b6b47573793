"""Errors that mean g7lint itself could not do its job (CLI exit code 2).

Problems *in a card* are never raised: they are findings.
"""

from __future__ import annotations


class G7lintError(Exception):
    """Root of every error g7lint raises on purpose."""


class PolicyError(G7lintError):
    """A policy file is missing, unreadable or invalid."""


class ConfigError(G7lintError):
    """A configuration file or option is invalid."""


class CardReadError(G7lintError):
    """A card file could not be read at all (missing, a directory, no permission)."""


class HubError(G7lintError):
    """The Hub could not give what was asked (gated, not found, no card, network)."""

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.status = status
