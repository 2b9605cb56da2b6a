"""Conditions compiled to Python code once per rule set, for the engine's hot path.

The node methods in :mod:`~decision_aid.domain.conditions` (``truth``, ``explain``) are
the reference semantics and stay the only source of traces; each node type also writes
its own compiled form (``code``), which this module only assembles. Walking the pydantic tree
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

from decision_aid.domain.conditions import Node
from decision_aid.domain.questionnaire import Answers, Questionnaire

__all__ = ["Values", "compile_conditions"]

Values = Callable[[Answers], tuple[int, ...]]
"""Each condition's truth for the answers: 0 false, 1 unknown, 2 true."""


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

    def expression(self, node: Node) -> str:
        return node.code(self)


CHUNK = 256
"""Conditions per generated function: CPython compiles one huge function in time that
grows faster than its size (10,000 rules in one took seconds)."""


def _compile_chunk(questionnaire: Questionnaire, conditions: Sequence[Node]) -> Values:
    writer = _Writer(questionnaire)
    results = [writer.expression(c) for c in conditions]
    body = [*writer.lines, f"return ({''.join(r + ', ' for r in results)})"]
    names = [f"k{i}" for i in range(len(writer.constants))]
    source = "\n".join(
        [
            f"def make({', '.join(names)}):",
            "    def values(answers):",
            # Answers.get in Python would double the cost of reading the answers.
            "        get = answers._known.get",
            *(f"        {line}" for line in body),
            "    return values",
        ]
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<compiled conditions>", "exec"), namespace)
    values: Values = namespace["make"](*writer.constants)
    return values


def compile_conditions(questionnaire: Questionnaire, conditions: Sequence[Node]) -> Values:
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
