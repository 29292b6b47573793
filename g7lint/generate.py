"""Write the generated files kept in the repository: JSON Schemas and rule pages.

    python -m g7lint.generate          # from the repository root

A test regenerates them in a temporary folder and fails if the committed
copies differ, so they cannot go stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from g7lint.config import Config
from g7lint.docs import write_pages
from g7lint.findings import LintRun
from g7lint.frameworks import Crosswalk, Framework
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy, Requirement


def _schema(model: Any, name: str, mode: str = "validation") -> dict[str, Any]:
    """``model``'s JSON Schema as shipped in ``schemas/<name>.schema.json``."""
    schema: dict[str, Any] = model.model_json_schema(by_alias=True, mode=mode)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://g7lint/schemas/{name}.schema.json"
    return schema


def write_all(root: Path) -> list[Path]:
    schemas = root / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    written = []
    generated = (
        ("policy.schema.json", _schema(Policy, "policy")),
        ("requirement.schema.json", _schema(Requirement, "requirement")),  # one file under schemas/<policy>/
        ("report.schema.json", _schema(LintRun, "report", mode="serialization")),
        ("framework.schema.json", _schema(Framework, "framework")),
        ("crosswalk.schema.json", _schema(Crosswalk, "crosswalk", mode="serialization")),
        ("config.schema.json", _schema(Config, "config")),  # [tool.g7lint] or .g7lint.yaml
    )
    for name, schema in generated:
        path = schemas / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    written += write_pages(load_policy(), root / "docs" / "rules")
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    for written_path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written_path)
