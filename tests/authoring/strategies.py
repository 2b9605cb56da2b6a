"""Hypothesis strategies over a rule set's own questions."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from decision_aid.domain.questionnaire import QuestionType
from decision_aid.domain.rules import RuleSet

__all__ = ["answer_sets"]


@st.composite
def answer_sets(draw: st.DrawFn, rule_set: RuleSet) -> dict[str, Any]:
    """Any answers the questionnaire accepts: each question answered, unknown or left out."""
    answers: dict[str, Any] = {}
    for question in rule_set.questionnaire.questions():
        kind = draw(st.sampled_from(["answer", "answer", "unknown", "left out"]))
        ids = [o.id for o in question.choices]
        if kind == "unknown" and question.not_known:
            answers[question.id] = "unknown"
        elif kind != "answer":
            continue
        elif question.type is QuestionType.NUMBER:
            low, high = int(question.minimum or 0), int(question.maximum or 0)
            answers[question.id] = draw(st.integers(low, high))
        elif question.type is QuestionType.MULTIPLE:
            alone = [o.id for o in question.choices if o.exclusive]
            some = st.lists(
                st.sampled_from([i for i in ids if i not in alone]), min_size=1, unique=True
            )
            answers[question.id] = draw(st.one_of(some, *(st.just([i]) for i in alone)))
        else:
            answers[question.id] = draw(st.sampled_from(ids))
    return answers
