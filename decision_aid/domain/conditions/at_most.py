"""``{question: q, at_most: n}``: a number answer is n or less."""

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

__all__ = ["AtMost"]

T = TypeVar("T")


class AtMost(NumberPredicate):
    """``{question: q, at_most: n}``: a number answer is n or less."""

    key: ClassVar[str] = "at_most"

    at_most: float

    def test(self, answer: AnswerValue) -> bool:
        value = number(answer)
        return value is not None and value <= self.at_most

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        bound = writer.constant(self.at_most)
        return f"(isinstance({answer}, (float, int)) and {answer} <= {bound})"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.at_most(self.question, self.at_most)

    def words(self, vocabulary: Vocabulary) -> str:
        return f"{vocabulary.question_label(self.question)} is at most {figure(self.at_most)}"

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ((self.question, (False, self.at_most)),)

    def mutations(self) -> Iterator[Mutation]:
        return shift_bound(self, "at_most", self.at_most)
