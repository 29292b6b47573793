"""Find the data files shipped in ``schemas/``.

In a wheel they live in ``g7lint/schemas`` (hatchling force-includes them);
in a source checkout they sit beside the package at the repository root.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def schemas_dir() -> Path:
    packaged = Path(str(resources.files("g7lint"))) / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"
