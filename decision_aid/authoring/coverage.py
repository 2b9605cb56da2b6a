"""Which rules the case files have seen true, false and unknown, and which options no case uses.

Like ``opa test --coverage``, but three-valued: a rule that was never seen false is as
untested as one never seen true. The gate compares counts exactly, never a rounded
percentage (OPA once let an uncovered line pass at "100%").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from decision_aid.authoring.cases import CaseResult
from decision_aid.domain.layout import QUESTIONNAIRE_FILE
from decision_aid.domain.rules import RuleSet
from decision_aid.domain.truth import Truth

__all__ = ["Coverage", "RuleCoverage", "measure"]


@dataclass
class RuleCoverage:
    rule_id: str
    file: str
    line: int
    seen: set[Truth] = field(default_factory=set)

    @property
    def covered(self) -> bool:
        return {Truth.TRUE, Truth.FALSE} <= self.seen


@dataclass(frozen=True)
class Coverage:
    rules: tuple[RuleCoverage, ...]
    unused_options: tuple[tuple[str, int, int, str, str], ...]
    """(file, line, column, question id, option id) for options no case answers with."""

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.rules)

    def percent(self) -> float:
        return 100.0 * self.covered / len(self.rules) if self.rules else 100.0

    def meets(self, percent: float) -> bool:
        """Exactly: ``covered / total >= percent / 100``, with no rounding."""
        return self.covered * 100 >= percent * len(self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules": [
                {
                    "rule_id": r.rule_id,
                    "file": r.file,
                    "line": r.line,
                    "seen": sorted(str(v) for v in r.seen),
                    "covered": r.covered,
                }
                for r in self.rules
            ],
            "unused_options": [
                {"file": f, "line": line, "column": col, "question": q, "option": o}
                for f, line, col, q, o in self.unused_options
            ],
            "covered": self.covered,
            "total": len(self.rules),
            "percent": self.percent(),
        }


def measure(rule_set: RuleSet, results: list[CaseResult]) -> Coverage:
    sources = rule_set.sources
    coverage = {}
    for rule in rule_set.rules:
        place = sources.rule(rule.id, ("id",))
        coverage[rule.id] = RuleCoverage(rule.id, place.file, place.line)
    used: set[tuple[str, str]] = set()
    for result in results:
        if result.assessment is None:
            continue
        for trace in result.assessment.trace:
            if trace.applies and trace.rule_id in coverage:
                coverage[trace.rule_id].seen.add(trace.value)
        given = result.answers.to_data() if result.answers is not None else {}
        for question_id, value in given.items():
            options = value if isinstance(value, list | tuple) else (value,)
            used |= {(question_id, str(o)) for o in options}
    unused = []
    for si, section in enumerate(rule_set.questionnaire.sections):
        for qi, question in enumerate(section.questions):
            for oi, option in enumerate(question.options):
                if (question.id, option.id) not in used:
                    at = ("sections", si, "questions", qi, "options", oi, "id")
                    place = sources.file(QUESTIONNAIRE_FILE, at)
                    unused.append((place.file, place.line, place.column, question.id, option.id))
    return Coverage(tuple(coverage.values()), tuple(unused))
