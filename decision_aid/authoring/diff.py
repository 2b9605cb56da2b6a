"""What changed between two versions of a rule set, and what the change does to the cases.

Reviewers approving a new version need both: the edits (rules, questions, levels,
references) and their impact, found by running every case file of both versions
under both and listing each case whose outcome or fired rules differ.
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

__all__ = ["Change", "Impact", "RuleSetDiff", "diff_rule_sets"]


@dataclass(frozen=True)
class Change:
    kind: str  # "rule", "question", "level", "reference", "property", "info"
    id: str
    what: str  # "added", "removed" or "changed: field, field"


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [vars(c) for c in self.changes],
            "impact": [vars(i) for i in self.impacts],
        }


def _compare(kind: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel]) -> list[Change]:
    changes = [Change(kind, key, "removed") for key in old if key not in new]
    changes += [Change(kind, key, "added") for key in new if key not in old]
    for key in old.keys() & new.keys():
        before, after = old[key].model_dump(), new[key].model_dump()
        fields = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if fields:
            changes.append(Change(kind, key, "changed: " + ", ".join(fields)))
    return sorted(changes, key=lambda c: (c.kind, c.id))


def _cases(rules_dir: Path) -> list[tuple[str, Case, dict[str, Any]]]:
    found = []
    for path in case_files(rules_dir):
        read = load_case_file(path)
        for index, case in read.cases:
            where = f"{path}:{read.document.mark(('cases', index)).line}"
            found.append((where, case, read.base_answers))
    return found


def _outcome(rule_set: RuleSet, case: Case, base: dict[str, Any]) -> str:
    try:
        answers = parse_answers(rule_set.questionnaire, {**base, **case.answers})
        assessment = evaluate(rule_set, answers, case.settings)
    except DecisionAidError as error:
        return f"cannot run: {error}"
    return f"{assessment.outcome.id} [{', '.join(sorted(assessment.fired_ids))}]"


def diff_rule_sets(old: RuleSet, old_dir: Path, new: RuleSet, new_dir: Path) -> RuleSetDiff:
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
        before, after = _outcome(old, case, base), _outcome(new, case, base)
        if before != after:
            result.impacts.append(Impact(case.name, where, before, after))
    return result
