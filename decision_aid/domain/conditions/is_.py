"""``{question: q, is: option}``: a single-choice or yes/no answer is this option."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from pydantic import Field

from decision_aid.domain.conditions.node import (
    ChoicePredicate,
    CodeWriter,
    EnableWhen,
    Mutation,
    Symbols,
    Vocabulary,
    YamlPath,
)
from decision_aid.domain.question_types import AnswerValue, QuestionType

__all__ = ["Is"]

T = TypeVar("T")


class Is(ChoicePredicate):
    """``{question: q, is: option}``: a single-choice or yes/no answer is this option."""

    key: ClassVar[str] = "is"
    fits: ClassVar[frozenset[QuestionType]] = frozenset({QuestionType.SINGLE, QuestionType.YES_NO})

    is_: str = Field(alias="is", min_length=1)

    def test(self, answer: AnswerValue) -> bool:
        return answer == self.is_

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        return f"{answer} == {writer.constant(self.is_)}"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.is_option(self.question, self.is_)

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} is {self.labels(vocabulary, (self.is_,))}"

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ((("is",), self.is_),)

    def mutations(self) -> Iterator[Mutation]:
        return iter(())

    def enable_when(self) -> EnableWhen | None:
        return EnableWhen("any", ((self.question, "=", self.is_),))
