"""``{any: [...]}``: at least one condition holds (Kleene ``or``)."""

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

__all__ = ["AnyOf"]

T = TypeVar("T")


class AnyOf(Combination):
    """``{any: [...]}``: at least one condition holds."""

    key: ClassVar[str] = "any"

    any: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Node, ...]:
        return self.any

    def fold(self, values: Iterable[Truth]) -> Truth:
        return Truth.any(values)

    def title(self) -> str:
        return "any of"

    def words(self, vocabulary: Vocabulary) -> str:
        return "(" + " or ".join(c.words(vocabulary) for c in self.any) + ")"

    def code(self, writer: CodeWriter) -> str:
        parts = [writer.expression(c) for c in self.any]
        return parts[0] if len(parts) == 1 else f"max({', '.join(parts)})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        pairs = [c.encode(symbols) for c in self.any]
        return symbols.some([t for t, _ in pairs]), symbols.every([f for _, f in pairs])

    def children(self) -> tuple[Child, ...]:
        return tuple(Child(("any", i), c) for i, c in enumerate(self.any))

    def mutations(self) -> Iterator[Mutation]:
        yield from self.drop_part()
        if len(self.any) >= 2:
            from decision_aid.domain.conditions.all_ import All

            yield Mutation("swap-all-any", "'any' turned into 'all'", All(all=self.any))

    def enable_when(self) -> EnableWhen | None:
        """Any of the parts' tests, when each part is one test or "any" of some."""
        tests: list[tuple[str, str, str]] = []
        for part in self.any:
            form = part.enable_when()
            if form is None or (form.behavior != "any" and len(form.tests) > 1):
                return None
            tests += form.tests
        return EnableWhen("any", tuple(tests))
