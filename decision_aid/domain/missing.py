"""What we still need to know: each missing answer that could change the outcome, and how.

For each question a rule with an outcome reads (directly or through a ``show_when``) that
is asked and has no answer, every candidate answer is tried (each option; for a number,
each bound a rule or ``show_when`` tests and the value beside it) and the ones that change
the outcome are listed, most decisive first.

Trying a candidate re-evaluates only the rules that read the question; the others keep
the values they have, counted once in a :class:`_Tally` of what fires at each level. For
a number question the candidates are tried in ascending order and a rule is re-evaluated
only at the candidates past one of its own bounds on that question: between two of its
bounds its value cannot change. So the work grows with the rules that read a question
and their bounds on it, never with candidates × rules (a thousand bounds on one number
took thirty seconds an answer that way).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from decision_aid.domain.assessment import MissingItem
from decision_aid.domain.conditions import AnswerValue, Bound, EvaluationContext, Node, walk
from decision_aid.domain.questionnaire import Answers, Question, Questionnaire, QuestionType
from decision_aid.domain.rules import Rule
from decision_aid.domain.truth import Truth

__all__ = [
    "MissingWork",
    "PlanView",
    "ReaderIndex",
    "missing_information",
    "number_candidates",
    "tested_bounds",
]


class PlanView(Protocol):
    """What the analysis needs of the engine's plan for one choice of settings."""

    @property
    def ordered(self) -> Sequence[Rule]:
        """The applicable rules, those with an outcome first."""

    @property
    def outcome_count(self) -> int: ...

    @property
    def ranks(self) -> Sequence[Sequence[int]]:
        """Per rule, per value (0 false, 1 unknown, 2 true): the rank it fires at, or -1."""

    @property
    def default_ranks(self) -> Sequence[int]:
        """Per value of the default's condition: the rank the default fires at, or -1."""

    @property
    def level_ids(self) -> Sequence[str]: ...

    def rule_value(self, rule: int, answers: Answers) -> int:
        """One rule's value (0, 1, 2) for the answers."""

    def readers_values(
        self, question_id: str, rules: Sequence[int], answers: Answers
    ) -> Sequence[int]:
        """The values of ``rules`` (the question's readers) for the answers, in one call."""


def _bounds_of(condition: Node) -> list[tuple[str, Bound]]:
    """Every number bound the condition's nodes test, by question."""
    found: list[tuple[str, Bound]] = []
    walk(condition, lambda node, _path, _negated: found.extend(node.bounds()))
    return found


class ReaderIndex:
    """Which rules with an outcome read each question, and their bounds on it, including
    what they read through ``show_when``; worked out once per plan."""

    def __init__(self, questionnaire: Questionnaire, rules: Sequence[Rule]) -> None:
        self._questionnaire = questionnaire
        self._closure: dict[str, tuple[frozenset[str], tuple[tuple[str, Bound], ...]]] = {}
        self.readers: dict[str, list[int]] = {}
        self.bounds: dict[str, dict[int, list[Bound]]] = {}
        for index, rule in enumerate(rules):
            questions = set(rule.when.questions())
            bounds = _bounds_of(rule.when)
            for question_id in list(questions):
                reached, through = self._through(question_id)
                questions |= reached
                bounds += through
            for question_id in questions:
                self.readers.setdefault(question_id, []).append(index)
            for question_id, bound in bounds:
                self.bounds.setdefault(question_id, {}).setdefault(index, []).append(bound)

    def _through(self, question_id: str) -> tuple[frozenset[str], tuple[tuple[str, Bound], ...]]:
        """The questions (and bounds) that decide whether ``question_id`` is asked."""
        found = self._closure.get(question_id)
        if found is not None:
            return found
        self._closure[question_id] = (frozenset(), ())  # a cycle (refused by check) ends here
        question = self._questionnaire.by_id.get(question_id)
        reached: set[str] = set()
        bounds: list[tuple[str, Bound]] = []
        if question is not None and question.show_when is not None:
            bounds += _bounds_of(question.show_when)
            for lead in question.show_when.questions():
                more, through = self._through(lead)
                reached |= {lead, *more}
                bounds += through
        found = self._closure[question_id] = (frozenset(reached), tuple(bounds))
        return found


def tested_bounds(questionnaire: Questionnaire, rules: Sequence[Rule]) -> dict[str, list[Bound]]:
    """Every bound any rule or ``show_when`` tests, by question."""
    found: dict[str, list[Bound]] = {}
    conditions = [rule.when for rule in rules]
    conditions += [q.show_when for q in questionnaire.questions() if q.show_when is not None]
    for condition in conditions:
        for question_id, bound in _bounds_of(condition):
            found.setdefault(question_id, []).append(bound)
    return found


def number_candidates(question: Question, bounds: Sequence[Bound]) -> list[float]:
    """Each bound and the value beside it (one step below ``at_least``, above ``at_most``),
    with the range's ends, within the range, ascending."""
    step = 1.0 if question.integer else 0.1
    values = {question.minimum, question.maximum}
    for at_least, bound in bounds:
        values.update({bound, bound - step} if at_least else {bound, bound + step})
    low = question.minimum if question.minimum is not None else float("-inf")
    high = question.maximum if question.maximum is not None else float("inf")
    return sorted(float(v) for v in values if v is not None and low <= v <= high)


@dataclass
class _Tally:
    """How many rules fire at each rank, and how many rules with an outcome are true or
    unknown (which decides the default); the outcome follows without a pass over rules."""

    plan: PlanView
    fired: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=lambda: [0, 0, 0])

    def __post_init__(self) -> None:
        if not self.fired:
            self.fired = [0] * len(self.plan.level_ids)

    def add(self, rule: int, value: int, count: int = 1) -> None:
        rank = self.plan.ranks[rule][value]
        if rank >= 0:
            self.fired[rank] += count
        self.values[value] += count

    def copy(self) -> _Tally:
        return _Tally(self.plan, list(self.fired), list(self.values))

    def outcome(self) -> str:
        top = next((r for r in range(len(self.fired) - 1, -1, -1) if self.fired[r]), -1)
        true, unknown = self.values[2], self.values[1]
        default = self.plan.default_ranks[0 if true else (1 if unknown else 2)]
        return self.plan.level_ids[max(top, default)]


@dataclass
class MissingWork:
    """How much the analysis did: candidate answers tried and rules re-evaluated."""

    candidates: int = 0
    evaluations: int = 0


@dataclass
class _Analysis:
    """One run of the analysis over one set of answers."""

    plan: PlanView
    answers: Answers
    base: Sequence[int]
    work: MissingWork
    tally: _Tally = field(init=False)

    def __post_init__(self) -> None:
        self.tally = _Tally(self.plan)
        for rule, value in enumerate(self.base[: self.plan.outcome_count]):
            self.tally.add(rule, value)

    def changes(
        self,
        question: Question,
        readers: Sequence[int],
        tried: Sequence[tuple[str, AnswerValue]],
        events: Mapping[int, Sequence[int]] | None,
    ) -> list[tuple[str, str]]:
        """The candidates that change the outcome, in the order tried. ``events`` (numbers
        only) names the readers to re-evaluate at each later candidate; without it every
        reader is re-evaluated at every candidate."""
        plan, base, work = self.plan, self.base, self.work
        tally = self.tally.copy()
        before = tally.outcome()
        current = {rule: base[rule] for rule in readers}
        changes: list[tuple[str, str]] = []
        for position, (label, answer) in enumerate(tried):
            work.candidates += 1
            due = readers if events is None or position == 0 else events.get(position, ())
            if due:
                trial = self.answers.with_answer(question.id, answer)
                if due is readers:
                    values: Sequence[int] = plan.readers_values(question.id, readers, trial)
                else:
                    values = [plan.rule_value(rule, trial) for rule in due]
                work.evaluations += len(due)
                for rule, new in zip(due, values, strict=True):
                    if new != current[rule]:
                        tally.add(rule, current[rule], -1)
                        tally.add(rule, new)
                        current[rule] = new
            level = tally.outcome()
            if level != before:
                changes.append((label, level))
        return changes


def missing_information(
    plan: PlanView,
    index: ReaderIndex,
    answers: Answers,
    *,
    questionnaire: Questionnaire,
    base: Sequence[int],
    context: Callable[[Answers], EvaluationContext],
    candidates: Callable[[Question], list[tuple[str, AnswerValue]]],
    work: MissingWork | None = None,
) -> tuple[MissingItem, ...]:
    """Each missing answer that could change the outcome, most decisive first.

    ``base`` holds every rule's value for ``answers`` (as the plan orders them);
    ``candidates`` gives a question's candidate answers, numbers ascending; ``context``
    sees answers through the questionnaire.
    """
    analysis = _Analysis(plan, answers, base, work if work is not None else MissingWork())
    rank_of = {level: i for i, level in enumerate(plan.level_ids)}
    seen = context(answers)
    found: list[tuple[int, int, MissingItem]] = []
    for order, question in enumerate(questionnaire.questions()):
        readers = index.readers.get(question.id)
        if not readers or question.id in answers:
            continue
        if seen.visibility(question.id) is Truth.FALSE:
            continue
        tried = candidates(question)
        events: dict[int, list[int]] | None = None
        if question.type is QuestionType.NUMBER:
            values = [float(v) for _, v in tried if isinstance(v, float | int)]
            events = _events(values, index.bounds.get(question.id, {}))
        changes = analysis.changes(question, readers, tried, events)
        if changes:
            status = "not known" if question.id in answers.not_known else "not answered"
            item = MissingItem(
                question.id,
                question.label,
                questionnaire.section_of[question.id].id,
                status,
                tuple(changes),
            )
            found.append((min(rank_of[level] for _, level in changes), order, item))
    return tuple(item for _, _, item in sorted(found, key=lambda f: (f[0], f[1])))


def _events(values: Sequence[float], bounds: Mapping[int, Sequence[Bound]]) -> dict[int, list[int]]:
    """For each candidate position, the rules a step to it may change: ``at_least b`` flips
    at the first candidate ≥ b, ``at_most b`` at the first candidate > b."""
    events: dict[int, set[int]] = {}
    for rule, rule_bounds in bounds.items():
        for at_least, bound in rule_bounds:
            position = bisect_left(values, bound) if at_least else bisect_right(values, bound)
            if 0 < position < len(values):
                events.setdefault(position, set()).add(rule)
    return {position: sorted(rules) for position, rules in events.items()}
