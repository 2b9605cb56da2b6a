"""Case files: answers with the outcome and fired rules a rule author expects.

A rule set keeps its cases in ``tests/*.yaml``::

    base_answers: {trouble: long_term, ...}  # merged under every case; null unsets
    cases:
      - name: Long-lasting trouble, habits tried, nothing unsafe
        settings: {guide: guide_a}
        answers: {tried_habits: "yes"}
        expect:
          outcome: worth_discussing
          fired: [ind-long-term]             # the exact set of rules that fired

Like OPA's ``opa test``, results are PASS, FAIL (the rule set disagrees with the
case) or ERROR (the case itself cannot run: a bad answer, an unknown level).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, TypeAdapter

from decision_aid.domain.advice import advice_allowed
from decision_aid.domain.assessment import Assessment, RuleTrace
from decision_aid.domain.base import FrozenModel, Items
from decision_aid.domain.engine import evaluate
from decision_aid.domain.errors import DecisionAidError, Problem
from decision_aid.domain.properties import broken_properties
from decision_aid.domain.questionnaire import Answers, parse_answers
from decision_aid.domain.rules import Property, RuleSet
from decision_aid.domain.validation import validate
from decision_aid.domain.yamlsource import Document, dump_yaml, read_yaml

__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "Verdict",
    "advice_from",
    "case_file_text",
    "case_files",
    "differences",
    "load_case_file",
    "run_case_files",
]


class Expect(FrozenModel):
    outcome: str = Field(min_length=1)
    fired: Items[str] | None = Field(
        default=None, description="Exactly the rules that fire ('default' for the default)."
    )
    might_apply: Items[str] | None = Field(
        default=None,
        description="Exactly the fired rules that only might apply, because an answer is "
        "not known (the window lists them apart from the reasons).",
    )
    advice_from: Items[str] | None = Field(
        default=None,
        description="Exactly the rules whose cautions and actions are given as certain "
        "(fired for certain, with advice, within their advice_when).",
    )
    still_to_check: Items[str] | None = Field(
        default=None,
        description="Exactly the safety questions still to check (not answered or not known).",
    )


def advice_from(rule_set: RuleSet, assessment: Assessment) -> list[str]:
    """The rules whose cautions and actions the assessment gives as certain."""
    outcome = assessment.outcome.id
    return [
        f.rule_id
        for f in assessment.fired
        if f.certain and (f.cautions or f.actions) and advice_allowed(rule_set, f.rule_id, outcome)
    ]


def advice_differences(rule_set: RuleSet, assessment: Assessment, expect: Expect) -> list[str]:
    """What the case expects of the advice and the safety questions and does not get."""
    found = []
    if expect.advice_from is not None:
        actual = advice_from(rule_set, assessment)
        if set(actual) != set(expect.advice_from):
            found.append(
                f"expected advice from: {', '.join(sorted(expect.advice_from)) or '(none)'}; "
                f"actual: {', '.join(sorted(actual)) or '(none)'}"
            )
    if expect.still_to_check is not None:
        actual = [c.question_id for c in assessment.to_check]
        if set(actual) != set(expect.still_to_check):
            found.append(
                f"expected still to check: {', '.join(sorted(expect.still_to_check)) or '(none)'}"
                f"; actual: {', '.join(sorted(actual)) or '(none)'}"
            )
    return found


class Case(FrozenModel):
    name: str = Field(min_length=1)
    note: str | None = None
    settings: dict[str, str] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    expect: Expect


class CaseFile(FrozenModel):
    base_answers: dict[str, Any] = Field(default_factory=dict)
    cases: Items[Case] = Field(min_length=1)


_CASE_FILE = TypeAdapter(CaseFile)


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"


@dataclass(frozen=True)
class CaseResult:
    file: str
    line: int
    name: str
    verdict: Verdict
    expect: Expect | None = None
    assessment: Assessment | None = None
    answers: Answers | None = field(default=None, repr=False)
    message: str | None = None
    differing: tuple[RuleTrace, ...] = field(default=(), repr=False)
    broken: tuple[Property, ...] = ()  # declared properties the outcome breaks

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "name": self.name,
            "verdict": str(self.verdict),
        }
        if self.verdict is Verdict.FAIL and self.assessment is not None and self.expect:
            data["expected"] = {
                "outcome": self.expect.outcome,
                "fired": self.expect.fired,
                "might_apply": self.expect.might_apply,
            }
            data["actual"] = {
                "outcome": self.assessment.outcome.id,
                "fired": list(self.assessment.fired_ids),
                "might_apply": [f.rule_id for f in self.assessment.fired if not f.certain],
            }
            data["differing"] = [t.as_dict() for t in self.differing]
            data["broken_properties"] = [p.id for p in self.broken]
        if self.message:
            data["message"] = self.message
        return data


def case_files(rules_dir: Path) -> list[Path]:
    tests = rules_dir / "tests"
    return sorted(tests.glob("*.yaml")) if tests.is_dir() else []


def differences(
    rule_set: RuleSet, answers: Answers, assessment: Assessment, expect: Expect
) -> tuple[set[str], list[Property]]:
    """The rules whose firing differs from what the case expects, and the declared
    properties the assessment breaks; the outcome itself is compared by the caller."""
    changed: set[str] = set()
    if expect.fired is not None:
        changed |= set(expect.fired) ^ set(assessment.fired_ids)
    if expect.might_apply is not None:
        changed |= set(expect.might_apply) ^ {f.rule_id for f in assessment.fired if not f.certain}
    broken = broken_properties(rule_set, answers, dict(assessment.settings), assessment.outcome.id)
    return changed, broken


def _run_case(
    rule_set: RuleSet, document: Document, index: int, case: Case, base: dict[str, Any]
) -> CaseResult:
    line = document.mark(("cases", index)).line
    answers_raw = {**base, **case.answers}
    try:
        answers = parse_answers(rule_set.questionnaire, answers_raw)
        assessment = evaluate(rule_set, answers, case.settings)
    except DecisionAidError as error:
        return CaseResult(document.file, line, case.name, Verdict.ERROR, message=str(error))
    levels = rule_set.levels_by_id
    expect = case.expect
    if expect.outcome not in levels:
        message = f"'{expect.outcome}' is not a level (levels: {', '.join(levels)})"
        return CaseResult(document.file, line, case.name, Verdict.ERROR, message=message)
    named = (*(expect.fired or ()), *(expect.might_apply or ()))
    unknown = [r for r in named if r not in rule_set.rules_by_id and r != "default"]
    if unknown:
        message = f"expected fired rule(s) that do not exist: {', '.join(unknown)}"
        return CaseResult(document.file, line, case.name, Verdict.ERROR, message=message)
    changed, broken = differences(rule_set, answers, assessment, expect)
    advice = advice_differences(rule_set, assessment, expect)
    ok = assessment.outcome.id == expect.outcome and not changed and not broken and not advice
    differing = tuple(t for t in assessment.trace if t.rule_id in changed)
    return CaseResult(
        document.file,
        line,
        case.name,
        Verdict.PASS if ok else Verdict.FAIL,
        expect,
        assessment,
        answers,
        message="; ".join(advice) or None,
        differing=differing,
        broken=tuple(broken),
    )


def case_file_text(
    name: str, answers: dict[str, Any], settings: dict[str, str], assessment: Assessment
) -> str:
    """A case file expecting what the rule set gives now, for the author to review."""

    case = {
        "name": name,
        "note": "Written from the app: check the expected outcome before you rely on it.",
        "settings": dict(settings),
        "answers": answers,
        "expect": {"outcome": assessment.outcome.id, "fired": sorted(assessment.fired_ids)},
    }
    header = "# yaml-language-server: $schema=../../schema/cases.schema.json\n"
    return header + dump_yaml({"cases": [case]})


def load_case_file(path: Path) -> tuple[Document, CaseFile | None, list[Problem]]:
    """Read and check one case file; problems come back as records."""
    document, problems = read_yaml(path)
    if problems:
        return document, None, problems
    result = validate(_CASE_FILE, document.data, document)
    case_file, problems = result
    return document, case_file, problems


def run_case_files(rule_set: RuleSet, paths: list[Path]) -> tuple[list[CaseResult], list[Problem]]:
    """Run every case; a case file that cannot be read gives problems, not results."""
    results: list[CaseResult] = []
    problems: list[Problem] = []
    for path in paths:
        document, case_file, found = load_case_file(path)
        problems += found
        if case_file is not None:
            for index, case in enumerate(case_file.cases):
                results.append(_run_case(rule_set, document, index, case, case_file.base_answers))
    return results, problems
