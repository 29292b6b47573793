"""Validate a policy file for ``g7lint policy validate``: the JSON Schema first
(what editors and check-jsonschema see), then everything the loader checks
(extends, unique codes, valid patterns, version requirement)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from g7lint.errors import PolicyError
from g7lint.policy.loader import describe_errors, describe_location, load_policy, read_merged_policy
from g7lint.policy.model import Policy
from g7lint.resources import schemas_dir


def validate_policy_file(path: Path) -> list[str]:
    """Every problem found in the policy at ``path``, each starting with where it is; empty when valid.

    The policy is read as ``check --policy`` reads it (included files read in,
    ``extends`` applied), then validated against the JSON Schema, listing every
    error, then loaded, which checks what a schema cannot (unique codes,
    patterns the linear-time engine accepts, embedded schemas, versions).

    Raises:
        PolicyError: there is no policy file at ``path``.
    """
    if not path.is_file():
        raise PolicyError(f"{path}: policy file not found")
    try:
        data = read_merged_policy(path)
    except PolicyError as exc:
        return [_located(str(exc), path)]
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_dir() / "policy.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return [f"{path}: {describe_location(list(e.absolute_path), data)}: {e.message}" for e in errors[:20]]
    try:
        Policy.model_validate(data)
    except ValidationError as exc:
        return [f"{path}: {problem}" for problem in describe_errors(exc, data)[:20]]
    try:
        load_policy(path)
    except PolicyError as exc:
        return [_located(str(exc), path)]
    return []


def _located(message: str, path: Path) -> str:
    """``message`` starting with a file (and line) once: the loader's messages usually carry one already."""
    first = message.split(": ", 1)[0]
    return message if first.split(":")[0].endswith((".yaml", ".yml", ".json")) else f"{path}: {message}"
