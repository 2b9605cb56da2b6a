"""``{count_of: [...], at_least: n}`` or ``at_most: n``: how many conditions hold.

True once enough parts are certainly true (at least) or few enough can be (at most),
false once too few can be or too many are, unknown in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar, TypeVar

from pydantic import Field, model_validator

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

__all__ = ["CountOf"]

T = TypeVar("T")


def _fold(at_least: int | None, at_most: int | None, certain: int, possible: int) -> int:
    """The value (0 false, 1 unknown, 2 true) for so many parts certainly and possibly true."""
    if at_least is not None:
        low, high = certain >= at_least, possible >= at_least
    else:
        assert at_most is not None
        low, high = possible <= at_most, certain <= at_most
    return 2 if low else (1 if high else 0)


def _compiled_fold(at_least: int | None, at_most: int | None, values: tuple[int, ...]) -> int:
    certain = values.count(2)
    return _fold(at_least, at_most, certain, certain + values.count(1))


class CountOf(Combination):
    """``{count_of: [...], at_least: n}`` or ``at_most: n``: how many conditions hold."""

    key: ClassVar[str] = "count_of"

    count_of: Items[Condition] = Field(min_length=1)
    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> CountOf:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("count_of needs exactly one of at_least or at_most")
        return self

    @property
    def parts(self) -> tuple[Node, ...]:
        return self.count_of

    def fold(self, values: Iterable[Truth]) -> Truth:
        listed = list(values)
        certain = sum(v is Truth.TRUE for v in listed)
        possible = certain + sum(v is Truth.UNKNOWN for v in listed)
        return Truth(_fold(self.at_least, self.at_most, certain, possible))

    def title(self) -> str:
        if self.at_least is not None:
            return f"at least {self.at_least} of"
        return f"at most {self.at_most} of"

    def words(self, vocabulary: Vocabulary) -> str:
        parts = "; ".join(c.words(vocabulary) for c in self.count_of)
        return f"{self.title()}: ({parts})"

    def code(self, writer: CodeWriter) -> str:
        parts = ", ".join(writer.expression(c) for c in self.count_of)
        bounds = f"{writer.constant(self.at_least)}, {writer.constant(self.at_most)}"
        return f"{writer.constant(_compiled_fold)}({bounds}, ({parts},))"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        pairs = [c.encode(symbols) for c in self.count_of]
        certain = [t for t, _ in pairs]
        possible = [symbols.negation(f) for _, f in pairs]
        if self.at_least is not None:
            n = self.at_least
            return symbols.at_least_count(certain, n), symbols.negation(
                symbols.at_least_count(possible, n)
            )
        assert self.at_most is not None
        n = self.at_most + 1
        return symbols.negation(symbols.at_least_count(possible, n)), symbols.at_least_count(
            certain, n
        )

    def children(self) -> tuple[Child, ...]:
        # "at most n of" falls as its parts rise: it negates them, as `not` does.
        negates = self.at_most is not None
        return tuple(Child(("count_of", i), c, negates) for i, c in enumerate(self.count_of))

    def mutations(self) -> Iterator[Mutation]:
        return self.drop_part()

    def enable_when(self) -> EnableWhen | None:
        return None  # FHIR cannot count; left to the text
