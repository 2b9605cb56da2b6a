"""Three-valued (Kleene) truth: true, false and unknown.

Unknown is a value of its own, never ``None`` and never read as false: ``unknown and
false`` is false, ``unknown or true`` is true, and everything else involving unknown
stays unknown. This is the strong Kleene logic the CQL test suite pins down.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

__all__ = ["TRUTH_OF", "Truth"]


class Truth(Enum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    @classmethod
    def of(cls, value: bool) -> Truth:
        return cls.TRUE if value else cls.FALSE

    # Identity tests, not ``.value`` arithmetic: these run for every node on every answer.
    def __invert__(self) -> Truth:
        if self is Truth.TRUE:
            return Truth.FALSE
        return Truth.TRUE if self is Truth.FALSE else self

    def __and__(self, other: Truth) -> Truth:
        if self is Truth.FALSE or other is Truth.TRUE:
            return self
        return other

    def __or__(self, other: Truth) -> Truth:
        if self is Truth.TRUE or other is Truth.FALSE:
            return self
        return other

    @classmethod
    def _fold(cls, values: Iterable[Truth], absorbing: Truth) -> Truth:
        """``and`` (absorbing false) or ``or`` (absorbing true) over many, stopping early."""
        result = ~absorbing
        for value in values:
            if value is absorbing:
                return value
            if value is cls.UNKNOWN:
                result = value
        return result

    @classmethod
    def all(cls, values: Iterable[Truth]) -> Truth:
        return cls._fold(values, cls.FALSE)

    @classmethod
    def any(cls, values: Iterable[Truth]) -> Truth:
        return cls._fold(values, cls.TRUE)

    def __str__(self) -> str:
        return self.name.lower()


TRUTH_OF = tuple(Truth)
"""The truth a compiled value (0 false, 1 unknown, 2 true) stands for, by that value."""
