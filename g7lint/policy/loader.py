"""Load a policy from the shipped data or a user's file, and compile it once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from g7lint import _core
from g7lint._pyyaml import pyyaml
from g7lint._version import __version__
from g7lint.errors import PolicyError
from g7lint.policy.model import Policy, Requirement, regexes
from g7lint.resources import schemas_dir

if TYPE_CHECKING:
    from pydantic import ValidationError

DEFAULT_POLICY = "g7-hiroshima-2023"


def shipped_policy_path(name: str = DEFAULT_POLICY) -> Path:
    return schemas_dir() / f"{name}.yaml"


def load_policy(source: str | Path | None = None) -> Policy:
    """Load a policy by shipped name (``"g7-hiroshima-2023"``) or file path.

    A policy file may say ``extends: g7-hiroshima-2023`` (or a path) and then
    give only what differs: requirements and rules with the same id or code
    replace the base's, new ones are added, and ``disable: [ids]`` drops some.

    Raises:
        PolicyError: the file is missing, not YAML, or not a valid policy.
    """
    if source is None:
        source = DEFAULT_POLICY
    return _load(str(source))


@lru_cache(maxsize=16)
def _load(source: str) -> Policy:
    shipped = _resolve(source) == shipped_policy_path()  # ships with this version, and is tested
    if shipped:
        from g7lint.policy import cache

        key = cache.shipped_key()
        cached = cache.load(key)
        policy = cached if isinstance(cached, Policy) else _validated(source)
    else:
        policy = _validated(source)
        _check_version(policy, source)
    try:
        if not shipped:
            _check_schemas(policy)
        compile_policy(policy, trusted=shipped)  # fail early on a bad pattern
    except PolicyError as exc:
        raise PolicyError(f"{source}: {exc}") from None
    if shipped and policy is not cached:
        cache.store(key, policy)  # after compiling, so the entry holds the literal tables too
    return policy


def _validated(source: str) -> Policy:
    from pydantic import ValidationError

    data = _read_policy_data(source, chain=())
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"{source}: invalid policy: {_first_error(exc, data)}") from None


def _check_schemas(policy: Policy) -> None:
    """Every JSON Schema embedded in the policy is a valid schema that references nothing remote.

    Raises:
        PolicyError: naming the rule whose schema is broken.
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    embedded: list[tuple[str, dict[str, Any]]] = [(rule.code, rule.json_schema) for rule in policy.metadata_rules]
    for requirement in policy.requirements:
        embedded += [(f"{requirement.code} ({item.key})", item.json_schema) for item in requirement.evidence.metadata]
    for where, schema in embedded:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise PolicyError(f"rule {where}: its JSON Schema is invalid: {exc.message}") from None
        remote = _remote_reference(schema)
        if remote:
            raise PolicyError(
                f"rule {where}: its JSON Schema refers to {remote!r}; only local '#...' references are allowed"
            )


def _remote_reference(node: Any) -> str:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str) and not value.startswith("#"):
                return value
            found = _remote_reference(value)
            if found:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _remote_reference(item)
            if found:
                return found
    return ""


def _resolve(source: str) -> Path:
    path = Path(source)
    if path.suffix in (".yaml", ".yml", ".json") or path.exists():
        return path
    return shipped_policy_path(source)


def _read_policy_data(source: str, chain: tuple[str, ...]) -> dict[str, Any]:
    path = _resolve(source)
    if str(path) in chain:
        raise PolicyError(f"{path}: policy extends itself")
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: policy must be a mapping")
    _read_includes(data, path)
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    if not isinstance(base_name, str):
        raise PolicyError(f"{path}: 'extends' must name a policy")
    base_source = base_name
    if not Path(base_name).is_absolute() and (path.parent / base_name).exists():
        base_source = str(path.parent / base_name)
    try:
        base = _read_policy_data(base_source, (*chain, str(path)))
    except PolicyError as exc:
        message = str(exc)
        raise PolicyError(message if message.startswith(str(path)) else f"{path}: extends: {message}") from None
    return _merge(base, data, path)


def _read_yaml(path: Path) -> Any:
    """The YAML file at ``path``: read by the core when it can build it exactly as PyYAML's
    safe loader would (about ten times faster), else by PyYAML, which words every error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path.parent == schemas_dir() and path.suffix == ".yaml":
            shipped = ", ".join(sorted(p.stem for p in schemas_dir().glob("*.yaml")))
            raise PolicyError(
                f"policy '{path.stem}' is neither a file nor a shipped policy (shipped: {shipped})"
            ) from None
        raise PolicyError(f"{path}: policy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read policy: {exc}") from None
    built, value = _core.load_yaml(text)
    if built:
        return value
    yaml, loader = pyyaml()
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"{path}{where}: policy is not valid YAML: {problem}") from None


def _read_includes(data: dict[str, Any], path: Path) -> None:
    """Replace file names by the files' contents, in place.

    One requirement, one file: an item of ``requirements`` may be the name of
    a YAML file (relative to the policy) holding that requirement, and
    ``placeholders`` and ``pointers`` may each name a file holding the list. Problems in an included
    file are reported against that file.
    """
    from pydantic import ValidationError

    requirements = data.get("requirements")
    if isinstance(requirements, list):
        for index, item in enumerate(requirements):
            if isinstance(item, str):
                included = path.parent / item
                requirement = _read_yaml(included)
                if not isinstance(requirement, dict):
                    raise PolicyError(f"{included}: a requirement file must hold one requirement (a mapping)")
                try:
                    Requirement.model_validate(requirement)
                except ValidationError as exc:
                    raise PolicyError(f"{included}: invalid requirement: {_first_error(exc, requirement)}") from None
                requirements[index] = requirement
    for key in ("placeholders", "pointers"):
        listed = data.get(key)
        if isinstance(listed, str):
            included = path.parent / listed
            data[key] = _read_yaml(included)
            if not isinstance(data[key], list):
                raise PolicyError(f"{included}: a {key} file must hold a list of patterns")


def read_merged_policy(source: str | Path) -> dict[str, Any]:
    """The policy at ``source`` as one mapping, included files read in and ``extends`` applied."""
    return _read_policy_data(str(source), chain=())


def _merge(base: dict[str, Any], override: dict[str, Any], path: Path) -> dict[str, Any]:
    disable = override.pop("disable", []) or []
    if not isinstance(disable, list) or not all(isinstance(item, str) for item in disable):
        raise PolicyError(f"{path}: 'disable' must be a list of rule ids or codes")
    disabled = set(disable)
    listed_keys = ("requirements", "metadata-rules", "card-rules", "principles", "placeholders", "pointers")
    for key in (*listed_keys, "template-titles"):
        if key in override and not isinstance(override[key], list):
            raise PolicyError(f"{path}: '{key}' must be a list")
    merged = dict(base)
    for key, value in override.items():
        if key in ("requirements", "metadata-rules", "card-rules", "principles") and isinstance(value, list):
            merged[key] = _merge_list(base.get(key, []), value)
        else:
            merged[key] = value
    rule_lists = ("requirements", "metadata-rules", "card-rules")
    declared = {label for key in rule_lists for item in merged.get(key, []) for label in _labels(item)}
    unknown = disabled - declared
    if unknown:
        raise PolicyError(f"{path}: disable names unknown rules: {', '.join(sorted(unknown))}")
    for key in rule_lists:
        merged[key] = [item for item in merged.get(key, []) if not set(_labels(item)) & disabled]
    return merged


def _labels(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return []
    return [str(item[k]) for k in ("id", "code", "name", "action") if k in item]


def _ident(item: Any) -> str:
    labels = _labels(item)
    return labels[0] if labels else repr(item)


def _merge_list(base: list[Any], override: list[Any]) -> list[Any]:
    by_ident = {_ident(item): index for index, item in enumerate(base)}
    result = list(base)
    for item in override:
        index = by_ident.get(_ident(item))
        if index is None:
            result.append(item)
        else:
            result[index] = item
    return result


def _check_version(policy: Policy, source: str) -> None:
    if not policy.requires_g7lint:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        wanted = SpecifierSet(policy.requires_g7lint)
    except InvalidSpecifier:
        raise PolicyError(f"{source}: requires-g7lint {policy.requires_g7lint!r} is not a version specifier") from None
    if not wanted.contains(__version__, prereleases=True):
        raise PolicyError(f"{source}: policy needs g7lint {wanted}, this is {__version__}")


def _first_error(exc: ValidationError, data: Any = None) -> str:
    return describe_errors(exc, data)[0]


def describe_errors(exc: ValidationError, data: Any = None) -> list[str]:
    """Each validation error as 'where: what', naming a requirement or rule by its id rather than
    by its index in the merged list (which a person never sees)."""
    described = []
    for error in exc.errors():
        where = describe_location(list(error["loc"]), data)
        described.append(f"{where}: {error['msg']}")
    return described


def describe_location(loc: list[Any], data: Any) -> str:
    """Where in a policy mapping ``loc`` points, naming list items by their id, code or name."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
        items = data.get(str(loc[0]))
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            labels = _labels(items[loc[1]])
            if labels:
                rest = "/".join(str(part) for part in loc[2:])
                return f"{loc[0]} '{labels[0]}'" + (f" {rest}" if rest else "")
    return "/".join(str(part) for part in loc) or "(top level)"


@dataclass(frozen=True, slots=True)
class CompiledRequirement:
    """A requirement as the engine runs it: its section and statement search lives in the core."""

    requirement: Requirement
    index: int  # the requirement's number in the core's evidence search
    statement_ids: tuple[int, ...]  # indexes into CompiledPolicy.statement_sources
    looked_for: str  # what a reader is told was looked for, from the evidence's descriptions
    metadata_keys: frozenset[str]  # the metadata keys that can be its evidence: most cards have none


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy ready to run: sections, statements and placeholders in the core, the rest in RE2."""

    policy: Policy
    evidencer: _core.Evidencer  # every requirement's section and statement search, and the placeholders
    statement_sources: tuple[str, ...]  # every requirement's statement patterns, in order
    requirements: tuple[CompiledRequirement, ...]
    generative_text: tuple[_core.Pattern | None, _core.Pattern | None]
    template_title: _core.Pattern | None


def compile_policy(policy: Policy, *, trusted: bool = False) -> CompiledPolicy:
    """Compile every pattern of ``policy`` (once per policy object).

    An untrusted policy's patterns are all compiled now, by RE2 (whose
    message names where a bad one stands) and by the core, so that a bad one
    fails the load; a ``trusted`` one (the shipped policy, whose every pattern
    the test suite compiles) leaves its prose patterns to compile on first
    use, so that a one-card run pays only for what the card needs.

    Raises:
        PolicyError: a pattern is not a valid regular expression, or needs a backtracking engine.
    """
    cached: CompiledPolicy | None = policy._compiled
    if cached is not None:
        return cached
    placeholder_sources = regexes(policy.placeholders)
    statement_sources: list[str] = []
    spanning: list[int] = []  # statement patterns that read across blocks
    specs: list[tuple[object, ...]] = []
    requirements = []
    for number, requirement in enumerate(policy.requirements):
        spec = requirement.evidence
        first = len(statement_sources)
        for pattern in spec.statements:
            if pattern.spans_blocks:
                spanning.append(len(statement_sources))
            statement_sources.append(pattern.regex)
        statement_ids = tuple(range(first, len(statement_sources)))
        sections = [
            (
                regexes(section.headings),
                regexes(section.exclude_headings),
                regexes(section.content),
                section.content_match == "all",
                section.min_words,
                section.include_code,
            )
            for section in spec.sections
        ]
        specs.append(
            (
                sections,
                list(statement_ids),
                regexes(spec.ignore_sections),
                regexes(spec.ignore_context),
                spec.pointer_sections == "keep",
                spec.pointer_statements == "ignore",
            )
        )
        keys = frozenset(item.key for item in requirement.evidence.metadata)
        requirements.append(CompiledRequirement(requirement, number, statement_ids, _describe(requirement), keys))
    if not trusted:
        _check_linear(policy)
    pointers = regexes(policy.pointers)
    try:
        evidencer = _evidencer(policy, specs, placeholder_sources, statement_sources, spanning, pointers)
        if not trusted:  # every pattern compiles in the core too, or the load fails naming it
            evidencer.check()
    except ValueError as exc:
        raise PolicyError(str(exc)) from None
    if trusted and policy._literal_tables is None:
        object.__setattr__(policy, "_literal_tables", evidencer.literal_tables())
    compiled = CompiledPolicy(
        policy,
        evidencer,
        tuple(statement_sources),
        tuple(requirements),
        (  # matched against lower-cased text, so case-sensitively
            _core_alternation(policy.generative.text, "generative.text", trusted, ignore_case=False),
            _core_alternation(
                policy.generative.non_generative_text, "generative.non-generative-text", trusted, ignore_case=False
            ),
        ),
        _core_alternation(regexes(policy.template_titles), "template-titles", trusted),
    )
    object.__setattr__(policy, "_compiled", compiled)  # lives and dies with the policy: no global cache to leak
    return compiled


def _evidencer(
    policy: Policy,
    specs: list[tuple[object, ...]],
    placeholders: list[str],
    statements: list[str],
    spanning: list[int],
    pointers: list[str],
) -> _core.Evidencer:
    """The core's evidence search, from the policy's kept literal tables when it has them."""
    if policy._literal_tables is not None:
        try:
            return _core.Evidencer(specs, placeholders, statements, spanning, pointers, policy._literal_tables)
        except (ValueError, TypeError):
            object.__setattr__(policy, "_literal_tables", None)  # tables of other patterns: read them afresh
    return _core.Evidencer(specs, placeholders, statements, spanning, pointers)


def _check_linear(policy: Policy) -> None:
    """Every evidence pattern of an untrusted policy compiles under RE2, or a PolicyError says where."""
    for pattern in policy.placeholders:
        _linear(pattern.regex, "placeholders")
    for requirement in policy.requirements:
        where = f"requirement {requirement.id}"
        spec = requirement.evidence
        patterns = [*spec.statements, *spec.ignore_sections, *spec.ignore_context]
        for section in spec.sections:
            patterns += [*section.headings, *section.content, *section.exclude_headings]
        for pattern in patterns:
            _linear(pattern.regex, where)


def _describe(requirement: Requirement) -> str:
    spec = requirement.evidence
    parts = [item.describe for item in spec.metadata]
    parts.extend(item.describe for item in spec.sections)
    if spec.statements:
        parts.append(spec.statements_describe)
    return "; or ".join(parts)


def _linear(pattern: str, where: str, ignore_case: bool = True) -> None:
    """A PolicyError naming where ``pattern`` stands, if the linear-time dialect rejects it."""
    from g7lint.policy.regex import check_linear  # RE2: only for policies not shipped

    try:
        check_linear(pattern, ignore_case)
    except PolicyError as exc:
        raise PolicyError(f"{where}: {exc}") from None


def _core_alternation(patterns: list[str], where: str, trusted: bool, ignore_case: bool = True) -> _core.Pattern | None:
    """``patterns`` as one alternation in the core; an untrusted policy's are checked now."""
    if not patterns:
        return None
    pattern = _core.Pattern("|".join(f"(?:{p})" for p in patterns), ignore_case)
    if not trusted:  # compiled now, so that a bad one fails the load (the shipped ones on first use)
        for source in patterns:
            _linear(source, where, ignore_case)
        try:
            pattern.check()
        except ValueError as exc:
            raise PolicyError(f"{where}: {exc}") from None
    return pattern
