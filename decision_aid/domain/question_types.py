"""The kinds of question and the answers they take.

Apart from the questionnaire because the condition language needs them too (each
predicate says which kinds of question it fits), and the questionnaire's ``show_when``
is itself a condition: neither module can import the other for them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AnswerValue", "QuestionType"]

AnswerValue = str | tuple[str, ...] | float
"""An option id, a tuple of option ids (multiple choice), or a number."""


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    NUMBER = "number"
