"""The shipped policy and frameworks, validated once and kept on disk between runs.

Reading the policy's YAML and validating it into its models costs a one-card
``g7lint check`` more than ten times what unpickling the same objects costs
(``python benchmarks/startup.py`` times both), most of it importing pydantic
and building its validators; the unpickled dataclasses need neither. The
entry is keyed by a hash of every file the policy could be built from (its
YAML and JSON, the modules that define its classes, the g7lint version and the
compiled core, whose literal tables an entry keeps), so
an edited policy or an upgrade never reads a stale entry. The shipped
frameworks (for the rule pages SARIF embeds, and crosswalks) are kept the
same way, under the same key. A missing, unreadable or corrupt entry is rebuilt;
a cache folder that cannot be written is skipped: the cache can cost a run
time, never its result.

``G7LINT_CACHE_DIR`` moves the cache; ``G7LINT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

from g7lint import _core
from g7lint._version import __version__
from g7lint.resources import schemas_dir

#: The modules whose classes a cached entry holds: an edit to any of them changes the key.
_MODULES = ("datamodel.py", "findings.py", "frameworks.py", "policy/model.py")


def cache_dir() -> Path | None:
    """Where cached policies live, or None when caching is turned off."""
    if os.environ.get("G7LINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("G7LINT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "g7lint" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "g7lint"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "g7lint"


def shipped_key() -> str:
    """A hash of everything the shipped policy's and frameworks' objects are built from."""
    core = os.stat(_core.__file__)  # a rebuilt core may read other literals from the same patterns
    digest = hashlib.sha256(f"{__version__}\0{core.st_size}\0{core.st_mtime_ns}\0".encode())
    package = Path(__file__).resolve().parent.parent
    sources = sorted(p for p in schemas_dir().rglob("*") if p.suffix in (".yaml", ".json"))
    for path in (*(package / name for name in _MODULES), *sources):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def load(key: str, name: str = "policy") -> object | None:
    """The ``name`` entry cached under ``key``, or None when there is none that can be trusted and
    read. The caller checks the object's type.

    Unpickling runs code, so an entry is read only when this user wrote it: the file and its
    folder belong to this user and nobody else can write them (as ssh treats its keys).
    """
    folder = cache_dir()
    if folder is None:
        return None
    entry = folder / f"{name}-{key}.pickle"
    try:
        if not (_private(folder) and _private(entry)):
            return None
        with open(entry, "rb") as handle:
            value: object = pickle.load(handle)  # noqa: S301 -- this user's own file, checked above
    except Exception:  # noqa: BLE001 -- a missing, truncated or foreign entry is simply rebuilt
        return None
    return value


def _private(path: Path) -> bool:
    """Whether ``path`` belongs to this user and no one else may write it (always, off POSIX)."""
    if not hasattr(os, "getuid"):
        return True
    status = path.stat()
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def store(key: str, value: object, name: str = "policy") -> None:
    """Keep ``value`` as the ``name`` entry under ``key``, written whole or not at all (concurrent
    runs race safely)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"{name}-{key}.pickle")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a read-only or full disk costs the next run time, not this one's result
