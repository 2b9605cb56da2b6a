"""What every node of the condition language owns, and what it is given to do it.

A node type is one class that implements every facet below; nothing outside the node
asks which type a node is. The facets, and who calls them:

* ``truth`` / ``explain``: Kleene evaluation, and the same in words for traces (the
  engine's reference semantics);
* ``words``: the condition in words, for the rule-set documentation;
* ``code``: a Python expression for the compiled engine (:mod:`~decision_aid.domain.
  compiler` gives it a :class:`CodeWriter`);
* ``encode``: the condition as a pair of solver terms (certainly true, certainly false);
  ``decision-aid verify`` gives it :class:`Symbols` over z3, so the domain never imports
  the solver;
* ``fits``, ``references``, ``option_references``: what the rule-set checks match
  against the questionnaire (question types, question and option ids, with YAML paths);
  ``true_when_missing``: whether the checks must keep the node from lowering an outcome;
* ``bounds``: the numbers at which the node's value can change, so the
  missing-information analysis and verify try each bound and the value beside it (every
  option of a choice question is tried anyway);
* ``mutations``: the small changes a tired author makes, for mutation testing;
* ``enable_when``: its FHIR ``enableWhen`` form, or ``None`` where FHIR cannot say it.

``tests/domain/test_condition_registry.py`` checks that every member of the condition
union implements every facet.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, Protocol, TypeVar

from pydantic import Field

from decision_aid.domain.base import FrozenModel
from decision_aid.domain.question_types import AnswerValue, QuestionType
from decision_aid.domain.truth import Truth

__all__ = [
    "ALL_TYPES",
    "Bound",
    "Child",
    "ChoicePredicate",
    "CodeWriter",
    "Combination",
    "EnableWhen",
    "EvaluationContext",
    "Junction",
    "Mutation",
    "Node",
    "NumberPredicate",
    "Predicate",
    "Symbols",
    "TraceNode",
    "Vocabulary",
    "YamlPath",
]

T = TypeVar("T")
YamlPath = tuple[str | int, ...]
Bound = tuple[bool, float]
"""A bound a condition tests on a number question: (is ``at_least``, the number)."""
ALL_TYPES = frozenset(QuestionType)


class EvaluationContext(Protocol):
    """What a condition needs to know about the answers."""

    def visibility(self, question_id: str) -> Truth:
        """Whether the question is asked: its ``show_when`` in three-valued logic."""

    def answer(self, question_id: str) -> AnswerValue | None:
        """The known answer, or ``None`` when it is not known or not answered."""

    def answer_text(self, question_id: str) -> str:
        """The answer in words, for traces ("not known", "not answered", a label)."""


class Vocabulary(Protocol):
    """Labels for describing conditions in words."""

    def question_label(self, question_id: str) -> str: ...

    def option_label(self, question_id: str, option_id: str) -> str: ...


class CodeWriter(Protocol):
    """What a node writes its compiled form with: the values 0 false, 1 unknown, 2 true."""

    def constant(self, value: object) -> str:
        """A name in the generated code bound to ``value`` (author text never becomes code)."""

    def answer(self, question_id: str) -> str:
        """A name holding the question's known answer, or None."""

    def visible(self, question_id: str) -> str | None:
        """A name holding the question's visibility (0, 1, 2), or None when always asked."""

    def expression(self, node: Node) -> str:
        """Another node's compiled form."""


class Symbols(Protocol[T]):
    """Solver terms over every possible answer set, as a node builds its encoding."""

    def every(self, terms: Sequence[T]) -> T: ...

    def some(self, terms: Sequence[T]) -> T: ...

    def negation(self, term: T) -> T: ...

    def at_least_count(self, terms: Sequence[T], count: int) -> T:
        """At least ``count`` of the terms hold."""

    def visibility(self, question_id: str) -> tuple[T, T]:
        """Whether the question is asked, as a (certainly true, certainly false) pair."""

    def known(self, question_id: str) -> T:
        """The question has a known answer."""

    def is_option(self, question_id: str, option_id: str) -> T:
        """The single-choice (or yes/no) answer is this option."""

    def picked(self, question_id: str, option_id: str) -> T:
        """The multiple-choice answer includes this option."""

    def at_least(self, question_id: str, number: float) -> T:
        """The number answer is ``number`` or more."""

    def at_most(self, question_id: str, number: float) -> T:
        """The number answer is ``number`` or less."""


@dataclass(frozen=True)
class TraceNode:
    """One node of a condition's evaluation: what was asked, the value, and why."""

    text: str
    value: Truth
    children: tuple[TraceNode, ...] = ()

    def lines(self, indent: int = 0) -> Iterator[str]:
        yield f"{'  ' * indent}{self.text}: {self.value}"
        for child in self.children:
            yield from child.lines(indent + 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": str(self.value),
            "children": [child.as_dict() for child in self.children],
        }


class Child(NamedTuple):
    """A node's part: the YAML keys to it, the part, and whether the node negates it."""

    path: YamlPath
    node: Node
    negates: bool = False


class Mutation(NamedTuple):
    """One small change to a node: its kind ("drop-part"), what changed, the new node, and
    the YAML keys from the node to what changed (the part or option dropped)."""

    operator: str
    description: str
    replacement: Node
    path: YamlPath = ()


@dataclass(frozen=True)
class EnableWhen:
    """A ``show_when`` as FHIR ``enableWhen`` tests: (question, operator, option id), and
    whether ``all`` or ``any`` of them must hold."""

    behavior: str
    tests: tuple[tuple[str, str, str], ...]


class Node(FrozenModel):
    """A node of a condition tree; each node type implements every facet."""

    key: ClassVar[str]
    """The YAML key that names this node type (``all``, ``is``, …)."""
    fits: ClassVar[frozenset[QuestionType]]
    """The question types the questions it names may have."""
    true_when_missing: ClassVar[bool]
    """Whether the node is true *because* an answer is missing: the checks let such a node
    only make an outcome more restrictive, and keep it out of every ``show_when``."""

    @abstractmethod
    def truth(self, context: EvaluationContext) -> Truth: ...

    @abstractmethod
    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode: ...

    @abstractmethod
    def words(self, vocabulary: Vocabulary) -> str: ...

    @abstractmethod
    def code(self, writer: CodeWriter) -> str: ...

    @abstractmethod
    def encode(self, symbols: Symbols[T]) -> tuple[T, T]: ...

    @abstractmethod
    def children(self) -> tuple[Child, ...]: ...

    @abstractmethod
    def references(self) -> tuple[tuple[YamlPath, str], ...]:
        """The question ids this node names itself, each with its YAML path."""

    @abstractmethod
    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        """The option ids this node names itself, each with its YAML path."""

    @abstractmethod
    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        """The number bounds this node tests itself, by question."""

    @abstractmethod
    def mutations(self) -> Iterator[Mutation]:
        """Each small change to this node itself."""

    @abstractmethod
    def enable_when(self) -> EnableWhen | None: ...

    def questions(self) -> Iterator[str]:
        """Every question the condition reads, its parts' included."""
        for _, question_id in self.references():
            yield question_id
        for child in self.children():
            yield from child.node.questions()


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


def one_or_many(value: object) -> object:
    """Let authors write a single id where a list is expected."""
    return (value,) if isinstance(value, str) else value


N = TypeVar("N", bound=Node)


def without_item(node: N, key: str, index: int) -> N:
    """The node with item ``index`` of its list under the YAML key ``key`` left out."""
    for name, info in type(node).model_fields.items():
        if (info.alias or name) == key:
            listed = getattr(node, name)
            return node.model_copy(update={name: listed[:index] + listed[index + 1 :]})
    raise KeyError(key)


def shift_bound(node: N, key: str, bound: float) -> Iterator[Mutation]:
    """``node`` with its number ``key`` (``bound`` now) one lower and one higher."""
    for step in (-1, 1):
        yield Mutation(
            "shift-bound",
            f"'{key}' moved by {step:+d}",
            node.model_copy(update={key: bound + step}),
        )


def drop_option(node: N, key: str, options: Sequence[str]) -> Iterator[Mutation]:
    """``drop-option``: each option of a list of two or more left out."""
    if len(options) < 2:
        return
    for index, option in enumerate(options):
        yield Mutation(
            "drop-option",
            f"'{option}' dropped from '{key}'",
            without_item(node, key, index),
            (key, index),
        )


class Predicate(Node):
    """A test on one question's answer: false when the question is not asked, unknown when
    it has no known answer (or the answer matches but whether it is asked is unknown)."""

    true_when_missing: ClassVar[bool] = False

    question: str = Field(min_length=1, description="The id of the question tested.")

    @abstractmethod
    def test(self, answer: AnswerValue) -> bool:
        """Whether a known answer passes."""

    @abstractmethod
    def code_test(self, writer: CodeWriter, answer: str) -> str:
        """``test`` on the known answer held in ``answer``, as a Python condition."""

    @abstractmethod
    def encode_test(self, symbols: Symbols[T]) -> T:
        """``test`` on the question's known answer, as a solver term."""

    def truth(self, context: EvaluationContext) -> Truth:
        visible = context.visibility(self.question)
        if visible is Truth.FALSE:
            return Truth.FALSE
        answer = context.answer(self.question)
        value = Truth.UNKNOWN if answer is None else Truth.of(self.test(answer))
        if visible is Truth.TRUE or value is Truth.FALSE:
            return value
        return Truth.UNKNOWN

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        if context.visibility(self.question) is Truth.FALSE:
            why = "not asked"
        else:
            why = context.answer_text(self.question)
        return TraceNode(f"{self.words(vocabulary)} ({why})", self.truth(context))

    def code(self, writer: CodeWriter) -> str:
        visible = writer.visible(self.question)
        answer = writer.answer(self.question)
        test = self.code_test(writer, answer)
        known = f"(1 if {answer} is None else 2 if {test} else 0)"
        if visible is None:
            return known
        maybe = f"(1 if {answer} is None or {test} else 0)"
        return f"(0 if {visible} == 0 else {known} if {visible} == 2 else {maybe})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        known, test = symbols.known(self.question), self.encode_test(symbols)
        visible, hidden = symbols.visibility(self.question)
        return (
            symbols.every([visible, known, test]),
            symbols.some([hidden, symbols.every([known, symbols.negation(test)])]),
        )

    def children(self) -> tuple[Child, ...]:
        return ()

    def references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ((("question",), self.question),)

    def labels(self, vocabulary: Vocabulary, options: Sequence[str], joined: str = "or") -> str:
        labels = [quoted(vocabulary.option_label(self.question, o)) for o in options]
        return (
            labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" {joined} " + labels[-1]
        )


class ChoicePredicate(Predicate):
    """A predicate on option ids: no number bounds of its own."""

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ()


class NumberPredicate(Predicate):
    """A predicate on a number answer: it names no options and has no FHIR form (FHIR's
    comparisons are false on an unanswered question, where ours are unknown)."""

    fits: ClassVar[frozenset[QuestionType]] = frozenset({QuestionType.NUMBER})

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def enable_when(self) -> EnableWhen | None:
        return None


def figure(value: float) -> str:
    return f"{value:g}"


def number(answer: AnswerValue) -> float | None:
    return answer if isinstance(answer, float | int) else None


class Combination(Node):
    """A condition over other conditions that names no question itself; subclasses say how
    the parts' values fold."""

    fits: ClassVar[frozenset[QuestionType]] = ALL_TYPES
    true_when_missing: ClassVar[bool] = False

    @property
    @abstractmethod
    def parts(self) -> tuple[Node, ...]: ...

    @abstractmethod
    def fold(self, values: Iterable[Truth]) -> Truth: ...

    @abstractmethod
    def title(self) -> str:
        """The node in words as a trace heading ("all of")."""

    def truth(self, context: EvaluationContext) -> Truth:
        return self.fold(c.truth(context) for c in self.parts)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        children = tuple(c.explain(context, vocabulary) for c in self.parts)
        return TraceNode(self.title(), self.fold(c.value for c in children), children)

    def references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def option_references(self) -> tuple[tuple[YamlPath, str], ...]:
        return ()

    def bounds(self) -> tuple[tuple[str, Bound], ...]:
        return ()

    def drop_part(self) -> Iterator[Mutation]:
        """``drop-part``: each part of two or more left out."""
        if len(self.parts) < 2:
            return
        for index in range(len(self.parts)):
            yield Mutation(
                "drop-part",
                f"part {index + 1} of '{self.key}' dropped",
                without_item(self, self.key, index),
                (self.key, index),
            )


class Junction(Combination):
    """``all`` or ``any``: the parts joined by Kleene ``and`` or ``or``. The two are duals,
    so one class writes both; each says which it is with :attr:`conjunction`."""

    conjunction: ClassVar[bool]
    """True for ``all`` (and), false for ``any`` (or)."""

    def fold(self, values: Iterable[Truth]) -> Truth:
        return Truth.all(values) if self.conjunction else Truth.any(values)

    def title(self) -> str:
        return f"{self.key} of"

    def words(self, vocabulary: Vocabulary) -> str:
        joiner = " and " if self.conjunction else " or "
        return "(" + joiner.join(c.words(vocabulary) for c in self.parts) + ")"

    def code(self, writer: CodeWriter) -> str:
        parts = [writer.expression(c) for c in self.parts]
        fold = "min" if self.conjunction else "max"  # Truth orders FALSE < UNKNOWN < TRUE
        return parts[0] if len(parts) == 1 else f"{fold}({', '.join(parts)})"

    def encode(self, symbols: Symbols[T]) -> tuple[T, T]:
        pairs = [c.encode(symbols) for c in self.parts]
        trues, falses = [t for t, _ in pairs], [f for _, f in pairs]
        if self.conjunction:
            return symbols.every(trues), symbols.some(falses)
        return symbols.some(trues), symbols.every(falses)

    def children(self) -> tuple[Child, ...]:
        return tuple(Child((self.key, i), c) for i, c in enumerate(self.parts))
