"""g7lint: check AI model cards against the G7 Hiroshima Code of Conduct.

Example:
    >>> import g7lint
    >>> report = g7lint.lint_text("---\\nlicense: mit\\n---\\n# My model\\n")
    >>> report.passed
    False

Names are imported on first use, so ``g7lint --version`` and other light
commands start without loading pydantic or the Markdown parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from g7lint._version import __version__

if TYPE_CHECKING:
    from g7lint.api import lint_bytes, lint_card, lint_file, lint_text
    from g7lint.batch import lint_batch, verdict_columns
    from g7lint.engine import RuleOptions
    from g7lint.errors import CardReadError, ConfigError, G7lintError, HubError, PolicyError
    from g7lint.findings import Evidence, Finding, Report, RequirementResult, Severity, Verdict
    from g7lint.fix import fix_card_text
    from g7lint.frameworks import crosswalk
    from g7lint.hub import HubQuery, ScanRecord, lint_hub, scan_dump, scan_hub
    from g7lint.policy.loader import load_policy
    from g7lint.policy.model import Policy

_LAZY = {
    "crosswalk": "g7lint.frameworks",
    "lint_batch": "g7lint.batch",
    "Verdict": "g7lint.findings",
    "verdict_columns": "g7lint.batch",
    "fix_card_text": "g7lint.fix",
    "lint_bytes": "g7lint.api",
    "lint_card": "g7lint.api",
    "lint_file": "g7lint.api",
    "lint_text": "g7lint.api",
    "RuleOptions": "g7lint.engine",
    "CardReadError": "g7lint.errors",
    "ConfigError": "g7lint.errors",
    "G7lintError": "g7lint.errors",
    "PolicyError": "g7lint.errors",
    "Evidence": "g7lint.findings",
    "Finding": "g7lint.findings",
    "Report": "g7lint.findings",
    "RequirementResult": "g7lint.findings",
    "Severity": "g7lint.findings",
    "HubQuery": "g7lint.hub",
    "ScanRecord": "g7lint.hub",
    "lint_hub": "g7lint.hub",
    "scan_dump": "g7lint.hub",
    "scan_hub": "g7lint.hub",
    "HubError": "g7lint.errors",
    "load_policy": "g7lint.policy.loader",
    "Policy": "g7lint.policy.model",
}

__all__ = [
    "CardReadError",
    "ConfigError",
    "Evidence",
    "Finding",
    "G7lintError",
    "HubError",
    "HubQuery",
    "Policy",
    "PolicyError",
    "Report",
    "RequirementResult",
    "RuleOptions",
    "ScanRecord",
    "Severity",
    "Verdict",
    "__version__",
    "crosswalk",
    "fix_card_text",
    "lint_batch",
    "lint_bytes",
    "lint_card",
    "lint_file",
    "lint_hub",
    "lint_text",
    "load_policy",
    "scan_dump",
    "scan_hub",
    "verdict_columns",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'g7lint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
