"""Validate a policy file for ``g7lint policy validate``: the JSON Schema first
(what editors and check-jsonschema see), then everything the loader checks
(extends, unique codes, valid patterns, version requirement)."""

from __future__ import annotations

import json
from pathlib import Path

from g7lint.errors import PolicyError
from g7lint.policy.loader import load_policy, read_policy_document
from g7lint.resources import schemas_dir


def validate_policy_file(path: Path) -> list[str]:
    """Problems found in the policy at ``path``; empty when it is valid.

    Raises:
        PolicyError: there is no policy file at ``path``.
    """
    if not path.is_file():
        raise PolicyError(f"{path}: policy file not found")
    try:
        data = read_policy_document(path)
    except PolicyError as exc:
        return [str(exc).removeprefix(f"{path}: ")]
    if "extends" not in data:
        from jsonschema import Draft202012Validator

        schema = json.loads((schemas_dir() / "policy.schema.json").read_text(encoding="utf-8"))
        errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            return [f"{'/'.join(map(str, e.absolute_path)) or '(top level)'}: {e.message}" for e in errors[:20]]
    try:
        load_policy(path)
    except PolicyError as exc:
        return [str(exc).removeprefix(f"{path}: ")]
    return []
