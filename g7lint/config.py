"""Configuration: ``[tool.g7lint]`` in pyproject.toml or a ``.g7lint.yaml`` file.

Found, as ruff and flake8 do, by walking up from the checked file to the
nearest file that has a g7lint section. Unknown keys are errors naming the
file and the key. A section is checked against ``schemas/config.schema.json``
(generated from :class:`Config`, so editors can check it too) with
jsonschema-rs, which the run loads anyway, not with pydantic, whose import
would double a pre-commit run's start-up. Example::

    [tool.g7lint]
    policy = "g7-hiroshima-2023"       # or a path to your own policy
    select = ["G7"]                      # codes, names or code prefixes (G703 = action 3)
    ignore = ["security-controls"]
    fail-on = "warning"                  # error | warning | info | never
    exclude = ["archive/**"]
    [tool.g7lint.severity]
    content-provenance = "error"
    [tool.g7lint.per-file-ignores]
    "research/**/README.md" = ["G708"]
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, Literal

from g7lint.datamodel import Record
from g7lint.errors import ConfigError
from g7lint.findings import Severity
from g7lint.resources import schemas_dir
from g7lint.selectors import selects

CONFIG_FILENAMES = (".g7lint.yaml", ".g7lint.yml", "pyproject.toml")
FailOn = Literal["error", "warning", "info", "never"]


def _drop_provenance(schema: dict[str, Any]) -> None:
    """The schema leaves out ``source`` and ``root``: the loader sets them, a file never does."""
    for name in ("source", "root"):
        schema.get("properties", {}).pop(name, None)


@dataclass(frozen=True, kw_only=True)
class Config(Record):
    """Validated configuration; every field is optional.

    A frozen dataclass; ``schemas/config.schema.json`` is generated from it
    (by pydantic, :mod:`g7lint.datamodel`) and checks each config file.
    """

    # pydantic reads these only to generate the schema: no extra keys, and no source or root.
    __pydantic_config__: ClassVar[Any] = {"extra": "forbid", "json_schema_extra": _drop_provenance}

    policy: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list, metadata={"alias": "extend-select"})
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict, metadata={"alias": "per-file-ignores"})
    fail_on: FailOn | None = field(default=None, metadata={"alias": "fail-on"})
    exclude: list[str] = field(default_factory=list)
    force_exclude: bool = field(
        default=False,
        metadata={
            "alias": "force-exclude",
            "description": "Apply 'exclude' to files named on the command line too (pre-commit names every file).",
        },
    )
    # 1 KiB to 1 GiB
    max_bytes: int | None = field(default=None, metadata={"ge": 1024, "le": 1 << 30, "alias": "max-bytes"})
    time_budget: float | None = field(
        default=None, metadata={"gt": 0, "le": 3600, "alias": "time-budget", "description": "Seconds per card."}
    )

    # Where this configuration came from; paths in it are relative to ``root``.
    source: str = field(default="", metadata={"exclude": True})
    root: str = field(default="", metadata={"exclude": True})


def find_config_file(start: Path) -> Path | None:
    """The nearest config file with a g7lint section, from ``start`` upwards."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def load_config(path: Path) -> Config:
    """Read and validate one config file.

    Raises:
        ConfigError: the file cannot be read or holds unknown keys or bad values.
    """
    data = _read_section(path)
    names = _field_names()
    for key in data:
        if key not in names:
            raise ConfigError(f"{path}: invalid config: unknown key '{key}'")
    for error in _validator().iter_errors(data):
        key = ".".join(str(part) for part in error.instance_path) or "(the section)"
        raise ConfigError(f"{path}: invalid config: {key}: {_reason(error)}")
    values: dict[str, Any] = {names[key]: value for key, value in data.items()}
    if "severity" in values:
        values["severity"] = {code: Severity(level) for code, level in values["severity"].items()}
    if values.get("time_budget") is not None:
        values["time_budget"] = float(values["time_budget"])
    return Config(**values, source=str(path), root=str(path.parent.resolve()))


def _reason(error: Any) -> str:
    """What is wrong with a value. An optional key's schema is "X or null": name what X needs,
    not that the value matches neither."""
    branches = getattr(error.kind, "context", None) or []
    for branch in branches:
        reasons = [item.message for item in branch if not item.message.endswith('is not of type "null"')]
        if reasons:
            return str(reasons[0])
    return str(error.message)


@lru_cache(maxsize=1)
def _field_names() -> dict[str, str]:
    """Each key a config file may use (the field's alias, else its name) -> the field's name."""
    return {
        item.metadata.get("alias", item.name): item.name
        for item in dataclasses.fields(Config)
        if item.name not in ("source", "root")
    }


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema_rs

    schema = json.loads((schemas_dir() / "config.schema.json").read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema)


def _has_tool_section(path: Path) -> bool:
    """Whether a pyproject.toml configures g7lint; a broken one is an error, not silently skipped."""
    return "g7lint" in _tool_table(_toml(path), path)


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: invalid config: 'tool' must be a table")
    return tool


def _read_section(path: Path) -> dict[str, Any]:
    if path.suffix == ".toml":
        section = _tool_table(_toml(path), path).get("g7lint", {})
    else:
        import yaml

        try:
            section = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid config: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: invalid config: the g7lint section must be a mapping")
    return section


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        with open(path, "rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid config: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid config: not valid TOML: {exc}") from None


def merge(base: Config, **overrides: Any) -> Config:
    """``base`` with the command line's options on top (None means 'not given')."""
    update = {key: value for key, value in overrides.items() if value is not None}
    return base.model_copy(update=update)


def relative_path(path: str, config: Config) -> str:
    """``path`` relative to the config's folder, in POSIX form, for glob matching."""
    try:
        relative = Path(path).resolve().relative_to(config.root) if config.root else Path(path)
    except ValueError:
        relative = Path(path)
    return PurePosixPath(relative).as_posix()


def is_excluded(path: str, config: Config) -> bool:
    relative = relative_path(path, config)
    return any(_glob(relative, pattern) for pattern in config.exclude)


def _glob(path: str, pattern: str) -> bool:
    if fnmatch.fnmatch(path, pattern):
        return True
    # "archive/**" should also match "archive/x/README.md"; "**/x" should match "x".
    return pattern.startswith("**/") and fnmatch.fnmatch(path, pattern[3:])


def rule_filter(config: Config, path: str, labels_of: Callable[[Any], tuple[str, ...]]) -> Callable[[Any], bool]:
    """A predicate saying whether a rule runs for the card at ``path``."""
    selected = None if config.select is None else [*config.select, *config.extend_select]
    ignored = list(config.ignore)
    relative = relative_path(path, config)
    for pattern, selectors in config.per_file_ignores.items():
        if _glob(relative, pattern):
            ignored.extend(selectors)

    def enabled(rule: Any) -> bool:
        labels = labels_of(rule)
        if selected is not None and not any(selects(s, labels) for s in selected):
            return False
        return not any(selects(s, labels) for s in ignored)

    return enabled
