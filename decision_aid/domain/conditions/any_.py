"""``{any: [...]}``: at least one condition holds (Kleene ``or``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from decision_aid.domain.base import Items
from decision_aid.domain.conditions.node import EnableWhen, Junction, Mutation, Node

if TYPE_CHECKING:
    from decision_aid.domain.conditions import Condition

__all__ = ["AnyOf"]


class AnyOf(Junction):
    """``{any: [...]}``: at least one condition holds."""

    key: ClassVar[str] = "any"
    conjunction: ClassVar[bool] = False

    any: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Node, ...]:
        return self.any

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
