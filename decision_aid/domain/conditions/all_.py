"""``{all: [...]}``: every condition holds (Kleene ``and``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, TypeVar

from pydantic import Field

from decision_aid.domain.base import Items
from decision_aid.domain.conditions.node import (
    Child,
    CodeWriter,
    Combination,
    EnableWhen,
    Mutation,
    Node,
    Symbols,
    Vocabulary,
)
from decision_aid.domain.truth import Truth

if TYPE_CHECKING:
    from decision_aid.domain.conditions import Condition

__all__ = ["All"]

T = TypeVar("T")


class All(Combination):
    """``{all: [...]}``: every condition holds."""

    key: ClassVar[str] = "all"

    all: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Node, ...]:
        return self.all

    def fold(self, values: Iterable[Truth]) -> Truth:
        return Truth.all(values)

    def title(self) -> str:
        return "all of"

    def words(self, vocabulary: Vocabulary) -> str:
        return "(" + " and ".join(c.words(vocabulary) for c in self.all) + ")"

    def code(self, writer: CodeWriter) -> str:
        parts = [writer.expression(c) for c in self.all]
        return parts[0] if len(parts) == 1 else f"min({', '.join(parts)})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        pairs = [c.encode(symbols) for c in self.all]
        return symbols.every([t for t, _ in pairs]), symbols.some([f for _, f in pairs])

    def children(self) -> tuple[Child, ...]:
        return tuple(Child(("all", i), c) for i, c in enumerate(self.all))

    def mutations(self) -> Iterator[Mutation]:
        yield from self.drop_part()
        if len(self.all) >= 2:
            from decision_aid.domain.conditions.any_ import AnyOf

            yield Mutation("swap-all-any", "'all' turned into 'any'", AnyOf(any=self.all))

    def enable_when(self) -> EnableWhen | None:
        return None  # the export names single tests and "any" of them; this is left to the text
