"""Evaluate a parsed card against a policy: checks find, the engine judges.

The engine stamps every finding with its rule's code, name, principle and
severity (the policy's, then the caller's overrides), isolates a crash in
one rule as a finding of its own, applies the card's suppressions, and
decides the verdict. :func:`evaluate` returns the whole report;
:func:`judge` runs the same checks for the verdict alone (batch runs), with
findings kept as line, column, code and severity and no excerpts built.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from g7lint import _core
from g7lint._version import __version__
from g7lint.checks.applicability import OPENING_CHARS, is_generative
from g7lint.checks.metadata import check_metadata_rules
from g7lint.checks.prose import build_prose
from g7lint.checks.requirements import evidence_verdict, find_evidence
from g7lint.errors import ConfigError
from g7lint.findings import (
    Evidence,
    FailOn,
    Finding,
    PolicyRef,
    Report,
    RequirementResult,
    Severity,
    Suppression,
    Verdict,
)
from g7lint.parsing.card import Card
from g7lint.parsing.directives import Directive, MalformedDirective, resolve
from g7lint.policy.loader import CompiledRequirement, compile_policy
from g7lint.policy.model import AnyRule, CardRule, MetadataRule, Policy, Requirement
from g7lint.selectors import is_known

Status = Literal["pass", "fail", "not_applicable", "not_selected"]

#: A card's prose and the core's prose verdicts it gave, by requirement number (the others are
#: asked for when needed).
ProseRead = tuple[_core.CardProse, Mapping[int, tuple[bool, int]]]

#: Seconds one card may take. Every pattern runs in linear time, so this is a backstop, not a tuning knob.
DEFAULT_TIME_BUDGET = 10.0


@dataclass(frozen=True)
class RuleOptions:
    """What the caller changes about the policy's rules for one run.

    ``enabled`` decides per rule whether it runs at all; a disabled
    requirement is still listed in the report, as ``not_selected``.
    """

    enabled: Callable[[AnyRule], bool] = lambda rule: True
    severity: Mapping[str, Severity] = field(default_factory=dict)  # by rule code
    fail_on: FailOn | str | None = None  # None: the policy's; strings such as "warning" are accepted
    time_budget: float = DEFAULT_TIME_BUDGET  # seconds per card; requirements left after it fail with G70012

    def __post_init__(self) -> None:
        object.__setattr__(self, "fail_on", parse_fail_on(self.fail_on))
        object.__setattr__(self, "severity", {code: _severity(value) for code, value in self.severity.items()})


def _severity(value: Severity | str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"severity must be error, warning or info, not {value!r}") from None


def parse_fail_on(value: FailOn | str | None) -> FailOn | None:
    """``value`` as a fail-on threshold.

    Raises:
        ConfigError: it is not error, warning, info or never.
    """
    if value is None or value == "never" or isinstance(value, Severity):
        return value  # type: ignore[return-value]
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"fail-on must be error, warning, info or never, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class RulePlan:
    """What one run's options decide about every rule of a policy: worked out once per policy
    and options rather than once per card and rule, which a batch of cards would pay for
    every card."""

    enabled: frozenset[str]  # codes of the rules that run
    severity: Mapping[str, Severity]  # by code, the caller's overrides applied
    rank: Mapping[str, int]  # by code, the severity's rank
    metadata_rules: tuple[MetadataRule, ...]  # the enabled ones, in policy order
    card_rules: Mapping[str, CardRule]  # by problem kind, the enabled card rule that covers it


_plans: dict[tuple[int, int], tuple[Policy, RuleOptions, RulePlan]] = {}


def plan_for(policy: Policy, options: RuleOptions) -> RulePlan:
    """The :class:`RulePlan` of ``policy`` under ``options``, cached by the pair's ids (the
    entry holds both objects, so neither id can be reused while it stands)."""
    key = (id(policy), id(options))
    cached = _plans.get(key)
    if cached is not None:
        return cached[2]
    rules = policy.all_rules()
    enabled = frozenset(rule.code for rule in rules if options.enabled(rule))
    severity = {rule.code: options.severity.get(rule.code, rule.severity) for rule in rules}
    covering = {problem: rule for rule in policy.card_rules for problem in rule.problems}  # the last one wins
    plan = RulePlan(
        enabled=enabled,
        severity=severity,
        rank={code: value.rank for code, value in severity.items()},
        metadata_rules=tuple(rule for rule in policy.metadata_rules if rule.code in enabled),
        card_rules={problem: rule for problem, rule in covering.items() if rule.code in enabled},
    )
    if len(_plans) >= 64:  # per-file options (a CLI run) make one pair per card: keep few
        _plans.clear()
    _plans[key] = (policy, options, plan)
    return plan


def evaluate(card: Card, policy: Policy, options: RuleOptions | None = None, read: ProseRead | None = None) -> Report:
    """Judge ``card`` under ``policy``: one result per requirement, and the findings
    (``read``: the card's prose, when the core read it with the body; see :func:`judge`)."""
    stamp = _Stamper(card.path, policy, options or RuleOptions(), light=False)
    generative, results = _run(card, policy, stamp, read)
    findings = _apply_suppressions(card, policy, stamp)
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    fail_on = _fail_on(stamp, policy)
    return Report(
        g7lint_version=__version__,
        path=card.path,
        policy=PolicyRef(id=policy.id, version=policy.version),
        passed=fail_on == "never" or not any(f.severity.rank >= fail_on.rank and not f.suppressed for f in findings),
        fail_on=fail_on,
        generative=generative,
        requirements=tuple(results),  # type: ignore[arg-type]
        findings=tuple(findings),
    )


def judge(card: Card, policy: Policy, options: RuleOptions | None = None, read: ProseRead | None = None) -> Verdict:
    """The :class:`Verdict` that :func:`evaluate`'s report gives, without building the report.

    The same checks run in the same order; only excerpts, messages and the
    pydantic objects are skipped, which is most of a card's cost in a batch.
    A card with suppression directives goes through :func:`evaluate`, since
    what a directive covers depends on the findings' lines. ``read`` is the
    card's prose and the core's prose verdicts, when the caller had the core
    read them with the body (``Evidencer.read_many``, as :func:`g7lint.lint_batch` does).
    """
    directives, malformed = card.directives()
    if directives or malformed:
        return Verdict.of(evaluate(card, policy, options))
    stamp = _Stamper(card.path, policy, options or RuleOptions(), light=True)
    _, statuses = _run(card, policy, stamp, read)
    fail_on = _fail_on(stamp, policy)
    failing: tuple[str, ...] = ()
    if fail_on != "never":
        stamp.light_findings.sort()
        blocking = (code for _, _, code, rank in stamp.light_findings if rank >= fail_on.rank)
        failing = tuple(dict.fromkeys(blocking))
    by_id = {
        item.requirement.id: status for item, status in zip(compile_policy(policy).requirements, statuses, strict=True)
    }
    return Verdict(card.path, not failing, by_id, failing)  # type: ignore[arg-type]


def _fail_on(stamp: _Stamper, policy: Policy) -> FailOn:
    """The threshold this run blocks at: the caller's option, else the policy's."""
    return stamp.options.fail_on or policy.fail_on  # type: ignore[return-value]


def _run(
    card: Card, policy: Policy, stamp: _Stamper, read: ProseRead | None = None
) -> tuple[bool | None, list[RequirementResult | Status]]:
    """Every check on ``card``: findings go to ``stamp``; returns the generative flag and the
    requirement results (statuses only, when the stamper is light)."""
    started = time.monotonic()
    compiled = compile_policy(policy)
    for issue in card.source_issues:
        stamp.card_problem(issue.kind, issue.message, 1, 1)
    for problem in card.front_matter.problems:
        stamp.card_problem(problem.kind, problem.message, problem.line, problem.column)
    _check_metadata(card, policy, stamp)
    template = _template_title(card, compiled.template_title)
    if template is not None:
        title, title_line = template
        message = f"card is an unfilled template: its title '{title}' is still a placeholder"
        stamp.card_problem("template", message, title_line, 1)

    generative = is_generative(
        card.metadata,
        policy.generative,
        lambda: card.body.opening(40, OPENING_CHARS),
        compiled.generative_text,
    )
    prose, prose_verdicts = read if read is not None else (build_prose(card, compiled), {})
    results: list[RequirementResult | Status] = []
    deadline = started + stamp.options.time_budget
    for requirement in compiled.requirements:
        if time.monotonic() > deadline and len(results) < len(compiled.requirements):
            left = compiled.requirements[len(results) :]
            stamp.card_problem(
                "time-budget",
                f"checking the card took longer than {stamp.options.time_budget:g} s; "
                f"{len(left)} requirement(s) were not checked and count as failed",
                1,
                1,
            )
            results += [_out_of_time(item, stamp) for item in left]
            break
        prose_verdict = prose_verdicts.get(requirement.index)
        results.append(_judge(requirement, card, prose, stamp, generative, template, prose_verdict))
    return generative, results


def _check_metadata(card: Card, policy: Policy, stamp: _Stamper) -> None:
    try:
        hits = check_metadata_rules(card, stamp.plan.metadata_rules)
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide the others
        stamp.card_problem("rule-error", f"metadata checks failed: {exc!r}", 1, 1)
        return
    for hit in hits:
        if stamp.light:
            stamp.finding(hit.rule, hit.message, hit.line, hit.column)
            continue
        evidence = Evidence(
            kind="metadata", line=hit.line, column=hit.column, excerpt=hit.excerpt, location=hit.rule.key
        )
        stamp.finding(hit.rule, hit.message, hit.line, hit.column, evidence=(evidence,))


def _judge(
    compiled_requirement: CompiledRequirement,
    card: Card,
    prose: _core.CardProse,
    stamp: _Stamper,
    generative: bool | None,
    template: tuple[str, int] | None,
    prose_verdict: tuple[bool, int] | None = None,
) -> RequirementResult | Status:
    """The verdict on one requirement; a failure also becomes a finding."""
    requirement = compiled_requirement.requirement

    def result(status: Status, **details: object) -> RequirementResult | Status:
        return status if stamp.light else _result(requirement, stamp, status, **details)

    if requirement.code not in stamp.plan.enabled:
        return result("not_selected")
    if requirement.applies_to == "generative" and generative is False:
        return result("not_applicable")
    if card.binary:
        return result("fail", looked_for="a readable card")
    if template is not None:
        # Nothing in an unfilled template is evidence, however plausible its guidance reads.
        title, title_line = template
        note = f"the card is an unfilled template (title '{title}' at line {title_line})"
        stamp.finding(requirement, f"{requirement.title}: not documented ({note})", title_line, 1)
        return result("fail", looked_for="a filled-in card", near_miss=note)
    try:
        if stamp.light:
            found, near_line = evidence_verdict(compiled_requirement, prose, card, prose_verdict)
            if not found:
                stamp.finding(requirement, "", near_line or 1, 1)
            return "pass" if found else "fail"
        search = find_evidence(compiled_requirement, prose, card)
    except Exception as exc:  # noqa: BLE001 - a crash in one rule is a finding, the others still run
        stamp.card_problem("rule-error", f"rule {requirement.code} ({requirement.id}) crashed: {exc!r}", 1, 1)
        return result("fail", looked_for="(the rule crashed)")
    if search.evidence:
        return result("pass", evidence=tuple(search.evidence), looked_for=search.looked_for)
    near_miss = "; ".join(dict.fromkeys(m.message for m in search.near_misses))
    # Point a failure at what nearly satisfied it, else at the top of the card.
    line = search.near_misses[0].line if search.near_misses else 1
    message = f"{requirement.title}: not documented" + (f" ({near_miss})" if near_miss else "")
    stamp.finding(requirement, message, line, 1, looked_for=search.looked_for)
    return result("fail", looked_for=search.looked_for, near_miss=near_miss)


def _result(requirement: Requirement, stamp: _Stamper, status: Status, **details: object) -> RequirementResult:
    return RequirementResult(
        id=requirement.id,
        code=requirement.code,
        principle=requirement.principle,
        title=requirement.title,
        severity=stamp.severity_of(requirement),
        status=status,
        **details,  # type: ignore[arg-type]
    )


def _out_of_time(compiled_requirement: CompiledRequirement, stamp: _Stamper) -> RequirementResult | Status:
    if stamp.light:
        return "fail"
    return _result(compiled_requirement.requirement, stamp, "fail", looked_for="(not checked: the time budget ran out)")


def _template_title(card: Card, pattern: _core.Pattern | None) -> tuple[str, int] | None:
    """The card's title and its line, if it is still a template placeholder ('{Model Name} Model Card')."""
    if pattern is None:
        return None
    heading = card.body.first_heading()
    if heading is None or not pattern.is_match(heading[0]):
        return None
    return heading


def _apply_suppressions(card: Card, policy: Policy, stamp: _Stamper) -> list[Finding]:
    """Mark findings covered by in-card directives; report bad and unused directives."""
    directives, malformed = card.directives()
    if not directives and not malformed:
        return stamp.findings
    labels = {label for rule in policy.all_rules() for label in (rule.code, rule.name)}
    valid: list[Directive] = []
    for directive in directives:
        unknown = [r for r in directive.rules if not is_known(r, labels)]
        if unknown:
            message = f"directive names unknown rule(s): {', '.join(unknown)}"
            malformed.append(MalformedDirective(message, directive.line, directive.column))
        else:
            valid.append(directive)
    suppressors = resolve(valid)
    unsuppressible = {rule.code for rule in policy.all_rules() if not rule.suppressible}
    used: set[int] = set()
    result: list[Finding] = []
    for finding in stamp.findings:
        if finding.code not in unsuppressible:
            for index, suppressor in enumerate(suppressors):
                if suppressor.covers((finding.code, finding.name), finding.line):
                    used.add(index)
                    suppression = Suppression(kind="in-source", justification=suppressor.directive.reason)
                    finding = finding.model_copy(update={"suppression": suppression})
                    break
        result.append(finding)
    stamp.findings = result
    for bad in malformed:
        stamp.card_problem("malformed-suppression", bad.message, bad.line, bad.column)
    for index, suppressor in enumerate(suppressors):
        if index not in used:
            directive = suppressor.directive
            message = f"directive 'g7lint-{directive.kind} {' '.join(directive.rules)}' suppresses nothing"
            stamp.card_problem("unused-suppression", message, directive.line, directive.column)
    return stamp.findings


class _Stamper:
    """Turns what checks found into findings: rule identity, severity, location."""

    def __init__(self, path: str, policy: Policy, options: RuleOptions, *, light: bool) -> None:
        self.path = path
        self.options = options
        self.plan = plan_for(policy, options)
        self.light = light  # for a verdict: findings as (line, column, code, severity rank) only
        self.findings: list[Finding] = []
        self.light_findings: list[tuple[int, int, str, int]] = []

    def severity_of(self, rule: AnyRule) -> Severity:
        return self.plan.severity[rule.code]

    def finding(
        self,
        rule: AnyRule,
        message: str,
        line: int,
        column: int,
        *,
        evidence: tuple[Evidence, ...] = (),
        looked_for: str = "",
    ) -> None:
        if self.light:
            self.light_findings.append((max(line, 1), max(column, 1), rule.code, self.plan.rank[rule.code]))
            return
        self.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                principle=rule.principle,
                severity=self.severity_of(rule),
                message=message,
                path=self.path,
                line=max(line, 1),
                column=max(column, 1),
                evidence=evidence,
                looked_for=looked_for,
                fix=rule.fix,
            )
        )

    def card_problem(self, problem: str, message: str, line: int, column: int) -> None:
        """A finding for the card rule that covers ``problem``, if the policy has one enabled."""
        rule = self.plan.card_rules.get(problem)
        if rule is not None:
            self.finding(rule, message, line, column)
