"""``{all: [...]}``: every condition holds (Kleene ``and``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from decision_aid.domain.base import Items
from decision_aid.domain.conditions.node import EnableWhen, Junction, Mutation, Node

if TYPE_CHECKING:
    from decision_aid.domain.conditions import Condition

__all__ = ["All"]


class All(Junction):
    """``{all: [...]}``: every condition holds."""

    key: ClassVar[str] = "all"
    conjunction: ClassVar[bool] = True

    all: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Node, ...]:
        return self.all

    def mutations(self) -> Iterator[Mutation]:
        yield from self.drop_part()
        if len(self.all) >= 2:
            from decision_aid.domain.conditions.any_ import AnyOf

            yield Mutation("swap-all-any", "'all' turned into 'any'", AnyOf(any=self.all))

    def enable_when(self) -> EnableWhen | None:
        return None  # the export names single tests and "any" of them; this is left to the text
