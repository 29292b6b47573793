"""Evaluate a parsed card against a policy: checks find, the engine judges.

The engine stamps every finding with its rule's code, name, principle and
severity (the policy's, then the caller's overrides), isolates a crash in
one rule as a finding of its own, and decides the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from g7lint._version import __version__
from g7lint.checks.applicability import OPENING_CHARS, is_generative
from g7lint.checks.metadata import check_metadata_rules
from g7lint.checks.prose import build_prose
from g7lint.checks.requirements import find_evidence
from g7lint.findings import Evidence, Finding, PolicyRef, Report, RequirementResult, Severity, Suppression
from g7lint.parsing.card import Card
from g7lint.parsing.directives import Directive, MalformedDirective, read_directives, resolve
from g7lint.parsing.markdown import HEADING, Block
from g7lint.policy.loader import compile_policy
from g7lint.policy.model import CardRule, MetadataRule, Policy, Requirement
from g7lint.selectors import is_known

AnyRule = Requirement | MetadataRule | CardRule


@dataclass(frozen=True)
class RuleOptions:
    """What the caller changes about the policy's rules for one run.

    ``enabled`` decides per rule whether it runs at all; a disabled
    requirement is still listed in the report, as ``not_applicable``.
    """

    enabled: Callable[[AnyRule], bool] = lambda rule: True
    severity: Mapping[str, Severity] = field(default_factory=dict)  # by rule code
    fail_on: Severity | None = None


def evaluate(card: Card, policy: Policy, options: RuleOptions | None = None) -> Report:
    options = options or RuleOptions()
    compiled = compile_policy(policy)
    findings: list[Finding] = []
    stamp = _Stamper(card.path, options)

    card_rules: dict[str, CardRule] = {problem: rule for rule in policy.card_rules for problem in rule.problems}
    for issue in card.source_issues:
        _emit_card_problem(card_rules.get(issue.kind), issue.message, 1, 1, options, stamp, findings)
    for problem in card.front_matter.problems:
        _emit_card_problem(
            card_rules.get(problem.kind), problem.message, problem.line, problem.column, options, stamp, findings
        )

    metadata_rules = [rule for rule in policy.metadata_rules if options.enabled(rule)]
    try:
        for hit in check_metadata_rules(card, metadata_rules):
            findings.append(
                stamp(
                    hit.rule,
                    hit.message,
                    hit.line,
                    hit.column,
                    evidence=(
                        Evidence(
                            kind="metadata",
                            line=hit.line,
                            column=hit.column,
                            excerpt=hit.excerpt,
                            location=hit.rule.key,
                        ),
                    ),
                )
            )
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
        _emit_card_problem(
            card_rules.get("rule-error"), f"metadata checks failed: {exc!r}", 1, 1, options, stamp, findings
        )

    template_heading = _template_title(card, compiled.template_title)
    if template_heading is not None:
        _emit_card_problem(
            card_rules.get("template"),
            f"card is an unfilled template: its title '{template_heading.text}' is still a placeholder",
            template_heading.line,
            1,
            options,
            stamp,
            findings,
        )
    prose = build_prose(card, compiled)
    generative = is_generative(
        card.metadata,
        policy.generative,
        lambda: " ".join(b.text for b in card.body.blocks[:40] if b.kind != "code")[:OPENING_CHARS],
        compiled.generative_text,
    )
    results: list[RequirementResult] = []
    for compiled_requirement in compiled.requirements:
        requirement = compiled_requirement.requirement
        severity = options.severity.get(requirement.code, requirement.severity)
        base = _ResultBase(requirement.id, requirement.code, requirement.principle, requirement.title, severity)
        if not options.enabled(requirement) or (requirement.applies_to == "generative" and generative is False):
            results.append(base.result(status="not_applicable"))
            continue
        if card.binary:
            results.append(base.result(status="fail", looked_for="a readable card"))
            continue
        if template_heading is not None:
            # Nothing in an unfilled template is evidence, however plausible its guidance reads.
            note = f"the card is an unfilled template (title '{template_heading.text}' at line {template_heading.line})"
            results.append(base.result(status="fail", looked_for="a filled-in card", near_miss=note))
            findings.append(
                stamp(requirement, f"{requirement.title}: not documented ({note})", template_heading.line, 1)
            )
            continue
        try:
            search = find_evidence(compiled_requirement, compiled, prose)
        except Exception as exc:  # noqa: BLE001
            _emit_card_problem(
                card_rules.get("rule-error"),
                f"rule {requirement.code} ({requirement.id}) crashed: {exc!r}",
                1,
                1,
                options,
                stamp,
                findings,
            )
            results.append(base.result(status="fail", looked_for="(the rule crashed)"))
            continue
        near_miss = "; ".join(dict.fromkeys(m.message for m in search.near_misses))
        if search.evidence:
            results.append(base.result(status="pass", evidence=tuple(search.evidence), looked_for=search.looked_for))
            continue
        results.append(base.result(status="fail", looked_for=search.looked_for, near_miss=near_miss))
        # Point a failure at what nearly satisfied it, else at the top of the card.
        line = search.near_misses[0].line if search.near_misses else 1
        message = f"{requirement.title}: not documented"
        if near_miss:
            message += f" ({near_miss})"
        findings.append(stamp(requirement, message, line, 1, looked_for=search.looked_for))

    findings = _apply_suppressions(card, policy, findings, card_rules, options, stamp)
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    fail_on = options.fail_on or policy.fail_on
    passed = not any(f.severity.rank >= fail_on.rank and not f.suppressed for f in findings)
    return Report(
        g7lint_version=__version__,
        path=card.path,
        policy=PolicyRef(id=policy.id, version=policy.version),
        passed=passed,
        fail_on=fail_on,
        generative=generative,
        requirements=tuple(results),
        findings=tuple(findings),
    )


def _template_title(card: Card, pattern: re.Pattern[str] | None) -> Block | None:
    """The card's title, if it is still a template placeholder ('{Model Name} Model Card')."""
    if pattern is None:
        return None
    for block in card.body.blocks:
        if block.kind == HEADING:
            return block if pattern.search(block.text) else None
    return None


def _apply_suppressions(
    card: Card,
    policy: Policy,
    findings: list[Finding],
    card_rules: dict[str, CardRule],
    options: RuleOptions,
    stamp: _Stamper,
) -> list[Finding]:
    """Mark findings covered by in-card directives; report bad and unused directives."""
    directives, malformed = read_directives(card.text)
    if not directives and not malformed:
        return findings
    labels = {label for rule in policy.all_rules() for label in (rule.code, rule.name)}
    valid: list[Directive] = []
    for directive in directives:
        unknown = [r for r in directive.rules if not is_known(r, labels)]
        if unknown:
            malformed.append(
                MalformedDirective(
                    f"directive names unknown rule(s): {', '.join(unknown)}", directive.line, directive.column
                )
            )
        else:
            valid.append(directive)
    suppressors = resolve(valid)
    unsuppressible = {rule.code for rule in policy.all_rules() if not rule.suppressible}
    used: set[int] = set()
    result: list[Finding] = []
    for finding in findings:
        if finding.code not in unsuppressible:
            for index, suppressor in enumerate(suppressors):
                if suppressor.covers((finding.code, finding.name), finding.line):
                    used.add(index)
                    justification = suppressor.directive.reason
                    finding = finding.model_copy(
                        update={"suppression": Suppression(kind="in-source", justification=justification)}
                    )
                    break
        result.append(finding)
    for bad in malformed:
        _emit_card_problem(
            card_rules.get("malformed-suppression"), bad.message, bad.line, bad.column, options, stamp, result
        )
    for index, suppressor in enumerate(suppressors):
        if index not in used:
            directive = suppressor.directive
            _emit_card_problem(
                card_rules.get("unused-suppression"),
                f"directive 'g7lint-{directive.kind} {' '.join(directive.rules)}' suppresses nothing",
                directive.line,
                directive.column,
                options,
                stamp,
                result,
            )
    return result


@dataclass(frozen=True, slots=True)
class _ResultBase:
    """What every RequirementResult of one requirement shares."""

    id: str
    code: str
    principle: int
    title: str
    severity: Severity

    def result(
        self,
        status: Literal["pass", "fail", "not_applicable"],
        evidence: tuple[Evidence, ...] = (),
        looked_for: str = "",
        near_miss: str = "",
    ) -> RequirementResult:
        return RequirementResult(
            id=self.id,
            code=self.code,
            principle=self.principle,
            title=self.title,
            severity=self.severity,
            status=status,
            evidence=evidence,
            looked_for=looked_for,
            near_miss=near_miss,
        )


class _Stamper:
    def __init__(self, path: str, options: RuleOptions) -> None:
        self.path = path
        self.options = options

    def __call__(
        self,
        rule: AnyRule,
        message: str,
        line: int,
        column: int,
        *,
        evidence: tuple[Evidence, ...] = (),
        looked_for: str = "",
    ) -> Finding:
        return Finding(
            code=rule.code,
            name=rule.name,
            principle=rule.principle,
            severity=self.options.severity.get(rule.code, rule.severity),
            message=message,
            path=self.path,
            line=max(line, 1),
            column=max(column, 1),
            evidence=evidence,
            looked_for=looked_for,
            fix=rule.fix,
        )


def _emit_card_problem(
    rule: CardRule | None,
    message: str,
    line: int,
    column: int,
    options: RuleOptions,
    stamp: _Stamper,
    findings: list[Finding],
) -> None:
    if rule is not None and options.enabled(rule):
        findings.append(stamp(rule, message, line, column))
