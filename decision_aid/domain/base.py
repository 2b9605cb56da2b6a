"""What every rule-set model shares: frozen, strict, and no unknown keys.

Strict types mean a YAML ``no`` never slips in as ``False`` and a number never as
text; sequences are the one lenient spot, so a YAML or JSON list becomes a tuple.
What a model derives from its fields is a ``cached_property``; a copy works it out
again from its own fields (pydantic's ``model_copy`` would carry the original's over).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from functools import cache, cached_property
from typing import Annotated, Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Strict

__all__ = ["FrozenModel", "Items"]

T = TypeVar("T")

Items = Annotated[tuple[T, ...], Strict(False)]
"""A sequence field: a list becomes a tuple; its items stay strict."""


@cache
def _derived(model: type[BaseModel]) -> tuple[str, ...]:
    """The names of a model class's cached properties."""
    return tuple(
        {
            name
            for klass in model.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, cached_property)
        }
    )


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose derived state (its cached properties) is its own, worked out again
        on first use from the copy's fields."""
        copied = super().model_copy(update=update, deep=deep)
        for name in _derived(type(self)):
            with suppress(AttributeError):  # never worked out on the original
                delattr(copied, name)
        return copied
