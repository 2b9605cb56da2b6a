"""Unknown is not No, as a property over generated answers to the bundled rule set.

For any answers A and any question q that is shown, let K be the outcomes of A with q
set to each of its known answers. Then the outcome with q not known, or unanswered,
is at least as restrictive as min(most restrictive of K, the "assess first" level).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from decision_aid.domain import (
    Answers,
    RuleSet,
    load_rule_set,
    outcome_of,
    parse_answers,
)
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.conditions import AnswerValue, EvaluationContext
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.questionnaire import Question, QuestionType
from decision_aid.domain.rules import applies
from decision_aid.domain.truth import Truth
from decision_aid.domain.yamlsource import read_yaml
from tests.conftest import BUNDLED, MINI

Outcome = Callable[[RuleSet, Answers, Mapping[str, str]], str]
UNANSWERED, NOT_KNOWN = object(), object()


# A patient for whom nothing stands in the way: favourable outcomes are where a
# missing answer could do harm, and uniform random answers rarely reach them.
CLEAN_FILE = BUNDLED / "examples" / "crps-no-concerns.yaml"


def answer_strategy(question: Question) -> st.SearchStrategy[object]:
    blanks: list[object] = [UNANSWERED] + ([NOT_KNOWN] if question.not_known else [])
    if question.type is QuestionType.MULTIPLE:
        plain = [o.id for o in question.choices if not o.exclusive]
        single = [(o.id,) for o in question.choices if o.exclusive]
        known: st.SearchStrategy[object] = st.one_of(
            st.sets(st.sampled_from(plain), min_size=1).map(lambda s: tuple(sorted(s))),
            *([st.sampled_from(single)] if single else []),
        )
    elif question.type is QuestionType.NUMBER:
        assert question.minimum is not None
        assert question.maximum is not None
        known = st.integers(int(question.minimum), int(question.maximum)).map(float)
    else:
        known = st.sampled_from([o.id for o in question.choices])
    # Mostly known answers: with many blanks, "assess first" would hide everything else.
    return st.integers(0, 5).flatmap(lambda i: st.sampled_from(blanks) if i == 0 else known)


def as_answers(values: Mapping[str, object]) -> Answers:
    """Drawn values as Answers: ``UNANSWERED`` left out, ``NOT_KNOWN`` marked not known."""
    known = {k: v for k, v in values.items() if v is not UNANSWERED and v is not NOT_KNOWN}
    not_known = frozenset(k for k, v in values.items() if v is NOT_KNOWN)
    return Answers(known, not_known)  # type: ignore[arg-type]


def answers_for(rule_set: RuleSet) -> st.SearchStrategy[Answers]:
    """Random answers, and clean answers with a few of them changed."""
    questions = list(rule_set.questionnaire.questions())
    anything = st.fixed_dictionaries({q.id: answer_strategy(q) for q in questions})
    base = clean_answers(rule_set)
    near_clean = st.lists(
        st.sampled_from(questions).flatmap(lambda q: st.tuples(st.just(q.id), answer_strategy(q))),
        max_size=3,
    ).map(lambda changes: {**base, **dict(changes)})
    return st.one_of(anything, near_clean).map(as_answers)


def clean_answers(rule_set: RuleSet) -> dict[str, object]:
    if rule_set.info.id != "ketamine-chronic-pain":
        return {}
    return dict(parse_answers(rule_set.questionnaire, read_yaml(CLEAN_FILE)[0].data))


def settings_for(rule_set: RuleSet) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {s.id: st.sampled_from([c.id for c in s.choices]) for s in rule_set.info.settings}
    )


def shown(rule_set: RuleSet, answers: Answers) -> list[str]:
    context = AnswerContext(rule_set.questionnaire, answers)
    return [
        q.id for q in rule_set.questionnaire.questions() if context.visibility(q.id) is Truth.TRUE
    ]


def violation(
    rule_set: RuleSet,
    answers: Answers,
    chosen: Mapping[str, str],
    question_id: str,
    outcome: Outcome,
) -> str | None:
    """Why the property fails for this question, or None when it holds."""
    rank = rule_set.level_rank
    question = rule_set.questionnaire.by_id[question_id]
    known = [
        outcome(rule_set, answers.with_answer(question_id, v), chosen)
        for _, v in candidate_answers(rule_set, question)
    ]
    if question.type is QuestionType.NUMBER:
        assert question.minimum is not None
        value = answers.get(question_id)
        if isinstance(value, float):  # the drawn value itself is a known answer too
            known.append(outcome(rule_set, answers, chosen))
    floor = min(max(rank[k] for k in known), rank[rule_set.info.assess_first])
    blanks = [answers.without(question_id)]
    if question.not_known:
        blanks.append(answers.with_answer(question_id, None))
    for blank in blanks:
        got = outcome(rule_set, blank, chosen)
        if rank[got] < floor:
            return (
                f"{question_id} missing gives {got}, less restrictive than "
                f"{rule_set.info.levels[floor].id} (known answers give {sorted(set(known))})"
            )
    return None


@pytest.fixture(scope="module")
def bundled() -> RuleSet:
    return load_rule_set(BUNDLED)


@pytest.mark.parametrize("rules_dir", [BUNDLED, MINI], ids=["bundled", "mini"])
def test_unknown_is_not_no_for_one_question_at_a_time(rules_dir: object) -> None:
    rule_set = load_rule_set(rules_dir)  # type: ignore[arg-type]

    @settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answers_for(rule_set), chosen=settings_for(rule_set), data=st.data())
    def check(answers: Answers, chosen: dict[str, str], data: st.DataObject) -> None:
        question_id = data.draw(st.sampled_from(shown(rule_set, answers)))
        assert violation(rule_set, answers, chosen, question_id, outcome_of) is None

    check()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_unknown_is_not_no_for_every_shown_question(bundled: RuleSet, data: st.DataObject) -> None:
    answers = data.draw(answers_for(bundled))
    chosen = data.draw(settings_for(bundled))
    for question_id in shown(bundled, answers):
        assert violation(bundled, answers, chosen, question_id, outcome_of) is None


class _UnknownAsNoMatch:
    """A deliberately weakened reading of the answers: a missing answer is an answer that
    matches no option and no number, so every predicate on it is false, not unknown."""

    def __init__(self, rule_set: RuleSet, answers: Answers) -> None:
        self._context = AnswerContext(rule_set.questionnaire, answers)

    def visibility(self, question_id: str) -> Truth:
        return self._context.visibility(question_id)

    def answer(self, question_id: str) -> AnswerValue | None:
        found = self._context.answer(question_id)
        return "(no match)" if found is None else found

    def answer_text(self, question_id: str) -> str:
        return self._context.answer_text(question_id)


def _weak_outcome(read: Callable[[Truth], Truth], unknown_as_no_match: bool) -> Outcome:
    """An engine built from the interpreter and the rule set's own ranking, weakened: each
    rule's value passes through ``read``, and missing answers may match nothing."""

    def outcome(rule_set: RuleSet, answers: Answers, chosen: Mapping[str, str]) -> str:
        context: EvaluationContext = (
            _UnknownAsNoMatch(rule_set, answers)
            if unknown_as_no_match
            else AnswerContext(rule_set.questionnaire, answers)
        )
        values = [
            (rule, read(rule.when.truth(context)))
            for rule in rule_set.rules
            if applies(rule, chosen)
        ]
        return rule_set.info.levels[rule_set.outcome_rank(values)].id

    return outcome


def _as_read(value: Truth) -> Truth:
    return value


def _unknown_is_false(value: Truth) -> Truth:
    return Truth.FALSE if value is Truth.UNKNOWN else value


@pytest.mark.parametrize(
    "weak",
    [_weak_outcome(_as_read, unknown_as_no_match=True), _weak_outcome(_unknown_is_false, False)],
    ids=["unknown read as no match", "unknown rules ignored"],
)
def test_a_weakened_engine_is_caught(bundled: RuleSet, weak: Outcome) -> None:
    sound = _weak_outcome(_as_read, unknown_as_no_match=False)  # the interpreter, unweakened
    strategy = st.tuples(answers_for(bundled), settings_for(bundled), st.integers(0, 1000))

    def question(answers: Answers, pick: int) -> str:
        candidates = shown(bundled, answers)
        return candidates[pick % len(candidates)]

    def fails(example: tuple[Answers, dict[str, str], int]) -> bool:
        answers, chosen, pick = example
        return violation(bundled, answers, chosen, question(answers, pick), weak) is not None

    counterexample = find(
        strategy,
        fails,
        settings=settings(max_examples=5000, phases=[Phase.generate], database=None),
    )
    answers, chosen, pick = counterexample
    assert violation(bundled, answers, chosen, question(answers, pick), sound) is None
    assert violation(bundled, answers, chosen, question(answers, pick), outcome_of) is None
