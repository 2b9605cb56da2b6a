"""``{question: q, includes: [a, b]}``: a multiple-choice answer has any of these."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from pydantic import Field, field_validator

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
    one_or_many,
)
from decision_aid.domain.question_types import AnswerValue, QuestionType

__all__ = ["Includes"]

T = TypeVar("T")


class Includes(ChoicePredicate):
    """``{question: q, includes: [a, b]}``: a multiple-choice answer has any of these."""

    key: ClassVar[str] = "includes"
    fits: ClassVar[frozenset[QuestionType]] = frozenset({QuestionType.MULTIPLE})

    includes: Items[str] = Field(min_length=1)

    _single = field_validator("includes", mode="before", json_schema_input_type=str | list[str])(
        one_or_many
    )

    def test(self, answer: AnswerValue) -> bool:
        return isinstance(answer, tuple) and any(o in answer for o in self.includes)

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        options = writer.constant(frozenset(self.includes))
        return f"(isinstance({answer}, tuple) and not {options}.isdisjoint({answer}))"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.some([symbols.picked(self.question, o) for o in self.includes])

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} includes {self.labels(vocabulary, self.includes)}"

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return tuple((("includes", i), o) for i, o in enumerate(self.includes))

    def mutations(self) -> Iterator[Mutation]:
        return drop_option(self, "includes", self.includes)

    def enable_when(self) -> EnableWhen | None:
        return None  # the export names single-choice tests only; this is left to the text
