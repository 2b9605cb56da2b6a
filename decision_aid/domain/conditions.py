"""The condition language: structured YAML conditions, validated by pydantic.

Rule authors write conditions as data, never as code::

    all:
      - {question: diagnosis, is: long_term}
      - not: {question: tried_first, is: "no"}
      - count_of: [{question: a, is: "yes"}, {question: b, is: "yes"}]
        at_least: 1

Every condition evaluates to a :class:`Truth`. A predicate on a question that is
answered "not known", or not answered, is unknown; a predicate on a question that
is not asked (its ``show_when`` is false) is false, so a hidden question's stale
answer never counts. ``not_known`` is the one predicate that looks at unknowns
themselves; the loader only lets it raise an outcome, never lower one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, Union

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from decision_aid.domain.base import FrozenModel, Items
from decision_aid.domain.truth import Truth

__all__ = [
    "PREDICATE_OPERATORS",
    "All",
    "AnswerValue",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Condition",
    "CountOf",
    "EvaluationContext",
    "In",
    "Includes",
    "Is",
    "Items",
    "Not",
    "NotKnown",
    "Predicate",
    "TraceNode",
    "Vocabulary",
    "walk",
]

AnswerValue = str | tuple[str, ...] | float
"""An option id, a tuple of option ids (multiple choice), or a number."""

PREDICATE_OPERATORS = ("is", "in", "includes", "at_least", "at_most")


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


class _Node(FrozenModel):
    """A node of a condition tree."""


def _one_or_many(value: object) -> object:
    """Let authors write a single id where a list is expected."""
    return (value,) if isinstance(value, str) else value


def _quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


class Predicate(_Node):
    """A test on one question's answer; subclasses define the operator."""

    question: str = Field(min_length=1, description="The id of the question tested.")

    def test(self, answer: AnswerValue) -> bool:
        raise NotImplementedError

    def option_ids(self) -> tuple[str, ...]:
        """The option ids this predicate names (checked against the question)."""
        return ()

    def operator(self) -> str:
        raise NotImplementedError

    def words(self, vocabulary: Vocabulary) -> str:
        raise NotImplementedError

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

    def questions(self) -> Iterator[str]:
        yield self.question

    def _labels(self, vocabulary: Vocabulary, options: tuple[str, ...]) -> str:
        labels = [_quoted(vocabulary.option_label(self.question, o)) for o in options]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


class Is(Predicate):
    """``{question: q, is: option}``: a single-choice or yes/no answer is this option."""

    is_: str = Field(alias="is", min_length=1)

    def test(self, answer: AnswerValue) -> bool:
        return answer == self.is_

    def option_ids(self) -> tuple[str, ...]:
        return (self.is_,)

    def operator(self) -> str:
        return "is"

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} is {self._labels(vocabulary, self.option_ids())}"


class In(Predicate):
    """``{question: q, in: [a, b]}``: a single-choice answer is one of these options."""

    in_: Items[str] = Field(alias="in", min_length=1)

    def test(self, answer: AnswerValue) -> bool:
        return answer in self.in_

    def option_ids(self) -> tuple[str, ...]:
        return self.in_

    def operator(self) -> str:
        return "in"

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} is {self._labels(vocabulary, self.in_)}"


class Includes(Predicate):
    """``{question: q, includes: [a, b]}``: a multiple-choice answer has any of these."""

    includes: Items[str] = Field(min_length=1)

    _single = field_validator("includes", mode="before", json_schema_input_type=str | list[str])(
        _one_or_many
    )

    def test(self, answer: AnswerValue) -> bool:
        return isinstance(answer, tuple) and any(o in answer for o in self.includes)

    def option_ids(self) -> tuple[str, ...]:
        return self.includes

    def operator(self) -> str:
        return "includes"

    def words(self, vocabulary: Vocabulary) -> str:
        label = vocabulary.question_label(self.question)
        return f"{label} includes {self._labels(vocabulary, self.includes)}"


def _number(answer: AnswerValue) -> float | None:
    return answer if isinstance(answer, float | int) else None


def _figure(value: float) -> str:
    return f"{value:g}"


class AtLeast(Predicate):
    """``{question: q, at_least: n}``: a number answer is n or more."""

    at_least: float

    def test(self, answer: AnswerValue) -> bool:
        number = _number(answer)
        return number is not None and number >= self.at_least

    def operator(self) -> str:
        return "at_least"

    def words(self, vocabulary: Vocabulary) -> str:
        return f"{vocabulary.question_label(self.question)} is at least {_figure(self.at_least)}"


class AtMost(Predicate):
    """``{question: q, at_most: n}``: a number answer is n or less."""

    at_most: float

    def test(self, answer: AnswerValue) -> bool:
        number = _number(answer)
        return number is not None and number <= self.at_most

    def operator(self) -> str:
        return "at_most"

    def words(self, vocabulary: Vocabulary) -> str:
        return f"{vocabulary.question_label(self.question)} is at most {_figure(self.at_most)}"


class NotKnown(_Node):
    """``{not_known: [q1, q2]}``: any of these asked questions is not known or not answered.

    The trap: this predicate is true exactly when information is missing, so it may only
    make an outcome more restrictive. The loader refuses it under ``not`` and in rules
    whose outcome is more favourable than the rule set's "assess first" level.
    """

    not_known: Items[str] = Field(min_length=1)

    _single = field_validator("not_known", mode="before", json_schema_input_type=str | list[str])(
        _one_or_many
    )

    def _one(self, context: EvaluationContext, question: str) -> Truth:
        visible = context.visibility(question)
        if visible is Truth.FALSE or context.answer(question) is not None:
            return Truth.FALSE
        return visible

    def truth(self, context: EvaluationContext) -> Truth:
        return Truth.any(self._one(context, q) for q in self.not_known)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        children = tuple(
            TraceNode(
                f"{vocabulary.question_label(q)} is not known ({context.answer_text(q)})",
                self._one(context, q),
            )
            for q in self.not_known
        )
        return TraceNode("any of these is not known", self.truth(context), children)

    def questions(self) -> Iterator[str]:
        yield from self.not_known

    def words(self, vocabulary: Vocabulary) -> str:
        labels = ", ".join(vocabulary.question_label(q) for q in self.not_known)
        return f"any of these is not known: {labels}"


class _Combination(_Node):
    """A condition over other conditions: subclasses say how the parts' values fold."""

    @property
    def parts(self) -> tuple[Condition, ...]:
        raise NotImplementedError

    def fold(self, values: Iterable[Truth]) -> Truth:
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def truth(self, context: EvaluationContext) -> Truth:
        return self.fold(c.truth(context) for c in self.parts)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        children = tuple(c.explain(context, vocabulary) for c in self.parts)
        return TraceNode(self.title(), self.fold(c.value for c in children), children)

    def questions(self) -> Iterator[str]:
        for c in self.parts:
            yield from c.questions()


class All(_Combination):
    """``{all: [...]}``: every condition holds."""

    all: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Condition, ...]:
        return self.all

    def fold(self, values: Iterable[Truth]) -> Truth:
        return Truth.all(values)

    def title(self) -> str:
        return "all of"

    def words(self, vocabulary: Vocabulary) -> str:
        return "(" + " and ".join(c.words(vocabulary) for c in self.all) + ")"


class AnyOf(_Combination):
    """``{any: [...]}``: at least one condition holds."""

    any: Items[Condition] = Field(min_length=1)

    @property
    def parts(self) -> tuple[Condition, ...]:
        return self.any

    def fold(self, values: Iterable[Truth]) -> Truth:
        return Truth.any(values)

    def title(self) -> str:
        return "any of"

    def words(self, vocabulary: Vocabulary) -> str:
        return "(" + " or ".join(c.words(vocabulary) for c in self.any) + ")"


class Not(_Node):
    """``{not: condition}``: the condition does not hold (unknown stays unknown)."""

    not_: Condition = Field(alias="not")

    def truth(self, context: EvaluationContext) -> Truth:
        return ~self.not_.truth(context)

    def explain(self, context: EvaluationContext, vocabulary: Vocabulary) -> TraceNode:
        child = self.not_.explain(context, vocabulary)
        return TraceNode("not", ~child.value, (child,))

    def questions(self) -> Iterator[str]:
        yield from self.not_.questions()

    def words(self, vocabulary: Vocabulary) -> str:
        return f"not {self.not_.words(vocabulary)}"


class CountOf(_Combination):
    """``{count_of: [...], at_least: n}`` or ``at_most: n``: how many conditions hold."""

    count_of: Items[Condition] = Field(min_length=1)
    at_least: int | None = Field(default=None, ge=0)
    at_most: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> CountOf:
        if (self.at_least is None) == (self.at_most is None):
            raise ValueError("count_of needs exactly one of at_least or at_most")
        return self

    @property
    def parts(self) -> tuple[Condition, ...]:
        return self.count_of

    def fold(self, values: Iterable[Truth]) -> Truth:
        listed = list(values)
        certain = sum(v is Truth.TRUE for v in listed)
        possible = certain + sum(v is Truth.UNKNOWN for v in listed)
        if self.at_least is not None:
            low, high = certain >= self.at_least, possible >= self.at_least
        else:
            assert self.at_most is not None
            low, high = possible <= self.at_most, certain <= self.at_most
        if low:
            return Truth.TRUE
        return Truth.UNKNOWN if high else Truth.FALSE

    def title(self) -> str:
        if self.at_least is not None:
            return f"at least {self.at_least} of"
        return f"at most {self.at_most} of"

    def words(self, vocabulary: Vocabulary) -> str:
        parts = "; ".join(c.words(vocabulary) for c in self.count_of)
        return f"{self.title()}: ({parts})"


def _condition_tag(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, tag in (
        ("all", "All"),
        ("any", "AnyOf"),
        ("not", "Not"),
        ("count_of", "CountOf"),
        ("not_known", "NotKnown"),
    ):
        if key in value:
            return tag
    if "question" in value:
        for key, tag in zip(
            PREDICATE_OPERATORS, ("Is", "In", "Includes", "AtLeast", "AtMost"), strict=True
        ):
            if key in value:
                return tag
    return None


CONDITION_HELP = (
    "a condition is one of: all, any, not, count_of, not_known, or a question with "
    "one of is, in, includes, at_least, at_most"
)

Condition = Annotated[
    Union[  # noqa: UP007 - a discriminated union needs the Union spelling
        Annotated[All, Tag("All")],
        Annotated[AnyOf, Tag("AnyOf")],
        Annotated[Not, Tag("Not")],
        Annotated[CountOf, Tag("CountOf")],
        Annotated[NotKnown, Tag("NotKnown")],
        Annotated[Is, Tag("Is")],
        Annotated[In, Tag("In")],
        Annotated[Includes, Tag("Includes")],
        Annotated[AtLeast, Tag("AtLeast")],
        Annotated[AtMost, Tag("AtMost")],
    ],
    Discriminator(
        _condition_tag,
        custom_error_type="condition_shape",
        custom_error_message=CONDITION_HELP,
    ),
]

for _model in (All, AnyOf, Not, CountOf):
    _model.model_rebuild()


ConditionNode = All | AnyOf | Not | CountOf | NotKnown | Predicate


def walk(
    condition: ConditionNode,
    visit: Callable[[ConditionNode, tuple[str | int, ...], bool], None],
    path: tuple[str | int, ...] = (),
    negated: bool = False,
) -> None:
    """Call ``visit(node, path, negated)`` on every node; paths are YAML key paths."""
    visit(condition, path, negated)
    if isinstance(condition, Not):
        walk(condition.not_, visit, (*path, "not"), not negated)
        return
    if not isinstance(condition, _Combination):
        return
    key = (
        "all"
        if isinstance(condition, All)
        else "any"
        if isinstance(condition, AnyOf)
        else "count_of"
    )
    # "at most n of" falls as its parts rise: it negates them, as `not` does.
    negated ^= isinstance(condition, CountOf) and condition.at_most is not None
    children = condition.parts
    for index, child in enumerate(children):
        walk(child, visit, (*path, key, index), negated)
