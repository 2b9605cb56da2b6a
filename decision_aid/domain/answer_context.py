"""The answers as a condition sees them: the evaluation context against which the engine,
the progress list, declared properties, advice and the sheet's selection judge conditions.

It lives apart from the engine so that a reader of answers needs no evaluation machinery.
"""

from __future__ import annotations

from decision_aid.domain.conditions import AnswerValue
from decision_aid.domain.questionnaire import Answers, Questionnaire
from decision_aid.domain.truth import Truth

__all__ = ["AnswerContext"]


class AnswerContext:
    """Answers seen through the questionnaire: visibility is computed once per question."""

    def __init__(self, questionnaire: Questionnaire, answers: Answers) -> None:
        self._questionnaire = questionnaire
        self._answers = answers
        self._visible: dict[str, Truth] = {}

    def visibility(self, question_id: str) -> Truth:
        value = self._visible.get(question_id)
        if value is None:
            question = self._questionnaire.by_id.get(question_id)
            condition = question.show_when if question is not None else None
            value = Truth.TRUE if condition is None else condition.truth(self)
            self._visible[question_id] = value
        return value

    def answer(self, question_id: str) -> AnswerValue | None:
        return self._answers.get(question_id)

    def answer_text(self, question_id: str) -> str:
        value = self._answers.get(question_id)
        if value is None:
            return "not known" if question_id in self._answers.not_known else "not answered"
        questionnaire = self._questionnaire
        if isinstance(value, tuple):
            return "answer: " + ", ".join(questionnaire.option_label(question_id, v) for v in value)
        if isinstance(value, str):
            return "answer: " + questionnaire.option_label(question_id, value)
        question = questionnaire.by_id[question_id]
        return f"answer: {value:g}" + (f" {question.unit}" if question.unit else "")
