"""The compiled conditions agree with the interpreter (``Condition.truth``, the trace).

The engine evaluates rules through code compiled from the conditions; the node methods
stay the reference, and every trace's words come from them. Here the two are compared
on generated answers for the bundled and the mini rule sets: every rule's condition,
every ``show_when``, and the evaluated Assessment against the interpreter's verdicts.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import TypeAdapter

from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set, outcome_of
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.assessment import DEFAULT_RULE_ID
from decision_aid.domain.compiler import CHUNK, compile_conditions
from decision_aid.domain.conditions import Condition
from decision_aid.domain.truth import Truth
from tests.conftest import BUNDLED, MINI
from tests.domain.test_unknown_is_not_no import answers_for, settings_for

SETS = {"bundled": load_rule_set(BUNDLED), "mini": load_rule_set(MINI)}
CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


def _conditions(rule_set: RuleSet) -> list[Condition]:
    shown = [q.show_when for q in rule_set.questionnaire.questions() if q.show_when is not None]
    return [*(rule.when for rule in rule_set.rules), *shown]


@pytest.mark.parametrize("name", list(SETS))
def test_compiled_conditions_agree_with_the_interpreter(name: str) -> None:
    rule_set = SETS[name]
    conditions = _conditions(rule_set)
    compiled = compile_conditions(rule_set.questionnaire, conditions)

    @settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answers_for(rule_set))
    def check(answers: Answers) -> None:
        context = AnswerContext(rule_set.questionnaire, answers)
        expected = tuple(c.truth(context).value for c in conditions)
        assert compiled(answers) == expected

    check()


def _interpreted_values(rule_set: RuleSet, answers: Answers, chosen: dict[str, str]) -> dict:  # type: ignore[type-arg]
    context = AnswerContext(rule_set.questionnaire, answers)
    return {
        rule.id: rule.when.truth(context)
        for rule in rule_set.rules
        if all(chosen.get(k) in v for k, v in rule.only_for.items())
    }


@pytest.mark.parametrize("name", list(SETS))
def test_the_assessment_holds_the_interpreters_verdicts(name: str) -> None:
    rule_set = SETS[name]

    @settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answers_for(rule_set), chosen=settings_for(rule_set))
    def check(answers: Answers, chosen: dict[str, str]) -> None:
        expected = _interpreted_values(rule_set, answers, chosen)
        assessment = evaluate(rule_set, answers, chosen)
        context = AnswerContext(rule_set.questionnaire, answers)
        for trace in assessment.trace:
            if trace.rule_id == DEFAULT_RULE_ID:
                continue
            if trace.rule_id not in expected:
                assert (trace.applies, trace.value) == (False, Truth.FALSE)
                assert assessment.explanation(trace.rule_id) is None
                continue
            assert trace.applies
            assert trace.value is expected[trace.rule_id]
            explanation = assessment.explanation(trace.rule_id)
            assert explanation is not None
            assert explanation.value is trace.value
            rule = rule_set.rules_by_id[trace.rule_id]
            assert explanation == rule.when.explain(context, rule_set.questionnaire)
        assert assessment.outcome.id == outcome_of(rule_set, answers, chosen)
        # The rule set's reference ranking over the interpreter's values agrees.
        ranked = rule_set.outcome_rank((rule_set.rules_by_id[r], v) for r, v in expected.items())
        assert assessment.outcome.id == rule_set.info.levels[ranked].id

    check()


def test_deep_and_wide_conditions_compile_in_chunks() -> None:
    rule_set = SETS["mini"]
    deep: dict[str, object] = {"question": "diagnosis", "is": "a"}
    for _ in range(30):
        deep = {"not": {"any": [deep, {"question": "risk", "is": "poor"}]}}
    conditions = [CONDITION.validate_python(deep)] * (2 * CHUNK + 3)
    compiled = compile_conditions(rule_set.questionnaire, conditions)
    for answers in (Answers(), Answers({"diagnosis": "a"}), Answers({"risk": "poor"})):
        expected = conditions[0].truth(AnswerContext(rule_set.questionnaire, answers)).value
        assert compiled(answers) == (expected,) * len(conditions)


def test_a_copy_with_other_rules_is_evaluated_with_its_own_rules() -> None:
    rule_set = SETS["mini"]
    answers = Answers({"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none"})
    before = evaluate(rule_set, answers)
    fewer = rule_set.model_copy(update={"rules": rule_set.rules[:1]})
    after = evaluate(fewer, answers)
    assert [t.rule_id for t in after.trace] == [rule_set.rules[0].id, DEFAULT_RULE_ID]
    assert len(before.trace) == len(rule_set.rules) + 1
