"""The solver's encoding of each node type agrees with the engine's evaluation.

Generated conditions rooted at every node type of the condition language, over the mini
rule set, are encoded for z3 (each node's ``encode``) and evaluated by the interpreter
(its ``truth``), answer set by answer set.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from decision_aid.authoring.verify import encoded_outcome, encoded_truth
from decision_aid.domain import Answers, outcome_of
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.conditions import NODE_TYPES, Node
from tests.domain.condition_strategies import RULES, rooted_at
from tests.domain.test_unknown_is_not_no import answers_for, settings_for

ANSWERS = answers_for(RULES)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=[t.__name__ for t in NODE_TYPES])
def test_the_encoding_of_every_node_type_agrees_with_the_engine(node_type: type[Node]) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(condition=rooted_at(node_type), answers=ANSWERS)
    def check(condition: Node, answers: Answers) -> None:
        expected = condition.truth(AnswerContext(RULES.questionnaire, answers))
        assert encoded_truth(RULES, condition, answers) is expected

    check()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=ANSWERS, chosen=settings_for(RULES))
def test_the_encoded_outcome_agrees_with_the_engine(
    answers: Answers, chosen: dict[str, str]
) -> None:
    assert encoded_outcome(RULES, answers, chosen) == outcome_of(RULES, answers, chosen)
