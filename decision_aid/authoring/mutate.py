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
change makes no difference that matters (the report lists each).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decision_aid.authoring.cases import (
    Expect,
    Verdict,
    case_files,
    differences,
    run_case_files,
)
from decision_aid.domain.conditions import Node, walk
from decision_aid.domain.engine import evaluate
from decision_aid.domain.questionnaire import Answers
from decision_aid.domain.rules import IfUnknown, Rule, RuleSet

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
            "survivors": [m.as_dict() for m in self.survivors],
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
        where = "/".join(str(p) for p in ("when", *path))
        for mutation in node.mutations(where):
            yield (
                mutation.operator,
                mutation.description,
                ("when", *path),
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
    for case in cases:
        assessment = evaluate(rule_set, case.answers, case.settings)
        if assessment.outcome.id != case.expect.outcome:
            return True
        changed, broken = differences(rule_set, case.answers, assessment, case.expect)
        if changed or broken:
            return True
    return False


def _solver() -> tuple[Callable[[RuleSet, RuleSet], bool], Callable[[RuleSet], Iterator[Any]]]:
    from decision_aid.authoring.verify import equivalent, findings  # z3 is an optional extra

    return equivalent, findings


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
    equivalent, verify = _solver() if use_verify else (None, None)
    for number, mutant in enumerate(mutants(rule_set, only), start=1):
        report.total += 1
        if _killed_by_cases(mutant.rule_set, cases):
            report.killed_by_cases += 1
            verdict = "killed by the cases"
        elif equivalent is not None and equivalent(rule_set, mutant.rule_set):
            report.equivalent.append(mutant)
            verdict = "equivalent"
        elif verify is not None and any(not f.holds for f in verify(mutant.rule_set)):
            report.killed_by_verify += 1
            verdict = "killed by verify"
        else:
            report.survivors.append(mutant)
            verdict = "survived"
        if progress is not None:
            progress(number, mutant, verdict)
    return report
