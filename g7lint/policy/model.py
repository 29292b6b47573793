"""The policy: which card evidence satisfies each principle of the Code.

A policy is data (YAML under ``schemas/``); these frozen dataclasses are its
contract. pydantic validates a policy file into them and generates
``schemas/policy.schema.json`` from them, so editors and ``check-jsonschema``
can validate a policy too (:mod:`g7lint.datamodel`); a policy read back from
the cache needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from g7lint.datamodel import Record
from g7lint.findings import Severity

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

RULE_CODE_PATTERN = r"^G7\d{4}$"
RULE_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class _Strict(Record):
    __pydantic_config__: ClassVar[Any] = {"extra": "forbid", "populate_by_name": True}


@dataclass(frozen=True, kw_only=True)
class Principle(_Strict):
    """One of the Code's 11 actions."""

    action: int = field(metadata={"ge": 1, "le": 11})
    title: str
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class Pattern(_Strict):
    """One regular expression of a policy, with the claim it makes and the sentences that test it.

    A pattern says how people write about a topic in general, not how one card
    put it: ``why`` is that claim in one line, ``matches`` are sentences
    (written for the policy, not copied from cards) it must find and
    ``near-misses`` sentences it must not. The test suite runs every example.
    Patterns are matched case-insensitively and keep to what a linear-time
    engine (RE2, Rust's ``regex``) accepts: no lookaround, no backreferences.
    A bare string is accepted as a pattern with no claim or examples.
    """

    regex: str = field(metadata={"alias": "pattern", "min_length": 1})
    why: str = field(
        default="", metadata={"description": "The general way of writing this pattern stands for, in one line."}
    )
    matches: list[str] = field(default_factory=list, metadata={"description": "Sentences the pattern must find."})
    near_misses: list[str] = field(
        default_factory=list,
        metadata={"alias": "near-misses", "description": "Sentences close to the topic it must not find."},
    )
    spans_blocks: bool = field(
        default=False,
        metadata={
            "alias": "spans-blocks",
            "description": "The pattern reads across blocks (a table's header and its rows, joined by blank lines), "
            "so it is searched over the whole prose rather than only the blocks holding its literals.",
        },
    )

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The schema says what the validator accepts: the documented object, or a bare pattern string."""
        documented = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [dict(documented), {"type": "string", "minLength": 1}]}


class _OrBareString:
    """Where a policy lists patterns, a bare string is read as ``{"pattern": string}``.

    An ``Annotated`` marker rather than a hook on :class:`Pattern` itself, because pydantic
    applies a class's own hook only where the class is first met and refers back to the bare
    dataclass everywhere else.
    """

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_pattern_from_string, handler(source))


def _pattern_from_string(data: Any) -> Any:
    return {"pattern": data} if isinstance(data, str) else data


#: A pattern as a policy lists it: the documented object or a bare string.
PatternEntry = Annotated[Pattern, _OrBareString()]


def regexes(patterns: list[Pattern]) -> list[str]:
    """The regular expressions of ``patterns``, in order."""
    return [pattern.regex for pattern in patterns]


@dataclass(frozen=True, kw_only=True)
class MetadataEvidence(_Strict):
    """A front-matter key whose value, valid under ``schema``, is evidence."""

    key: str
    json_schema: dict[str, Any] = field(default_factory=dict, metadata={"alias": "schema"})
    describe: str = field(metadata={"description": "What a reader is told was looked for."})


@dataclass(frozen=True, kw_only=True)
class SectionEvidence(_Strict):
    """Headings (regular expressions, matched case-insensitively against the
    normalised heading text) whose section, minus placeholders, is evidence."""

    headings: list[PatternEntry] = field(metadata={"min_length": 1})
    describe: str = field(metadata={"description": "What a reader is told was looked for."})
    min_words: int = field(default=5, metadata={"ge": 1, "alias": "min-words"})
    content: list[PatternEntry] = field(
        default_factory=list,
        metadata={"description": "If given, the section text must also match one of these patterns."},
    )
    content_match: Literal["any", "all"] = field(
        default="any",
        metadata={
            "alias": "content-match",
            "description": "'all': the text must match every content pattern (a number and a metric name, say), "
            "which a linear-time engine cannot say in one pattern.",
        },
    )
    exclude_headings: list[PatternEntry] = field(
        default_factory=list,
        metadata={
            "alias": "exclude-headings",
            "description": "Headings that match these are not this section even when they match 'headings'.",
        },
    )
    include_code: bool = field(
        default=False,
        metadata={
            "alias": "include-code",
            "description": "Count code blocks as section text (results are often printed as a report in a code block).",
        },
    )


@dataclass(frozen=True, kw_only=True)
class EvidenceSpec(_Strict):
    metadata: list[MetadataEvidence] = field(default_factory=list)
    sections: list[SectionEvidence] = field(default_factory=list)
    statements: list[PatternEntry] = field(
        default_factory=list,
        metadata={"description": "Patterns that are evidence wherever they stand in the prose of the body."},
    )
    statements_describe: str = field(
        default="a statement anywhere in the card", metadata={"alias": "statements-describe"}
    )
    ignore_sections: list[PatternEntry] = field(
        default_factory=list,
        metadata={
            "alias": "ignore-sections",
            "description": "Statements under headings matching these patterns do not count.",
        },
    )
    ignore_context: list[PatternEntry] = field(
        default_factory=list,
        metadata={
            "alias": "ignore-context",
            "description": "A statement whose sentence also matches one of these does not count: the same words "
            "said of something else (an e-mail for licence requests, testing recommended rather than done).",
        },
    )
    pointer_sections: Literal["strip", "keep"] = field(
        default="strip",
        metadata={
            "alias": "pointer-sections",
            "description": "'keep': judge this requirement's sections with the policy's pointer sentences left in, "
            "for a requirement that asks for a reference to a paper or report, where the pointer is the evidence.",
        },
    )
    pointer_statements: Literal["count", "ignore"] = field(
        default="count",
        metadata={
            "alias": "pointer-statements",
            "description": "'ignore': a statement in a pointer sentence ('see our paper for the safety measures') "
            "does not count for this requirement.",
        },
    )


@dataclass(frozen=True, kw_only=True)
class Examples(_Strict):
    """Cards that show the rule, run by the test suite (and shown by ``g7lint explain``)."""

    passing: str = field(metadata={"alias": "pass", "description": "A card that satisfies the rule."})
    failing: str | None = field(
        metadata={"alias": "fail", "description": "A card that does not; null only where no card can trigger the rule."}
    )
    encoding: Literal["utf-8", "utf-16"] = "utf-8"
    max_bytes: int | None = field(default=None, metadata={"ge": 1, "alias": "max-bytes"})
    fail_line: int = field(default=1, metadata={"ge": 1, "alias": "fail-line"})
    fail_column: int = field(default=1, metadata={"ge": 1, "alias": "fail-column"})


@dataclass(frozen=True, kw_only=True)
class _RuleBase(_Strict):
    code: str = field(metadata={"pattern": RULE_CODE_PATTERN})
    principle: int = field(metadata={"ge": 0, "le": 11, "description": "G7 action number; 0 for card-format rules."})
    severity: Severity
    title: str
    rationale: str = ""
    fix: str = ""
    references: dict[str, str] = field(default_factory=dict)
    suppressible: bool = field(default=True, metadata={"description": "Whether an in-card directive may suppress it."})
    examples: Examples


@dataclass(frozen=True, kw_only=True)
class Requirement(_RuleBase):
    """Something the Code expects a card to document, and the evidence for it."""

    id: str = field(metadata={"pattern": RULE_NAME_PATTERN})
    applies_to: Literal["all", "generative"] = field(default="all", metadata={"alias": "applies-to"})
    evidence: EvidenceSpec

    @property
    def name(self) -> str:
        return self.id


@dataclass(frozen=True, kw_only=True)
class MetadataRule(_RuleBase):
    """A metadata value that must be valid under a JSON Schema when present."""

    name: str = field(metadata={"pattern": RULE_NAME_PATTERN})
    key: str
    json_schema: dict[str, Any] = field(metadata={"alias": "schema"})
    message: str


CardProblem = Literal[
    "missing",
    "unclosed",
    "invalid-yaml",
    "not-mapping",
    "too-complex",
    "duplicate-key",
    "binary",
    "encoding",
    "too-large",
    "rule-error",
    "time-budget",
    "malformed-suppression",
    "unused-suppression",
    "template",
]


@dataclass(frozen=True, kw_only=True)
class CardRule(_RuleBase):
    """A problem with the card file itself, reported by the parser."""

    name: str = field(metadata={"pattern": RULE_NAME_PATTERN})
    problems: list[CardProblem] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class Generative(_Strict):
    """How to tell, from metadata, whether a model generates content."""

    pipeline_tags: list[str] = field(metadata={"alias": "pipeline-tags"})
    non_generative_pipeline_tags: list[str] = field(metadata={"alias": "non-generative-pipeline-tags"})
    tags: list[str] = field(default_factory=list)
    non_generative_tags: list[str] = field(default_factory=list, metadata={"alias": "non-generative-tags"})
    libraries: list[str] = field(default_factory=list)
    non_generative_libraries: list[str] = field(default_factory=list, metadata={"alias": "non-generative-libraries"})
    text: list[str] = field(
        default_factory=list,
        metadata={
            "description": "When metadata is silent: patterns in the card's opening prose "
            "that suggest a generative model."
        },
    )
    non_generative_text: list[str] = field(default_factory=list, metadata={"alias": "non-generative-text"})


#: Any rule a policy declares.
AnyRule = Requirement | MetadataRule | CardRule


@dataclass(frozen=True, kw_only=True)
class Policy(_Strict):
    """A complete policy. Load one with :func:`g7lint.load_policy`."""

    schema_version: Literal[1] = field(metadata={"alias": "schema-version"})
    id: str
    title: str
    version: str
    requires_g7lint: str = field(default="", metadata={"alias": "requires-g7lint"})
    fail_on: Severity = field(default=Severity.ERROR, metadata={"alias": "fail-on"})
    placeholders: list[PatternEntry] = field(
        default_factory=list,
        metadata={"description": "Patterns of unfilled-template text; matching text is never evidence."},
    )
    pointers: list[PatternEntry] = field(
        default_factory=list,
        metadata={
            "description": "Patterns of sentences that only point elsewhere ('see the paper for details'); they are "
            "taken out of a section's text before it is judged, so a section holding nothing else is not evidence."
        },
    )
    template_titles: list[PatternEntry] = field(
        default_factory=list,
        metadata={
            "alias": "template-titles",
            "description": "Patterns of a card title that is still a placeholder; such a card is an unfilled template.",
        },
    )
    generative: Generative
    principles: list[Principle]
    requirements: list[Requirement]
    metadata_rules: list[MetadataRule] = field(default_factory=list, metadata={"alias": "metadata-rules"})
    card_rules: list[CardRule] = field(default_factory=list, metadata={"alias": "card-rules"})

    #: Set on the instance by g7lint.policy.loader.compile_policy: the policy's patterns, compiled
    #: once. A class variable, not a field, so it is never validated, compared or pickled.
    _compiled: ClassVar[Any] = None
    #: Set with it: the literals the core read from the placeholders' and statements' syntax
    #: trees. Pickled (unlike ``_compiled``), so a policy read from the cache skips that reading.
    _literal_tables: ClassVar[Any] = None

    def __post_init__(self) -> None:
        """Every rule's code and name is unique, and every principle a rule names is declared."""
        seen: dict[str, str] = {}
        actions = {p.action for p in self.principles}
        for rule in self.all_rules():
            for label in (rule.code, rule.name):
                if label in seen:
                    raise ValueError(f"rule {label!r} is declared twice")
                seen[label] = rule.code
            if rule.principle and rule.principle not in actions:
                raise ValueError(f"rule {rule.code} names principle {rule.principle}, which is not declared")

    def __getstate__(self) -> dict[str, Any]:
        # The compiled form lives in the core and is rebuilt on demand, so it is never pickled.
        return {name: value for name, value in self.__dict__.items() if name != "_compiled"}

    def all_rules(self) -> list[Requirement | MetadataRule | CardRule]:
        return [*self.card_rules, *self.metadata_rules, *self.requirements]

    def principle_title(self, action: int) -> str:
        for principle in self.principles:
            if principle.action == action:
                return principle.title
        return "Card format"
