"""Find the evidence for one requirement in one card.

The check only reports what it found, and where it looked; the engine turns
that into a status, a severity and findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from g7lint import _core
from g7lint.checks.metadata import describe_value, validator_for
from g7lint.findings import Evidence
from g7lint.parsing.card import Card
from g7lint.policy.loader import CompiledRequirement
from g7lint.policy.model import MetadataEvidence


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Something that looked like evidence but was not, e.g. a placeholder section."""

    line: int
    message: str


@dataclass(slots=True)
class EvidenceSearch:
    evidence: list[Evidence] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)
    looked_for: str = ""


def find_evidence(compiled: CompiledRequirement, prose: _core.CardProse, card: Card) -> EvidenceSearch:
    """Metadata first (here: it needs the JSON Schema validators), then sections and statements (in the core)."""
    result = EvidenceSearch(looked_for=compiled.looked_for)
    for item, value, usable in _metadata(compiled, card.metadata):
        if not usable:
            line = card.front_matter.line_of((item.key,))[0]
            result.near_misses.append(NearMiss(line, f"metadata key '{item.key}' is empty"))
            continue
        line, column = card.front_matter.line_of((item.key,))
        result.evidence.append(
            Evidence(
                kind="metadata", line=line, column=column, excerpt=describe_value(item.key, value), location=item.key
            )
        )
    found, near_misses = prose.evidence(compiled.index, len(result.evidence))
    for kind, line, column, excerpt, location in found:
        result.evidence.append(Evidence(kind=kind, line=line, column=column, excerpt=excerpt, location=location))  # type: ignore[arg-type]
    result.near_misses += [NearMiss(line, message) for line, message in near_misses]
    return result


def evidence_verdict(
    compiled: CompiledRequirement,
    prose: _core.CardProse,
    card: Card,
    prose_verdict: tuple[bool, int] | None = None,
) -> tuple[bool, int]:
    """What :func:`find_evidence` decides, without the evidence: whether there is any, and if
    not, the line of the first near miss (0: none). ``prose_verdict`` is the core's verdict
    on the prose when it was read beforehand (``Evidencer.read_many``)."""
    near_line = 0
    if not compiled.metadata_keys.isdisjoint(card.metadata):
        for item, _, usable in _metadata(compiled, card.metadata):
            if usable:
                return True, 0
            near_line = near_line or card.front_matter.line_of((item.key,))[0]
    found, prose_near_line = prose_verdict or prose.verdict(compiled.index)
    return found, near_line or prose_near_line


def settled_by_metadata(compiled: CompiledRequirement, metadata: dict[str, Any]) -> bool:
    """Whether the card's metadata alone satisfies the requirement, so its prose need not be read."""
    if compiled.metadata_keys.isdisjoint(metadata):  # the common case, decided without a generator
        return False
    return any(usable for _, _, usable in _metadata(compiled, metadata))


def _metadata(compiled: CompiledRequirement, metadata: dict[str, Any]) -> Iterator[tuple[MetadataEvidence, Any, bool]]:
    """The requirement's metadata keys the card has, with their values: usable as evidence
    (True), or empty (False, a near miss). A value its schema rejects is neither and is left
    out: 'license: mit' is no evidence of a use policy, and no near miss either."""
    for item in compiled.requirement.evidence.metadata:
        if item.key not in metadata:
            continue
        value = metadata[item.key]
        if _is_empty(value):
            yield item, value, False
        elif not item.json_schema or validator_for(item.json_schema).is_valid(value):
            yield item, value, True


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
