"""Find the data files shipped in ``schemas/``.

In a wheel they live in ``g7lint/schemas`` (maturin includes them); in a
source checkout ``g7lint/schemas`` is a link to the folder at the repository
root, and the root folder is the fallback where links are not kept.
"""

from __future__ import annotations

from pathlib import Path


def schemas_dir() -> Path:
    package = Path(__file__).resolve().parent
    packaged = package / "schemas"
    if packaged.is_dir():
        return packaged
    return package.parent / "schemas"
