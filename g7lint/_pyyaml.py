"""PyYAML, imported on first use.

The core's libyaml loader builds nearly every card's front matter and policy
file itself; PyYAML is the fallback for what it hands back (tags, anchors,
odd scalars, every error message). Importing it only then keeps ~16 ms off
every start-up.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any


@cache
def pyyaml() -> tuple[ModuleType, Any]:
    """The ``yaml`` module and its safe loader (the C one where libyaml is built in: ~10x faster)."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)
