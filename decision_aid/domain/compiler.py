"""Conditions compiled to Python code once per rule set, for the engine's hot path.

The node methods in :mod:`~decision_aid.domain.conditions` (``truth``, ``explain``) are
the reference semantics and stay the only source of traces. Walking the pydantic tree
costs a method call, a generator and an enum per node, though, and the window evaluates
on every answer change and the missing-information analysis a hundred times more. So
the engine compiles the conditions of a rule set into one function of the answers with
the same strong Kleene logic, on small integers (false 0, unknown 1, true 2, the
``Truth`` values): ``and`` is ``min``, ``or`` is ``max``, ``not`` is ``2 - x``.

The generated source holds only names and numbers made here; every option id, number
and question id the rule authors wrote reaches the code as a closure constant, never as
text. A differential test (``tests/domain/test_compiler.py``) holds the two to agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from decision_aid.domain.conditions import (
    All,
    AnyOf,
    AtLeast,
    AtMost,
    ConditionNode,
    CountOf,
    In,
    Includes,
    Is,
    Not,
    NotKnown,
    Predicate,
)
from decision_aid.domain.questionnaire import Answers, Questionnaire

__all__ = ["Values", "compile_conditions"]

Values = Callable[[Answers], tuple[int, ...]]
"""Each condition's truth for the answers: 0 false, 1 unknown, 2 true."""


def _count_of(at_least: int | None, at_most: int | None, values: tuple[int, ...]) -> int:
    """``CountOf.fold`` on integers."""
    certain = values.count(2)
    possible = certain + values.count(1)
    if at_least is not None:
        low, high = certain >= at_least, possible >= at_least
    else:
        assert at_most is not None
        low, high = possible <= at_most, certain <= at_most
    return 2 if low else (1 if high else 0)


class _Writer:
    """Turns condition trees into Python expressions over the answers."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self._questionnaire = questionnaire
        self.constants: list[object] = []
        self.lines: list[str] = []  # answers read and visibilities, before the result
        self._answer: dict[str, str] = {}
        self._visible: dict[str, str | None] = {}  # None: always asked

    def constant(self, value: object) -> str:
        self.constants.append(value)
        return f"k{len(self.constants) - 1}"

    def answer(self, question_id: str) -> str:
        name = self._answer.get(question_id)
        if name is None:
            name = self._answer[question_id] = f"a{len(self._answer)}"
            self.lines.append(f"{name} = get({self.constant(question_id)})")
        return name

    def visible(self, question_id: str) -> str | None:
        """The variable holding the question's visibility, or None when always asked."""
        if question_id not in self._visible:
            question = self._questionnaire.by_id.get(question_id)
            if question is None or question.show_when is None:
                self._visible[question_id] = None
            else:
                # Written before the visibility itself, so a show_when reads earlier lines.
                expression = self.expression(question.show_when)
                name = self._visible[question_id] = f"v{len(self._visible)}"
                self.lines.append(f"{name} = {expression}")
        return self._visible[question_id]

    def expression(self, node: ConditionNode) -> str:
        if isinstance(node, Predicate):
            return self._predicate(node)
        if isinstance(node, NotKnown):
            return self._fold("max", [self._not_known(q) for q in node.not_known])
        if isinstance(node, All):
            return self._fold("min", [self.expression(c) for c in node.all])
        if isinstance(node, AnyOf):
            return self._fold("max", [self.expression(c) for c in node.any])
        if isinstance(node, Not):
            return f"(2 - {self.expression(node.not_)})"
        if isinstance(node, CountOf):
            parts = ", ".join(self.expression(c) for c in node.count_of)
            bounds = f"{self.constant(node.at_least)}, {self.constant(node.at_most)}"
            return f"count_of({bounds}, ({parts},))"
        raise TypeError(f"no compiled form for {type(node).__name__}")

    @staticmethod
    def _fold(function: str, parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else f"{function}({', '.join(parts)})"

    def _test(self, node: Predicate, answer: str) -> str:
        """The predicate's ``test`` on a known answer, as a Python condition."""
        if isinstance(node, Is):
            return f"{answer} == {self.constant(node.is_)}"
        if isinstance(node, In):
            return f"{answer} in {self.constant(node.in_)}"
        if isinstance(node, Includes):
            options = self.constant(frozenset(node.includes))
            return f"(isinstance({answer}, tuple) and not {options}.isdisjoint({answer}))"
        if isinstance(node, AtLeast | AtMost):
            bound = self.constant(node.at_least if isinstance(node, AtLeast) else node.at_most)
            compare = ">=" if isinstance(node, AtLeast) else "<="
            return f"(isinstance({answer}, (float, int)) and {answer} {compare} {bound})"
        raise TypeError(f"no compiled form for {type(node).__name__}")

    def _predicate(self, node: Predicate) -> str:
        # Predicate.truth: false when not asked; unknown when not answered, or when the
        # answer matches but whether the question is asked is itself unknown.
        visible = self.visible(node.question)
        answer = self.answer(node.question)
        test = self._test(node, answer)
        known = f"(1 if {answer} is None else 2 if {test} else 0)"
        if visible is None:
            return known
        maybe = f"(1 if {answer} is None or {test} else 0)"
        return f"(0 if {visible} == 0 else {known} if {visible} == 2 else {maybe})"

    def _not_known(self, question_id: str) -> str:
        # NotKnown._one: false when answered or not asked, else the visibility.
        visible = self.visible(question_id)
        return f"(0 if {self.answer(question_id)} is not None else {visible or 2})"


CHUNK = 256
"""Conditions per generated function: CPython compiles one huge function in time that
grows faster than its size (10,000 rules in one took seconds)."""


def _compile_chunk(questionnaire: Questionnaire, conditions: Sequence[ConditionNode]) -> Values:
    writer = _Writer(questionnaire)
    results = [writer.expression(c) for c in conditions]
    body = [*writer.lines, f"return ({''.join(r + ', ' for r in results)})"]
    names = [f"k{i}" for i in range(len(writer.constants))]
    source = "\n".join(
        [
            f"def make(count_of, {', '.join(names)}):" if names else "def make(count_of):",
            "    def values(answers):",
            # Answers.get in Python would double the cost of reading the answers.
            "        get = answers._known.get",
            *(f"        {line}" for line in body),
            "    return values",
        ]
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<compiled conditions>", "exec"), namespace)
    values: Values = namespace["make"](_count_of, *writer.constants)
    return values


def compile_conditions(questionnaire: Questionnaire, conditions: Sequence[ConditionNode]) -> Values:
    """One function giving every condition's truth, as ``condition.truth`` would."""
    chunks = [
        _compile_chunk(questionnaire, conditions[start : start + CHUNK])
        for start in range(0, len(conditions), CHUNK)
    ]
    if len(chunks) == 1:
        return chunks[0]

    def values(answers: Answers) -> tuple[int, ...]:
        return tuple(chain.from_iterable(chunk(answers) for chunk in chunks))

    return values
