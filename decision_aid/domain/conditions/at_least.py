"""``{question: q, at_least: n}``: a number answer is n or more."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from decision_aid.domain.conditions.node import (
    Bound,
    CodeWriter,
    Mutation,
    NumberPredicate,
    Symbols,
    Vocabulary,
    figure,
    number,
    shift_bound,
)
from decision_aid.domain.question_types import AnswerValue

__all__ = ["AtLeast"]

T = TypeVar("T")


class AtLeast(NumberPredicate):
    """``{question: q, at_least: n}``: a number answer is n or more."""

    key: ClassVar[str] = "at_least"

    at_least: float

    def test(self, answer: AnswerValue) -> bool:
        value = number(answer)
        return value is not None and value >= self.at_least

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        bound = writer.constant(self.at_least)
        return f"(isinstance({answer}, (float, int)) and {answer} >= {bound})"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.at_least(self.question, self.at_least)

    def words(self, vocabulary: Vocabulary) -> str:
        return f"{vocabulary.question_label(self.question)} is at least {figure(self.at_least)}"

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ((self.question, (True, self.at_least)),)

    def mutations(self) -> Iterator[Mutation]:
        return shift_bound(self, "at_least", self.at_least)
