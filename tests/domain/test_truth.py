"""The Kleene truth table, case for case as the CQL logical-operator suite has it."""

from __future__ import annotations

import pytest

from decision_aid.domain.truth import Truth

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (T, T, T),
        (T, F, F),
        (T, U, U),
        (F, T, F),
        (F, F, F),
        (F, U, F),
        (U, T, U),
        (U, F, F),
        (U, U, U),
    ],
)
def test_and(left: Truth, right: Truth, expected: Truth) -> None:
    assert left & right is expected
    assert Truth.all([left, right]) is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (T, T, T),
        (T, F, T),
        (T, U, T),
        (F, T, T),
        (F, F, F),
        (F, U, U),
        (U, T, T),
        (U, F, U),
        (U, U, U),
    ],
)
def test_or(left: Truth, right: Truth, expected: Truth) -> None:
    assert left | right is expected
    assert Truth.any([left, right]) is expected


@pytest.mark.parametrize(("value", "expected"), [(T, F), (F, T), (U, U)])
def test_not(value: Truth, expected: Truth) -> None:
    assert ~value is expected


def test_empty_all_is_true_and_empty_any_is_false() -> None:
    assert Truth.all([]) is T
    assert Truth.any([]) is F


def test_unknown_never_reads_as_false() -> None:
    assert bool(U.value)
    assert str(U) == "unknown"
