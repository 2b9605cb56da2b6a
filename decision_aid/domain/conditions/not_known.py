"""``{not_known: [q1, q2]}``: any of these asked questions is not known or not answered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from pydantic import Field, field_validator

from decision_aid.domain.base import Items
from decision_aid.domain.conditions.node import (
    ALL_TYPES,
    Bound,
    Child,
    CodeWriter,
    EnableWhen,
    EvaluationContext,
    Mutation,
    Node,
    Symbols,
    TraceNode,
    Vocabulary,
    YamlPath,
    drop_option,
    one_or_many,
)
from decision_aid.domain.question_types import QuestionType
from decision_aid.domain.truth import Truth

__all__ = ["NotKnown"]

T = TypeVar("T")


class NotKnown(Node):
    """``{not_known: [q1, q2]}``: any of these asked questions is not known or not answered.

    The trap: this predicate is true exactly when information is missing, so it may only
    make an outcome more restrictive. The loader refuses it under ``not`` and in rules
    whose outcome is more favourable than the rule set's "assess first" level.
    """

    key: ClassVar[str] = "not_known"
    fits: ClassVar[frozenset[QuestionType]] = ALL_TYPES
    true_when_missing: ClassVar[bool] = True

    not_known: Items[str] = Field(min_length=1)

    _single = field_validator("not_known", mode="before", json_schema_input_type=str | list[str])(
        one_or_many
    )

    def _one(self, context: EvaluationContext, question: str) -> Truth:
        visible = context.visibility(question)
        if visible is Truth.FALSE or context.answer(question) is not None:
            return Truth.FALSE
        return visible

    def truth(self, context: EvaluationContext) -> Truth:
        return Truth.any(self._one(context, q) for q in self.not_known)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        children = tuple(
            TraceNode(
                f"{vocabulary.question_label(q)} is not known ({context.answer_text(q)})",
                self._one(context, q),
            )
            for q in self.not_known
        )
        return TraceNode("any of these is not known", self.truth(context), children)

    def words(self, vocabulary: Vocabulary) -> str:
        labels = ", ".join(vocabulary.question_label(q) for q in self.not_known)
        return f"any of these is not known: {labels}"

    def code(self, writer: CodeWriter) -> str:
        # False when answered or not asked, else the visibility.
        parts = [
            f"(0 if {writer.answer(q)} is not None else {writer.visible(q) or 2})"
            for q in self.not_known
        ]
        return parts[0] if len(parts) == 1 else f"max({', '.join(parts)})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        ts, fs = [], []
        for q in self.not_known:
            visible, hidden = symbols.visibility(q)
            known = symbols.known(q)
            ts.append(symbols.every([visible, symbols.negation(known)]))
            fs.append(symbols.some([hidden, known]))
        return symbols.some(ts), symbols.every(fs)

    def children(self) -> tuple[Child, ...]:
        return ()

    def references(self) -> tuple[tuple[YamlPath, str], ...]:
        return tuple((("not_known", i), q) for i, q in enumerate(self.not_known))

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ()

    def mutations(self) -> Iterator[Mutation]:
        return drop_option(self, "not_known", self.not_known)

    def enable_when(self) -> EnableWhen | None:
        return None  # never in a show_when: check refuses it there
