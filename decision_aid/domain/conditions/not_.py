"""``{not: condition}``: the condition does not hold (unknown stays unknown)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, TypeVar

from pydantic import Field

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
)
from decision_aid.domain.question_types import QuestionType
from decision_aid.domain.truth import Truth

if TYPE_CHECKING:
    from decision_aid.domain.conditions import Condition

__all__ = ["Not"]

T = TypeVar("T")


class Not(Node):
    """``{not: condition}``: the condition does not hold (unknown stays unknown)."""

    key: ClassVar[str] = "not"
    fits: ClassVar[frozenset[QuestionType]] = ALL_TYPES
    true_when_missing: ClassVar[bool] = False

    not_: Condition = Field(alias="not")

    def truth(self, context: EvaluationContext) -> Truth:
        return ~self.not_.truth(context)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        child = self.not_.explain(context, vocabulary)
        return TraceNode("not", ~child.value, (child,))

    def words(self, vocabulary: Vocabulary) -> str:
        return f"not {self.not_.words(vocabulary)}"

    def code(self, writer: CodeWriter) -> str:
        return f"(2 - {writer.expression(self.not_)})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        t, f = self.not_.encode(symbols)
        return f, t

    def children(self) -> tuple[Child, ...]:
        return (Child(("not",), self.not_, negates=True),)

    def references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ()

    def mutations(self) -> Iterator[Mutation]:
        yield Mutation("drop-not", "'not' dropped", self.not_)

    def enable_when(self) -> EnableWhen | None:
        return None  # FHIR has no "not"; left to the text
