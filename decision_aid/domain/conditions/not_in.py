"""``{question: q, not_in: [a, b]}``: a single-choice answer is none of these options.

Not the same as ``not: {question: q, in: [a, b]}``: this is a predicate, so it is false
when the question is not asked, where ``not`` of ``in`` would be true. Authors write it
for "any other answer than these", about a question that is asked.
"""

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

__all__ = ["NotIn"]

T = TypeVar("T")


class NotIn(ChoicePredicate):
    """``{question: q, not_in: [a, b]}``: a single-choice answer is none of these options."""

    key: ClassVar[str] = "not_in"
    fits: ClassVar[frozenset[QuestionType]] = frozenset({QuestionType.SINGLE, QuestionType.YES_NO})

    not_in: Items[str] = Field(min_length=1)

    def test(self, answer: AnswerValue) -> bool:
        return answer not in self.not_in

    def code_test(self, writer: CodeWriter, answer: str) -> str:
        return f"{answer} not in {writer.constant(self.not_in)}"

    def encode_test(self, symbols: Symbols[T]) -> T:
        return symbols.negation(
            symbols.some([symbols.is_option(self.question, o) for o in self.not_in])
        )

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        options = self.labels(vocabulary, self.not_in, joined="and")
        return f"{label} is {'not' if len(self.not_in) == 1 else 'none of'} {options}"

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return tuple((("not_in", i), o) for i, o in enumerate(self.not_in))

    def mutations(self) -> Iterator[Mutation]:
        return drop_option(self, "not_in", self.not_in)

    def enable_when(self) -> EnableWhen | None:
        # FHIR's "!=" holds while the question is unanswered, where ours is unknown: the
        # exported questionnaire may show the question sooner, never hide it.
        return EnableWhen("all", tuple((self.question, "!=", o) for o in self.not_in))
