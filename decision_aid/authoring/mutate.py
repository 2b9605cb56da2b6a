"""Mutation testing of a rule set: would the case files or ``verify`` notice a wrong rule?

Each mutant is the rule set with one small, mechanical change to one rule, of the kind a
tired author makes: a part of a condition dropped, ``all`` and ``any`` swapped, an option
dropped from a list, a number bound moved by one, a ``not`` dropped, the outcome one level
more or less restrictive, a rule deleted, or its unknown handling made permissive (an
unknown condition read as false, or ``if_unknown: fire`` turned back to ``assess_first``).

A mutant is **killed** when a case file fails on it (wrong outcome, wrong rules fired, or
a declared property broken), or, failing that, when ``verify`` finds a property it breaks.
A mutant the solver proves **equivalent** (the same outcome, and every rule true, false or
unknown alike, on every answer set; e.g. a part that a ``show_when`` already implies) can
be caught by nothing and is left out of the rate. A mutant that **survives** shows a
behaviour no case and no property pins down: a case or a property is missing, or the
change makes no difference that matters. The report lists each, with a case that would
kill it when the solver is at hand: answers on which the mutant's outcome (or, failing
that, the rules it fires) differs from the rule set's, found by the solver as ``diff``
finds them, and what the rule set gives there as the expectation, ready to review and add
to a case file under ``tests/``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision_aid.authoring.cases import (
    Expect,
    Verdict,
    case_files,
    differences,
    run_case_files,
)
from decision_aid.domain.conditions import Node, walk
from decision_aid.domain.engine import evaluate
from decision_aid.domain.errors import DecisionAidError
from decision_aid.domain.questionnaire import Answers, parse_answers
from decision_aid.domain.rules import IfUnknown, Rule, RuleSet

if TYPE_CHECKING:
    from decision_aid.authoring.verify import Comparison, Finding

__all__ = ["CasesFail", "Mutant", "MutationReport", "mutants", "run_mutation"]

Data = dict[str, Any]
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Mutant:
    rule_id: str
    operator: str  # e.g. "drop-part", "lower-level"
    description: str  # what changed, in words
    path: YamlPath  # where in the rule, as a YAML path from the rule
    rule_set: RuleSet = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "operator": self.operator,
            "change": self.description,
            "path": list(self.path),
        }


class CasesFail(Exception):
    """Some case files do not pass on the rule set itself (``decision-aid test`` shows why)."""

    def __init__(self, failing: list[str]) -> None:
        super().__init__(f"{len(failing)} case(s) fail on the rule set itself")
        self.failing = failing


@dataclass(frozen=True)
class _Case:
    answers: Answers
    settings: Mapping[str, str]
    expect: Expect


@dataclass
class MutationReport:
    total: int = 0
    killed_by_cases: int = 0
    killed_by_verify: int = 0
    equivalent: list[Mutant] = field(default_factory=list)
    survivors: list[Mutant] = field(default_factory=list)
    verified: bool = False  # whether the solver looked at the mutants the cases missed
    killing_cases: dict[Mutant, dict[str, Any]] = field(default_factory=dict)
    """For a survivor, a case (as a case file holds it) that fails on it and passes here."""

    @property
    def killed(self) -> int:
        return self.killed_by_cases + self.killed_by_verify

    def rate(self) -> float:
        """Killed as a percentage of the mutants that could be killed."""
        killable = self.total - len(self.equivalent)
        return 100.0 * self.killed / killable if killable else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "mutants": self.total,
            "killed_by_cases": self.killed_by_cases,
            "killed_by_verify": self.killed_by_verify,
            "verified": self.verified,
            "kill_rate": round(self.rate(), 2),
            "equivalent": [m.as_dict() for m in self.equivalent],
            "survivors": [
                m.as_dict() | {"killing_case": self.killing_cases.get(m)} for m in self.survivors
            ],
        }


def _replace(rule: Rule, path: YamlPath, replacement: Node) -> Rule:
    """The rule with the node at ``path`` of its ``when`` replaced."""
    data: Data = rule.model_dump(mode="json", by_alias=True, exclude_none=True)
    new = replacement.model_dump(mode="json", by_alias=True, exclude_none=True)
    if not path:
        data["when"] = new
    else:
        parent = data["when"]
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = new
    return Rule.model_validate(data)


def _condition_mutants(rule: Rule) -> Iterator[tuple[str, str, YamlPath, Rule]]:
    """(operator, description, path, mutated rule) for each change to the rule's condition:
    each node of it says what its own changes are (``Node.mutations``)."""
    nodes: list[tuple[Node, YamlPath]] = []
    walk(rule.when, lambda node, path, _negated: nodes.append((node, path)))
    for node, path in nodes:
        for mutation in node.mutations():
            yield (
                mutation.operator,
                mutation.description,
                ("when", *path, *mutation.path),
                _replace(rule, path, mutation.replacement),
            )


def _rule_mutants(
    rule: Rule, rule_set: RuleSet
) -> Iterator[tuple[str, str, YamlPath, Rule | None]]:
    """(operator, description, path, mutated rule or None for deleted) for the whole rule."""
    yield "delete-rule", "rule deleted", ("id",), None
    levels = [level.id for level in rule_set.info.levels]
    if rule.outcome is not None:
        rank = levels.index(rule.outcome)
        if rank > 0:
            lower = levels[rank - 1]
            yield (
                "lower-level",
                f"outcome {rule.outcome} → {lower}",
                ("outcome",),
                rule.model_copy(update={"outcome": lower}),
            )
        if rank < len(levels) - 1:
            higher = levels[rank + 1]
            yield (
                "raise-level",
                f"outcome {rule.outcome} → {higher}",
                ("outcome",),
                rule.model_copy(update={"outcome": higher}),
            )
        if rule.if_unknown is IfUnknown.FIRE:
            yield (
                "unknown-assess-first",
                "if_unknown: fire → assess_first",
                ("if_unknown",),
                rule.model_copy(update={"if_unknown": IfUnknown.ASSESS_FIRST}),
            )
    questions = sorted(set(rule.when.questions()))
    permissive = {"all": [rule.when, {"not": {"not_known": questions}}]}
    data: Data = rule.model_dump(mode="json", by_alias=True, exclude_none=True)
    yield (
        "unknown-read-as-no",
        "an unknown answer read as not matching",
        ("when",),
        Rule.model_validate({**data, "when": permissive}),
    )


def mutants(rule_set: RuleSet, only: Collection[str] | None = None) -> Iterator[Mutant]:
    """Every mutant, or only those of the rules named in ``only``."""
    for index, rule in enumerate(rule_set.rules):
        if only is not None and rule.id not in only:
            continue
        changes = list(_condition_mutants(rule)) + list(_rule_mutants(rule, rule_set))
        for operator, description, path, mutated in changes:
            rules = list(rule_set.rules)
            if mutated is None:
                del rules[index]
            else:
                rules[index] = mutated
            mutant = rule_set.model_copy(update={"rules": tuple(rules)})
            yield Mutant(rule.id, operator, description, path, mutant)


def _killed_by_cases(rule_set: RuleSet, cases: list[_Case]) -> bool:
    """Whether some case fails on the rule set: every outcome is compared first (the cheap
    test that kills most mutants), then the rules fired and the declared properties."""
    assessments = []
    for case in cases:
        assessment = evaluate(rule_set, case.answers, case.settings)
        if assessment.outcome.id != case.expect.outcome:
            return True
        assessments.append(assessment)
    for case, assessment in zip(cases, assessments, strict=True):
        changed, broken = differences(rule_set, case.answers, assessment, case.expect)
        if changed or broken:
            return True
    return False


class _Solver:
    """The solver's questions about a mutant the cases missed (z3 is an optional extra)."""

    def __init__(self, rule_set: RuleSet) -> None:
        from decision_aid.authoring.verify import compare, findings

        self.rs = rule_set
        self._compare = compare
        self._findings = findings
        self._held: set[tuple[str, tuple[tuple[str, str], ...]]] | None = None

    def differences(self, mutant: Mutant) -> list[Comparison] | None:
        """How the mutant differs, setting by setting; None when it behaves like the rule
        set on every answer set (the same outcome, every rule fired alike)."""
        comparisons = self._compare(self.rs, mutant.rule_set, rules=True, examples=0)
        return None if all(c.equivalent is True for c in comparisons) else comparisons

    def breaks_a_property(self, mutant: Mutant, differences: list[Comparison]) -> bool:
        """Whether the mutant breaks a property the rule set keeps. Under settings where it
        gives the rule set's outcome on every answer set, it keeps them all (unless the
        changed rule is an absolute one below the most restrictive level), so the solver
        is asked only about the settings where some outcome changes."""
        rule = mutant.rule_set.rules_by_id.get(mutant.rule_id)
        below = rule is not None and rule.absolute and rule.outcome != self.rs.info.levels[-1].id
        asked = [
            c.settings for c in differences if below or c.equivalent is None or c.outcome_changes
        ]
        if not asked:
            return False
        if self._held is None:  # what the rule set itself keeps, asked once
            self._held = {_key(f) for f in self._findings(self.rs) if f.holds}
        found = self._findings(mutant.rule_set, only=asked)
        return any(not f.holds and _key(f) in self._held for f in found)

    def example(self, mutant: Mutant) -> Comparison | None:
        """Complete answers that tell the mutant apart: its outcome, else its rules."""
        comparisons = self._compare(self.rs, mutant.rule_set, rules=True, examples=1, complete=True)
        return next((c for c in comparisons if c.examples), None)


def _key(finding: Finding) -> tuple[str, tuple[tuple[str, str], ...]]:
    return finding.property, tuple(sorted(finding.settings.items()))


def _killing_case(rule_set: RuleSet, mutant: Mutant, found: Comparison) -> dict[str, Any] | None:
    """A case that passes on the rule set and fails on the mutant: the solver's answers and
    what the rule set gives there (the engine confirms that the mutant differs)."""
    if not found.examples:
        return None
    raw, settings = found.examples[0], dict(found.settings)
    try:
        answers = parse_answers(rule_set.questionnaire, raw)
        assessment = evaluate(rule_set, answers, settings)
    except DecisionAidError:  # the encoding and the engine disagree: show no case
        return None
    expect: dict[str, Any] = {"outcome": assessment.outcome.id}
    more = {
        "fired": sorted(assessment.fired_ids),
        "might_apply": sorted(f.rule_id for f in assessment.fired if not f.certain),
    }
    while not _killed_by_cases(mutant.rule_set, [_Case(answers, settings, Expect(**expect))]):
        if not more:
            return None
        key = next(iter(more))
        expect[key] = more.pop(key)  # the outcome, then the rules fired, tell it apart
    named = {"name": f"catches rule {mutant.rule_id}: {mutant.description}"}
    return named | ({"settings": settings} if settings else {}) | {"answers": raw, "expect": expect}


def run_mutation(
    rule_set: RuleSet,
    rules_dir: Path,
    *,
    use_verify: bool = True,
    only: Collection[str] | None = None,
    progress: Callable[[int, Mutant, str], None] | None = None,
) -> MutationReport:
    """Run every mutant against the case files; the solver looks at the ones they missed.

    The cases must pass on the rule set itself first: a failing case would "kill" every
    mutant and measure nothing. Raises :class:`CasesFail` naming them.
    """
    results, problems = run_case_files(rule_set, case_files(rules_dir))
    failing = [f"{p.file}:{p.line}: {p.message}" for p in problems]
    failing += [f"{r.file}:{r.line}: {r.name}" for r in results if r.verdict is not Verdict.PASS]
    if failing:
        raise CasesFail(failing)
    cases = [
        _Case(r.answers, dict(r.assessment.settings), r.expect)
        for r in results
        if r.answers is not None and r.assessment is not None and r.expect is not None
    ]
    report = MutationReport(verified=use_verify)
    solver = _Solver(rule_set) if use_verify else None
    for number, mutant in enumerate(mutants(rule_set, only), start=1):
        report.total += 1
        differences = None
        if _killed_by_cases(mutant.rule_set, cases):
            report.killed_by_cases += 1
            verdict = "killed by the cases"
        elif solver is not None and (differences := solver.differences(mutant)) is None:
            report.equivalent.append(mutant)
            verdict = "equivalent"
        elif solver is not None and differences and solver.breaks_a_property(mutant, differences):
            report.killed_by_verify += 1
            verdict = "killed by verify"
        else:
            report.survivors.append(mutant)
            found = solver.example(mutant) if solver is not None else None
            if found is not None and (case := _killing_case(rule_set, mutant, found)):
                report.killing_cases[mutant] = case
            verdict = "survived"
        if progress is not None:
            progress(number, mutant, verdict)
    return report
