"""The policy: which card evidence satisfies each principle of the Code.

A policy is data (YAML under ``schemas/``); these pydantic models are its
contract, and ``schemas/policy.schema.json`` is generated from them so
editors and ``check-jsonschema`` can validate a policy too.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, PrivateAttr, model_validator
from pydantic.json_schema import JsonSchemaValue

from g7lint.findings import Severity

RULE_CODE_PATTERN = r"^G7\d{4}$"
RULE_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Principle(_Strict):
    """One of the Code's 11 actions."""

    action: int = Field(ge=1, le=11)
    title: str
    summary: str = ""


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

    regex: str = Field(alias="pattern", min_length=1)
    why: str = Field(default="", description="The general way of writing this pattern stands for, in one line.")
    matches: list[str] = Field(default_factory=list, description="Sentences the pattern must find.")
    near_misses: list[str] = Field(
        default_factory=list, alias="near-misses", description="Sentences close to the topic it must not find."
    )
    spans_blocks: bool = Field(
        default=False,
        alias="spans-blocks",
        description="The pattern reads across blocks (a table's header and its rows, joined by blank lines), "
        "so it is searched over the whole prose rather than only the blocks holding its literals.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"pattern": data} if isinstance(data, str) else data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The schema says what the validator accepts: the documented object, or a bare pattern string."""
        documented = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [dict(documented), {"type": "string", "minLength": 1}]}


def regexes(patterns: list[Pattern]) -> list[str]:
    """The regular expressions of ``patterns``, in order."""
    return [pattern.regex for pattern in patterns]


class MetadataEvidence(_Strict):
    """A front-matter key whose value, valid under ``schema``, is evidence."""

    key: str
    json_schema: dict[str, Any] = Field(default_factory=dict, alias="schema")
    describe: str = Field(description="What a reader is told was looked for.")


class SectionEvidence(_Strict):
    """Headings (regular expressions, matched case-insensitively against the
    normalised heading text) whose section, minus placeholders, is evidence."""

    headings: list[Pattern] = Field(min_length=1)
    describe: str = Field(description="What a reader is told was looked for.")
    min_words: int = Field(default=5, ge=1, alias="min-words")
    content: list[Pattern] = Field(
        default_factory=list,
        description="If given, the section text must also match one of these patterns.",
    )
    content_match: Literal["any", "all"] = Field(
        default="any",
        alias="content-match",
        description="'all': the text must match every content pattern (a number and a metric name, say), "
        "which a linear-time engine cannot say in one pattern.",
    )
    exclude_headings: list[Pattern] = Field(
        default_factory=list,
        alias="exclude-headings",
        description="Headings that match these are not this section even when they match 'headings'.",
    )
    include_code: bool = Field(
        default=False,
        alias="include-code",
        description="Count code blocks as section text (results are often printed as a report in a code block).",
    )


class EvidenceSpec(_Strict):
    metadata: list[MetadataEvidence] = Field(default_factory=list)
    sections: list[SectionEvidence] = Field(default_factory=list)
    statements: list[Pattern] = Field(
        default_factory=list,
        description="Patterns that are evidence wherever they stand in the prose of the body.",
    )
    statements_describe: str = Field(default="a statement anywhere in the card", alias="statements-describe")
    ignore_sections: list[Pattern] = Field(
        default_factory=list,
        alias="ignore-sections",
        description="Statements under headings matching these patterns do not count.",
    )
    ignore_context: list[Pattern] = Field(
        default_factory=list,
        alias="ignore-context",
        description="A statement whose sentence also matches one of these does not count: the same words "
        "said of something else (an e-mail for licence requests, testing recommended rather than done).",
    )
    pointer_sections: Literal["strip", "keep"] = Field(
        default="strip",
        alias="pointer-sections",
        description="'keep': judge this requirement's sections with the policy's pointer sentences left in, "
        "for a requirement that asks for a reference to a paper or report, where the pointer is the evidence.",
    )
    pointer_statements: Literal["count", "ignore"] = Field(
        default="count",
        alias="pointer-statements",
        description="'ignore': a statement in a pointer sentence ('see our paper for the safety measures') "
        "does not count for this requirement.",
    )


class Examples(_Strict):
    """Cards that show the rule, run by the test suite (and shown by ``g7lint explain``)."""

    passing: str = Field(alias="pass", description="A card that satisfies the rule.")
    failing: str | None = Field(
        alias="fail", description="A card that does not; null only where no card can trigger the rule."
    )
    encoding: Literal["utf-8", "utf-16"] = "utf-8"
    max_bytes: int | None = Field(default=None, ge=1, alias="max-bytes")
    fail_line: int = Field(default=1, ge=1, alias="fail-line")
    fail_column: int = Field(default=1, ge=1, alias="fail-column")


class _RuleBase(_Strict):
    code: str = Field(pattern=RULE_CODE_PATTERN)
    principle: int = Field(ge=0, le=11, description="G7 action number; 0 for card-format rules.")
    severity: Severity
    title: str
    rationale: str = ""
    fix: str = ""
    references: dict[str, str] = Field(default_factory=dict)
    suppressible: bool = Field(default=True, description="Whether an in-card directive may suppress it.")
    examples: Examples


class Requirement(_RuleBase):
    """Something the Code expects a card to document, and the evidence for it."""

    id: str = Field(pattern=RULE_NAME_PATTERN)
    applies_to: Literal["all", "generative"] = Field(default="all", alias="applies-to")
    evidence: EvidenceSpec

    @property
    def name(self) -> str:
        return self.id


class MetadataRule(_RuleBase):
    """A metadata value that must be valid under a JSON Schema when present."""

    name: str = Field(pattern=RULE_NAME_PATTERN)
    key: str
    json_schema: dict[str, Any] = Field(alias="schema")
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


class CardRule(_RuleBase):
    """A problem with the card file itself, reported by the parser."""

    name: str = Field(pattern=RULE_NAME_PATTERN)
    problems: list[CardProblem] = Field(min_length=1)


class Generative(_Strict):
    """How to tell, from metadata, whether a model generates content."""

    pipeline_tags: list[str] = Field(alias="pipeline-tags")
    non_generative_pipeline_tags: list[str] = Field(alias="non-generative-pipeline-tags")
    tags: list[str] = Field(default_factory=list)
    non_generative_tags: list[str] = Field(default_factory=list, alias="non-generative-tags")
    libraries: list[str] = Field(default_factory=list)
    non_generative_libraries: list[str] = Field(default_factory=list, alias="non-generative-libraries")
    text: list[str] = Field(
        default_factory=list,
        description="When metadata is silent: patterns in the card's opening prose that suggest a generative model.",
    )
    non_generative_text: list[str] = Field(default_factory=list, alias="non-generative-text")


#: Any rule a policy declares.
AnyRule = Requirement | MetadataRule | CardRule


class Policy(_Strict):
    """A complete policy. Load one with :func:`g7lint.load_policy`."""

    schema_version: Literal[1] = Field(alias="schema-version")
    id: str
    title: str
    version: str
    requires_g7lint: str = Field(default="", alias="requires-g7lint")
    fail_on: Severity = Field(default=Severity.ERROR, alias="fail-on")
    placeholders: list[Pattern] = Field(
        default_factory=list,
        description="Patterns of unfilled-template text; matching text is never evidence.",
    )
    pointers: list[Pattern] = Field(
        default_factory=list,
        description="Patterns of sentences that only point elsewhere ('see the paper for details'); they are "
        "taken out of a section's text before it is judged, so a section holding nothing else is not evidence.",
    )
    template_titles: list[Pattern] = Field(
        default_factory=list,
        alias="template-titles",
        description="Patterns of a card title that is still a placeholder; such a card is an unfilled template.",
    )
    generative: Generative
    principles: list[Principle]
    requirements: list[Requirement]
    metadata_rules: list[MetadataRule] = Field(default_factory=list, alias="metadata-rules")
    card_rules: list[CardRule] = Field(default_factory=list, alias="card-rules")

    # Set by g7lint.policy.loader.compile_policy: the policy's patterns, compiled once.
    _compiled: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _codes_and_names_are_unique(self) -> Policy:
        seen: dict[str, str] = {}
        actions = {p.action for p in self.principles}
        for rule in self.all_rules():
            for label in (rule.code, rule.name):
                if label in seen:
                    raise ValueError(f"rule {label!r} is declared twice")
                seen[label] = rule.code
            if rule.principle and rule.principle not in actions:
                raise ValueError(f"rule {rule.code} names principle {rule.principle}, which is not declared")
        return self

    def __getstate__(self) -> dict[Any, Any]:
        # The compiled form lives in the core and is rebuilt on demand, so it is never pickled.
        state = super().__getstate__()
        return {**state, "__pydantic_private__": {**(state.get("__pydantic_private__") or {}), "_compiled": None}}

    def all_rules(self) -> list[Requirement | MetadataRule | CardRule]:
        return [*self.card_rules, *self.metadata_rules, *self.requirements]

    def principle_title(self, action: int) -> str:
        for principle in self.principles:
            if principle.action == action:
                return principle.title
        return "Card format"
