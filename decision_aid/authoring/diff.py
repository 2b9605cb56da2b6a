"""What changed between two versions of a rule set, and what the change does.

Reviewers approving a new version need both: the edits (rules, questions, levels,
references, each changed field old → new) and their impact. The impact is found twice:
every case file of both versions is run under both, listing each case whose outcome or
fired rules differ; and, with the solver, the two versions are compared over every answer
set both accept, for each combination of settings (as Cedar compares two policy sets):
equivalent, or example answer sets whose outcome changes, with both outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from decision_aid.authoring.cases import Case, case_files, load_case_file
from decision_aid.domain.engine import evaluate
from decision_aid.domain.errors import DecisionAidError
from decision_aid.domain.questionnaire import parse_answers
from decision_aid.domain.rules import RuleSet

__all__ = [
    "Change",
    "Example",
    "FieldChange",
    "Impact",
    "RuleSetDiff",
    "SolverComparison",
    "compare_by_solver",
    "diff_rule_sets",
]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any  # as the file would hold it (None: not given)
    new: Any


@dataclass(frozen=True)
class Change:
    kind: str  # "rule", "question", "level", "reference", "property", "info"
    id: str
    what: str  # "added", "removed" or "changed: field, field"
    fields: tuple[FieldChange, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "what": self.what,
            "fields": [vars(f) for f in self.fields],
        }


@dataclass(frozen=True)
class Example:
    """An answers file on which the outcome changes, with what each version gives."""

    answers: dict[str, Any]
    old: str
    new: str


@dataclass(frozen=True)
class SolverComparison:
    """The two versions under one combination of settings, over every answer set both
    accept: ``equivalent`` is None when the time limit ran out first."""

    settings: dict[str, str]
    equivalent: bool | None
    examples: tuple[Example, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "equivalent": self.equivalent,
            "examples": [vars(e) for e in self.examples],
        }


@dataclass(frozen=True)
class Impact:
    case: str
    where: str
    old: str
    new: str


@dataclass
class RuleSetDiff:
    changes: list[Change] = field(default_factory=list)
    impacts: list[Impact] = field(default_factory=list)
    solver: list[SolverComparison] | None = None  # None: not compared by the solver

    def changed(self) -> bool:
        """Whether anything differs: an edit, a case, or an answer set's outcome."""
        different = any(c.equivalent is not True for c in self.solver or ())
        return bool(self.changes or self.impacts or different)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [c.as_dict() for c in self.changes],
            "impact": [vars(i) for i in self.impacts],
            "solver": None if self.solver is None else [c.as_dict() for c in self.solver],
        }


def _fields(model: BaseModel) -> dict[str, Any]:
    """The fields as the file writes them (aliases, plain JSON values)."""
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    return data


def _compare(kind: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel]) -> list[Change]:
    changes = [Change(kind, key, "removed") for key in old if key not in new]
    changes += [Change(kind, key, "added") for key in new if key not in old]
    for key in old.keys() & new.keys():
        before, after = _fields(old[key]), _fields(new[key])
        fields = tuple(
            FieldChange(k, before.get(k), after.get(k))
            for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)
        )
        if fields:
            what = "changed: " + ", ".join(f.field for f in fields)
            changes.append(Change(kind, key, what, fields))
    return sorted(changes, key=lambda c: (c.kind, c.id))


def _cases(rules_dir: Path) -> list[tuple[str, Case, dict[str, Any]]]:
    found = []
    for path in case_files(rules_dir):
        read = load_case_file(path)
        for index, case in read.cases:
            where = f"{path}:{read.document.mark(('cases', index)).line}"
            found.append((where, case, read.base_answers))
    return found


def _outcome(rule_set: RuleSet, raw: Mapping[str, Any], settings: Mapping[str, str]) -> str:
    try:
        answers = parse_answers(rule_set.questionnaire, raw)
        assessment = evaluate(rule_set, answers, settings)
    except DecisionAidError as error:
        return f"cannot run: {error}"
    return f"{assessment.outcome.id} [{', '.join(sorted(assessment.fired_ids))}]"


def _own(rule_set: RuleSet, answers: Mapping[str, Any], settings: Mapping[str, str]) -> str:
    """What one version gives on a joint example: its own questions and settings only."""
    mine = {k: v for k, v in answers.items() if k in rule_set.questionnaire.by_id}
    ids = {s.id for s in rule_set.info.settings}
    return _outcome(rule_set, mine, {k: v for k, v in settings.items() if k in ids})


def compare_by_solver(
    old: RuleSet, new: RuleSet, *, examples: int = 3, time_limit: float | None = None
) -> list[SolverComparison]:
    """For each combination of settings, whether the versions give the same outcome on every
    answer set both accept, and if not, up to ``examples`` answer sets whose outcome changes
    (one per change of level), each with what the engine gives under both (needs z3)."""
    from decision_aid.authoring.verify import compare  # z3 is an optional extra

    return [
        SolverComparison(
            dict(c.settings),
            c.equivalent,
            tuple(
                Example(a, _own(old, a, c.settings), _own(new, a, c.settings)) for a in c.examples
            ),
        )
        for c in compare(old, new, examples=examples, time_limit=time_limit)
    ]


def diff_rule_sets(
    old: RuleSet,
    old_dir: Path,
    new: RuleSet,
    new_dir: Path,
    *,
    solver: bool = True,
    time_limit: float | None = None,
) -> RuleSetDiff:
    """The edits, the cases whose outcome changes and (with ``solver``) the comparison over
    every answer set, within ``time_limit`` seconds."""
    result = RuleSetDiff()
    result.changes += _compare("info", {"rule set": old.info}, {"rule set": new.info})
    result.changes += _compare("level", old.levels_by_id, new.levels_by_id)
    result.changes += _compare("question", old.questionnaire.by_id, new.questionnaire.by_id)
    result.changes += _compare("rule", old.rules_by_id, new.rules_by_id)
    result.changes += _compare("reference", old.references_by_id, new.references_by_id)
    result.changes += _compare(
        "property", {p.id: p for p in old.properties}, {p.id: p for p in new.properties}
    )
    seen: set[tuple[str, str]] = set()
    for where, case, base in _cases(old_dir) + _cases(new_dir):
        key = (case.name, repr(sorted({**base, **case.answers}.items())))
        if key in seen:
            continue
        seen.add(key)
        raw = {**base, **case.answers}
        before, after = _outcome(old, raw, case.settings), _outcome(new, raw, case.settings)
        if before != after:
            result.impacts.append(Impact(case.name, where, before, after))
    if solver:
        result.solver = compare_by_solver(old, new, time_limit=time_limit)
    return result
