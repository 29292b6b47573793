"""Lint many cards as the command line asks: discovery, configuration, policy.

Kept out of ``cli.py`` so the command line stays a thin shell and this
logic can be called (and tested) as a library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from g7lint.api import lint_bytes, lint_file
from g7lint.config import Config, find_config_file, is_excluded, load_config, merge, rule_filter
from g7lint.discovery import CARD_FILENAMES, find_cards
from g7lint.engine import DEFAULT_TIME_BUDGET, RuleOptions
from g7lint.errors import ConfigError, G7lintError
from g7lint.findings import Report, Severity
from g7lint.parsing.source import DEFAULT_MAX_BYTES
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy
from g7lint.selectors import is_known


@dataclass
class RunSettings:
    """What the command line says, on top of (or instead of) config files."""

    config_path: Path | None = None
    isolated: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class CardJob:
    path: str
    config: Config
    data: bytes | None = None  # set for standard input


def discover(paths: list[str], settings: RunSettings, skipped: list[str] | None = None) -> list[CardJob]:
    """Expand the paths into card files, each with its configuration.

    Files named on the command line are linted unless a config's ``exclude``
    matches them and ``force-exclude`` is on (as under pre-commit, which names
    every staged file). What a folder search skips, and why, is appended to
    ``skipped`` when given.

    Raises:
        G7lintError: a path does not exist, or a folder holds no card.
    """
    jobs: list[CardJob] = []
    cache: dict[Path, Config] = {}
    notes = skipped if skipped is not None else []
    for raw in paths:
        if raw.startswith("hf://"):
            jobs.append(CardJob(raw, config_for(Path.cwd(), settings, cache)))
            continue
        path = Path(raw)
        if not path.exists():
            raise G7lintError(f"{raw}: no such file or directory")
        if path.is_dir():
            found = find_cards(path)
            notes.extend(f"{where}: skipped ({why})" for where, why in found.skipped)
            cards = []
            for card in found.cards:
                if is_excluded(str(card), config_for(card, settings, cache)):
                    notes.append(f"{card}: skipped (excluded by config)")
                else:
                    cards.append(card)
            if not found.cards:
                raise G7lintError(
                    f"{raw}: no model card found (looked for {', '.join(CARD_FILENAMES)}, then *.md in the folder)"
                )
            jobs.extend(CardJob(str(p), config_for(p, settings, cache)) for p in cards)
        else:
            config = config_for(path, settings, cache)
            if config.force_exclude and is_excluded(raw, config):
                notes.append(f"{raw}: skipped (excluded by config)")
                continue
            jobs.append(CardJob(raw, config))
    return jobs


#: The configuration when no file gives one: every field's default, which needs no validation.
_DEFAULTS = Config()


def config_for(path: Path, settings: RunSettings, cache: dict[Path, Config]) -> Config:
    """The configuration for the card at ``path``: --config, else the nearest file, else defaults."""
    if settings.isolated:
        base = _DEFAULTS
    elif settings.config_path is not None:
        key = settings.config_path
        if key not in cache:
            if not key.is_file():
                raise ConfigError(f"{key}: config file not found")
            cache[key] = load_config(key)
        base = cache[key]
    else:
        found = find_config_file(path)
        if found is None:
            base = _DEFAULTS
        else:
            if found not in cache:
                cache[found] = load_config(found)
            base = cache[found]
    return merge(base, **settings.overrides)


def policy_for(config: Config) -> Policy:
    source = config.policy
    if source and config.root and not Path(source).is_absolute() and (Path(config.root) / source).exists():
        source = str(Path(config.root) / source)
    return load_policy(source)


def options_for(config: Config, policy: Policy, path: str) -> RuleOptions:
    """RuleOptions for one card; unknown rule names in the config are errors."""
    labels = {label for rule in policy.all_rules() for label in (rule.code, rule.name)}
    where = config.source or "command line"
    for selector in [*(config.select or []), *config.extend_select, *config.ignore, *config.severity]:
        if not is_known(selector, labels):
            raise ConfigError(f"{where}: unknown rule '{selector}' (see 'g7lint rules')")
    for selectors in config.per_file_ignores.values():
        for selector in selectors:
            if not is_known(selector, labels):
                raise ConfigError(f"{where}: unknown rule '{selector}' in per-file-ignores")
    severity: dict[str, Severity] = {}
    for rule in policy.all_rules():
        for label in (rule.name, rule.code):  # the code wins over the name
            if label in config.severity:
                severity[rule.code] = config.severity[label]
    return RuleOptions(
        enabled=rule_filter(config, path, lambda rule: (rule.code, rule.name)),
        severity=severity,
        fail_on=config.fail_on,
        time_budget=config.time_budget or DEFAULT_TIME_BUDGET,
    )


def lint_job(job: CardJob) -> Report:
    policy = policy_for(job.config)
    options = options_for(job.config, policy, job.path)
    max_bytes = job.config.max_bytes or DEFAULT_MAX_BYTES
    if job.path.startswith("hf://"):
        from g7lint.hub.scan import lint_hub, parse_hub_uri

        repo_id, revision = parse_hub_uri(job.path)
        return lint_hub(repo_id, revision, policy=policy, options=options)
    if job.data is not None:
        return lint_bytes(job.data, job.path, policy=policy, options=options, max_bytes=max_bytes)
    return lint_file(job.path, policy=policy, options=options, max_bytes=max_bytes)
