"""``{question: q, in: [a, b]}``: a single-choice answer is one of these options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from pydantic import Field

from decision_aid.domain.base import Items
from decision_aid.domain.conditions.node import (
    ChoicePredicate,
    CodeWriter,
    EnableWhen,
    Mutation,
    Symbols,
    Vocabulary,
    YamlPath,
    drop_option,
)
from decision_aid.domain.question_types import AnswerValue, QuestionType

__all__ = ["In"]

T = TypeVar("T")


class In(ChoicePredicate):
    """``{question: q, in: [a, b]}``: a single-choice answer is one of these options."""

    key: ClassVar[str] = "in"
    fits: ClassVar[frozenset[QuestionType]] = frozenset({QuestionType.SINGLE, QuestionType.YES_NO})

    in_: Items[str] = Field(alias="in", min_length=1)

    def test(self, answer: AnswerValue) -> bool:
        return answer in self.in_

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        return f"{answer} in {writer.constant(self.in_)}"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.some([symbols.is_option(self.question, o) for o in self.in_])

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} is {self.labels(vocabulary, self.in_)}"

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return tuple((("in", i), o) for i, o in enumerate(self.in_))

    def mutations(self) -> Iterator[Mutation]:
        return drop_option(self, "in", self.in_)

    def enable_when(self) -> EnableWhen | None:
        return EnableWhen("any", tuple((self.question, "=", o) for o in self.in_))
