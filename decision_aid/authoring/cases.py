"""Case files: answers with the outcome and fired rules a rule author expects.

A rule set keeps its cases in ``tests/*.yaml``::

    base_answers: {diagnosis: crps, ...}    # merged under every case; null unsets
    cases:
      - name: CRPS, Budapest criteria met, nothing unsafe
        settings: {guideline_basis: asra_2018}
        answers: {crps_budapest: "yes"}
        expect:
          outcome: suitable_to_discuss
          fired: [ind-crps]                 # the exact set of rules that fired

Like OPA's ``opa test``, results are PASS, FAIL (the rule set disagrees with the
case) or ERROR (the case itself cannot run: a bad answer, an unknown level).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from decision_aid.domain.advice import advice_allowed
from decision_aid.domain.assessment import DEFAULT_RULE_ID, Assessment, RuleTrace
from decision_aid.domain.base import FrozenModel, Items
from decision_aid.domain.engine import evaluate
from decision_aid.domain.errors import AnswersError, DecisionAidError, Problem
from decision_aid.domain.layout import scan
from decision_aid.domain.properties import broken_properties
from decision_aid.domain.questionnaire import Answers, parse_answers
from decision_aid.domain.rules import Property, RuleSet
from decision_aid.domain.validation import did_you_mean, validate
from decision_aid.domain.yamlsource import Document, YamlPath, read_yaml

__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "CasesRead",
    "Verdict",
    "advice_from",
    "answers_problems",
    "case_files",
    "check_case_files",
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


class _CaseFileShape(BaseModel):
    """A case file with its cases unread, so that each case is validated on its own."""

    model_config = ConfigDict(extra="forbid", strict=True)
    base_answers: dict[str, Any] = Field(default_factory=dict)
    cases: tuple[Any, ...] = Field(min_length=1)


_SHAPE = TypeAdapter(_CaseFileShape)
_CASE = TypeAdapter(Case)


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
    problems: tuple[Problem, ...] = ()  # what is wrong with the case itself (ERROR)

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
        if self.problems:
            data["problems"] = [p.as_dict() for p in self.problems]
        return data


def case_files(rules_dir: Path) -> list[Path]:
    return list(scan(rules_dir).cases)


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


def answers_problems(
    rule_set: RuleSet, document: Document, answers: Any, at: YamlPath
) -> list[Problem]:
    """Every answer that does not fit the questionnaire, each at its place (not only the
    first): ``answers`` is the mapping written at ``at`` in ``document``."""
    if not isinstance(answers, dict):
        message = "answers must be a mapping of question ids to answers"
        return [document.problem(at, "bad-answer", message)]
    problems = []
    for key, value in answers.items():
        try:
            parse_answers(rule_set.questionnaire, {key: value})
        except AnswersError as error:
            unknown = key not in rule_set.questionnaire.by_id
            problems.append(document.problem((*at, key), "bad-answer", str(error), key=unknown))
    return problems


def _named(
    document: Document, at: YamlPath, names: Sequence[str] | None, known: list[str], what: str
) -> list[Problem]:
    """A problem for each of ``names`` (written at ``at``) that is not one of ``known``."""
    return [
        document.problem((*at, i), "bad-case", f"'{name}' is not {what}{did_you_mean(name, known)}")
        for i, name in enumerate(names or ())
        if name not in known
    ]


def _case_problems(rule_set: RuleSet, document: Document, index: int, case: Case) -> list[Problem]:
    """What is wrong with one case itself, every problem at its place."""
    at: YamlPath = ("cases", index)
    problems = answers_problems(rule_set, document, dict(case.answers), (*at, "answers"))
    settings = {s.id: s for s in rule_set.info.settings}
    for name, choice in case.settings.items():
        setting = settings.get(name)
        if setting is None:
            message = f"'{name}' is not a setting{did_you_mean(name, settings)}"
            problems.append(
                document.problem((*at, "settings", name), "bad-case", message, key=True)
            )
        elif setting.choice(choice) is None:
            choices = [c.id for c in setting.choices]
            message = (
                f"'{choice}' is not a choice of '{name}' (choices: {', '.join(choices)})"
                f"{did_you_mean(choice, choices)}"
            )
            problems.append(document.problem((*at, "settings", name), "bad-case", message))
    expect, levels = case.expect, rule_set.levels_by_id
    if expect.outcome not in levels:
        message = (
            f"'{expect.outcome}' is not a level (levels: {', '.join(levels)})"
            f"{did_you_mean(expect.outcome, levels)}"
        )
        problems.append(document.problem((*at, "expect", "outcome"), "bad-case", message))
    rule_ids = [*rule_set.rules_by_id, DEFAULT_RULE_ID]
    for key in ("fired", "might_apply", "advice_from"):
        found = getattr(expect, key)
        problems += _named(document, (*at, "expect", key), found, rule_ids, "a rule")
    questions = [q.id for q in rule_set.questionnaire.questions() if q.safety]
    path = (*at, "expect", "still_to_check")
    problems += _named(document, path, expect.still_to_check, questions, "a safety question")
    return problems


def _run_case(
    rule_set: RuleSet, document: Document, index: int, case: Case, base: dict[str, Any]
) -> CaseResult:
    line = document.mark(("cases", index)).line
    problems = _case_problems(rule_set, document, index, case)
    if problems:
        return CaseResult(
            document.file,
            line,
            case.name,
            Verdict.ERROR,
            message="; ".join(p.message for p in problems),
            problems=tuple(problems),
        )
    try:
        answers = parse_answers(rule_set.questionnaire, {**base, **case.answers})
        assessment = evaluate(rule_set, answers, case.settings)
    except DecisionAidError as error:
        return CaseResult(document.file, line, case.name, Verdict.ERROR, message=str(error))
    expect = case.expect
    changed, broken = differences(rule_set, answers, assessment, expect)
    advice = advice_differences(rule_set, assessment, expect)
    ok = assessment.outcome.id == expect.outcome and not changed and not broken and not advice
    if assessment.outcome.id != expect.outcome:
        changed |= set(assessment.decided_by)  # the rules that decided: their trace says why
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


@dataclass(frozen=True)
class CasesRead:
    """One case file as read: the cases that are well formed, each with its number in the
    file, and the problems of the file and of the cases that are not (one bad case is one
    set of problems, and hides no other case)."""

    document: Document
    base_answers: dict[str, Any]
    cases: tuple[tuple[int, Case], ...]
    problems: tuple[Problem, ...]


def load_case_file(path: Path) -> CasesRead:
    """Read and check one case file; problems come back as records."""
    document, problems = read_yaml(path)
    if problems:
        return CasesRead(document, {}, (), tuple(problems))
    read = validate(_SHAPE, document.data, document)
    shape, problems = read
    if shape is None:
        return CasesRead(document, {}, (), tuple(problems))
    cases = []
    for index, raw in enumerate(shape.cases):
        one = validate(_CASE, raw, document, ("cases", index))
        case, found = one
        problems += found
        if case is not None:
            cases.append((index, case))
    return CasesRead(document, shape.base_answers, tuple(cases), tuple(problems))


def run_case_files(rule_set: RuleSet, paths: list[Path]) -> tuple[list[CaseResult], list[Problem]]:
    """Run every case; a case file that cannot be read, or a case in it that is not
    well formed, gives problems, not results."""
    results: list[CaseResult] = []
    problems: list[Problem] = []
    for path in paths:
        read = load_case_file(path)
        problems += read.problems
        document, base = read.document, read.base_answers
        problems += answers_problems(rule_set, document, base, ("base_answers",))
        for index, case in read.cases:
            results.append(_run_case(rule_set, document, index, case, base))
    return results, problems


def check_case_files(rule_set: RuleSet, rules_dir: Path) -> list[Problem]:
    """Every problem of the case files (``tests/``) and the answers files (``examples/``):
    for ``check``, which runs no case but reads them all."""
    found = scan(rules_dir)
    results, problems = run_case_files(rule_set, list(found.cases))
    problems += [p for r in results for p in r.problems]
    for path in found.examples:
        document, read_problems = read_yaml(path)
        problems += read_problems
        if not read_problems:
            problems += answers_problems(rule_set, document, document.data or {}, ())
    return sorted(set(problems))
