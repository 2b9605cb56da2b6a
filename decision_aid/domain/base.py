"""What every rule-set model shares: frozen, strict, and no unknown keys.

Strict types mean a YAML ``no`` never slips in as ``False`` and a number never as
text; sequences are the one lenient spot, so a YAML or JSON list becomes a tuple.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Strict

__all__ = ["FrozenModel", "Items"]

T = TypeVar("T")

Items = Annotated[tuple[T, ...], Strict(False)]
"""A sequence field: a list becomes a tuple; its items stay strict."""


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)
