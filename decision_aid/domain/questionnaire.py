"""The questionnaire as data: sections, questions, options and branching.

The questionnaire lives in the rule set's YAML, so clinical authors can change what
is asked without touching code. A question whose ``show_when`` is false is "not
asked": any answer it still holds is kept (the question may come back) but never
counts. Every safety question must offer "Not known", because an honest "we don't
know" is better than a guessed "no".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import Field, Strict

from decision_aid.domain.base import FrozenModel, Items
from decision_aid.domain.conditions import Condition
from decision_aid.domain.errors import AnswersError
from decision_aid.domain.question_types import AnswerValue, QuestionType

__all__ = [
    "NOT_KNOWN",
    "Answers",
    "Option",
    "Question",
    "QuestionType",
    "Questionnaire",
    "Section",
    "parse_answers",
]

NOT_KNOWN = "unknown"
"""The answer that records "Not known"; no option may use this id."""


class Option(FrozenModel):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_]*$")
    label: str = Field(min_length=1, description="The option as the clinician reads it.")
    help: str | None = None
    exclusive: bool = Field(
        default=False, description="Multiple choice only: cannot be picked with other options."
    )


YES_NO_OPTIONS = (Option(id="yes", label="Yes"), Option(id="no", label="No"))


class Question(FrozenModel):
    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, description="A short name, e.g. 'Pregnancy'.")
    text: str = Field(min_length=1, description="The question as the clinician asks it.")
    help: str | None = None
    type: Annotated[QuestionType, Strict(False)]
    options: Items[Option] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    not_known: bool = Field(default=False, description="Offer a 'Not known' answer.")
    safety: bool = Field(default=False, description="A safety question; must offer Not known.")
    show_when: Condition | None = None

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options the clinician can pick (yes/no questions have two fixed ones)."""
        return YES_NO_OPTIONS if self.type is QuestionType.YES_NO else self.options

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.choices if o.id == option_id), None)


class Section(FrozenModel):
    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    intro: str | None = None
    questions: Items[Question] = Field(min_length=1)


class Questionnaire(FrozenModel):
    sections: Items[Section] = Field(min_length=1)

    @cached_property
    def by_id(self) -> Mapping[str, Question]:
        return MappingProxyType({q.id: q for s in self.sections for q in s.questions})

    @cached_property
    def section_of(self) -> Mapping[str, Section]:
        return MappingProxyType({q.id: s for s in self.sections for q in s.questions})

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question_label(self, question_id: str) -> str:
        question = self.by_id.get(question_id)
        return question.label if question else question_id

    def reached(self, question_ids: Iterable[str]) -> frozenset[str]:
        """``question_ids`` and every question whose answer decides, through ``show_when``,
        whether one of them is asked (and so on, transitively)."""
        found: set[str] = set()
        pending = list(question_ids)
        while pending:
            question_id = pending.pop()
            if question_id in found:
                continue
            found.add(question_id)
            question = self.by_id.get(question_id)
            if question is not None and question.show_when is not None:
                pending.extend(question.show_when.questions())
        return frozenset(found)

    def option_label(self, question_id: str, option_id: str) -> str:
        question = self.by_id.get(question_id)
        option = question.option(option_id) if question else None
        return option.label if option else option_id


class Answers(Mapping[str, AnswerValue]):
    """Validated answers: question id → option id, tuple of option ids, or number.

    A question that is absent is unanswered; one in :attr:`not_known` was answered
    "Not known". Both are unknown to the logic; the difference is shown to people.
    """

    __slots__ = ("_known", "not_known")

    def __init__(
        self,
        known: Mapping[str, AnswerValue] | None = None,
        not_known: frozenset[str] = frozenset(),
    ) -> None:
        self._known: Mapping[str, AnswerValue] = MappingProxyType(dict(known or {}))
        self.not_known = frozenset(not_known)

    def __getitem__(self, key: str) -> AnswerValue:
        return self._known[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)

    def get(self, key: str, default: AnswerValue | None = None) -> AnswerValue | None:  # type: ignore[override]
        # Mapping.get goes through __getitem__ and KeyError; this runs for every predicate.
        return self._known.get(key, default)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Answers):
            return NotImplemented
        return dict(self._known) == dict(other._known) and self.not_known == other.not_known

    def __hash__(self) -> int:
        return hash((frozenset(self._known.items()), self.not_known))

    def __repr__(self) -> str:
        return f"Answers({dict(self._known)!r}, not_known={sorted(self.not_known)!r})"

    def with_answer(self, question_id: str, value: AnswerValue | None) -> Answers:
        """A copy with one answer set; ``None`` means "Not known"."""
        known = dict(self._known)
        known.pop(question_id, None)
        not_known = self.not_known - {question_id}
        if value is None:
            not_known |= {question_id}
        else:
            known[question_id] = value
        return Answers(known, not_known)

    def without(self, question_id: str) -> Answers:
        """A copy with the question unanswered."""
        known = {k: v for k, v in self._known.items() if k != question_id}
        return Answers(known, self.not_known - {question_id})

    def to_data(self) -> dict[str, Any]:
        """The answers as plain data, in the answers-file format."""
        data: dict[str, Any] = {}
        for key, value in self._known.items():
            data[key] = list(value) if isinstance(value, tuple) else value
        for key in sorted(self.not_known):
            data[key] = NOT_KNOWN
        return data


def _near(name: str, candidates: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _shown(value: object, limit: int = 60) -> str:
    """A bad answer as a message quotes it: in full when short, else its start."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


def _choice(question: Question, value: object) -> str:
    if not isinstance(value, str) or question.option(value) is None:
        ids = [o.id for o in question.choices]
        hint = _near(value, ids) if isinstance(value, str) else ""
        raise AnswersError(
            f"'{question.id}': {_shown(value)} is not an option of this question "
            f"(options: {', '.join(ids)}){hint}",
            key=question.id,
        )
    return value


def _multiple(question: Question, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise AnswersError(
            f"'{question.id}': expected a list of option ids, got {_shown(value)}", key=question.id
        )
    picked = tuple(dict.fromkeys(_choice(question, v) for v in value))
    exclusive = [o for o in picked if (opt := question.option(o)) is not None and opt.exclusive]
    if exclusive and len(picked) > 1:
        raise AnswersError(
            f"'{question.id}': '{exclusive[0]}' cannot be picked together with other options",
            key=question.id,
        )
    return picked


def _number(question: Question, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswersError(
            f"'{question.id}': expected a number, got {_shown(value)}", key=question.id
        )
    try:
        number = float(value)
    except OverflowError:  # a whole number beyond any float (and too long to quote)
        raise AnswersError(
            f"'{question.id}': expected a number, got one too large to use", key=question.id
        ) from None
    if not math.isfinite(number):
        raise AnswersError(
            f"'{question.id}': expected a number, got {_shown(value)}", key=question.id
        )
    if question.integer and not number.is_integer():
        raise AnswersError(
            f"'{question.id}': expected a whole number, got {_shown(value)}", key=question.id
        )
    low, high = question.minimum, question.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        unit = f" {question.unit}" if question.unit else ""
        raise AnswersError(
            f"'{question.id}': {_shown(value)} is out of range ({low:g} to {high:g}{unit})"
            if low is not None and high is not None
            else f"'{question.id}': {_shown(value)} is out of range",
            key=question.id,
        )
    return number


def parse_answers(questionnaire: Questionnaire, raw: Mapping[str, object]) -> Answers:
    """Check raw answers against the questionnaire; raise :class:`AnswersError` on the first misfit.

    ``"unknown"`` records "Not known" (only where the question offers it); ``None``
    (YAML ``null``) leaves the question unanswered.
    """
    known: dict[str, AnswerValue] = {}
    not_known: set[str] = set()
    for key, value in raw.items():
        question = questionnaire.by_id.get(key) if isinstance(key, str) else None
        if question is None:
            hint = _near(key, list(questionnaire.by_id)) if isinstance(key, str) else ""
            raise AnswersError(f"'{key}' is not a question of this rule set{hint}", key=str(key))
        if value is None:
            continue
        if value == NOT_KNOWN:
            if not question.not_known:
                raise AnswersError(
                    f"'{key}': this question does not offer 'Not known'", key=question.id
                )
            not_known.add(key)
        elif question.type is QuestionType.NUMBER:
            known[key] = _number(question, value)
        elif question.type is QuestionType.MULTIPLE:
            known[key] = _multiple(question, value)
        else:
            known[key] = _choice(question, value)
    return Answers(known, frozenset(not_known))
