"""What :func:`~decision_aid.domain.engine.evaluate` returns: the frozen Assessment and
its parts, which the window, the sheet and the command line read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Protocol

from decision_aid.domain.conditions import TraceNode
from decision_aid.domain.rules import Level
from decision_aid.domain.truth import Truth

__all__ = [
    "DEFAULT_RULE_ID",
    "Assessment",
    "CitedReference",
    "ConditionalAdvice",
    "Details",
    "FiredRule",
    "MissingItem",
    "RuleSetIdentity",
    "RuleTrace",
    "SetAsideAnswer",
    "StillToCheck",
]


DEFAULT_RULE_ID = "default"
"""The id under which the rule set's default outcome appears among fired rules."""


@dataclass(frozen=True)
class RuleSetIdentity:
    id: str
    title: str
    version: str
    status: str
    digest: str
    review_by: date

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "status": self.status,
            "sha256": self.digest,
            "review_by": self.review_by.isoformat(),
        }


@dataclass(frozen=True)
class CitedReference:
    id: str
    short: str
    citation: str
    grade: str | None
    verification: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return dict(vars(self))


@dataclass(frozen=True)
class FiredRule:
    """A rule that fired; ``certain`` is false when it fired because its condition is unknown."""

    rule_id: str
    title: str
    level: str | None
    certain: bool
    patient_reason: str
    rationale: str
    unverified: str | None = None
    absolute: bool = False
    cautions: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    citations: tuple[CitedReference, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["citations"] = [c.as_dict() for c in self.citations]
        data["cautions"], data["actions"] = list(self.cautions), list(self.actions)
        return data


@dataclass(frozen=True)
class RuleTrace:
    """A rule's verdict: ``applies`` is false when the settings exclude it, ``contributes``
    the level it adds to the outcome, if any. The words behind it are the assessment's
    (:meth:`Assessment.explanation`)."""

    rule_id: str
    applies: bool
    value: Truth
    contributes: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "applies": self.applies,
            "value": str(self.value),
            "contributes": self.contributes,
        }


@dataclass(frozen=True)
class MissingItem:
    """An unknown or unanswered question that could change the outcome, and how."""

    question_id: str
    label: str
    section_id: str
    status: str
    changes: tuple[tuple[str, str], ...]
    """(answer in words, the level that answer would give), for answers that change it."""

    def changes_in_words(self, levels: Mapping[str, Level], arrow: str = "→") -> str:
        """ "Yes → Not suitable at the moment; No → …", with each level's plain words."""
        return "; ".join(
            f"{answer} {arrow} {levels[level].label}" for answer, level in self.changes
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "label": self.label,
            "section": self.section_id,
            "status": self.status,
            "changes": [{"answer": a, "outcome": level} for a, level in self.changes],
        }


@dataclass(frozen=True)
class SetAsideAnswer:
    """An answer kept for a question that is not asked now (its ``show_when`` is false):
    it does not count, and the people reading the outcome are told so."""

    question_id: str
    label: str
    section_id: str
    answer: str
    """The answer in words: the option labels, the number with its unit, or "Not known"."""
    value: str | float | tuple[str, ...]
    """The answer as recorded: option id(s), the number, or ``"unknown"``."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "label": self.label,
            "section": self.section_id,
            "answer": self.answer,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
        }


@dataclass(frozen=True)
class ConditionalAdvice:
    """Cautions and actions that hold only if ``heading`` turns out so ("If Pregnancy: …").

    ``questions`` are the missing answers it depends on; ``rule_ids`` the rules it is from.
    """

    heading: str
    questions: tuple[str, ...]
    rule_ids: tuple[str, ...]
    cautions: tuple[str, ...]
    actions: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "if": self.heading,
            "questions": list(self.questions),
            "rules": list(self.rule_ids),
            "cautions": list(self.cautions),
            "actions": list(self.actions),
        }


@dataclass(frozen=True)
class StillToCheck:
    """A safety question not answered or answered "not known": it must be checked before
    any course, whether or not its answer could change the outcome now."""

    question_id: str
    label: str
    section_id: str
    status: str
    changes_outcome: bool
    """Whether an answer to it could change the outcome now (it is also in ``missing``)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "label": self.label,
            "section": self.section_id,
            "status": self.status,
            "changes_outcome": self.changes_outcome,
        }


class Details(Protocol):
    """Works out the parts of an assessment that cost more than the rest, on first use."""

    def explain(self, rule_id: str) -> TraceNode:
        """The rule's condition worked out in words for these answers."""

    def missing(self) -> tuple[MissingItem, ...]: ...

    def set_aside(self) -> tuple[SetAsideAnswer, ...]: ...

    def conditional(self) -> tuple[ConditionalAdvice, ...]: ...

    def to_check(self, missing: Iterable[str]) -> tuple[StillToCheck, ...]:
        """The safety questions still open, given the questions that are ``missing``."""


@dataclass(frozen=True)
class Assessment:
    """The whole result: what the GUI, the sheet and the CLI all read.

    ``cautions`` and ``actions`` are those of the rules that certainly apply, within each
    rule's ``advice_when``; :attr:`conditional` holds those of rules that only might, and
    :attr:`to_check` every safety question still open.
    """

    rule_set: RuleSetIdentity
    settings: tuple[tuple[str, str], ...]
    outcome: Level
    decided_by: tuple[str, ...]
    fired: tuple[FiredRule, ...]
    cautions: tuple[str, ...]
    actions: tuple[str, ...]
    citations: tuple[CitedReference, ...]
    trace: tuple[RuleTrace, ...] = field(repr=False)
    own_description: str | None
    """The deciding rules' own words for the outcome, if every one has them."""
    details: Details = field(repr=False, compare=False)

    @property
    def outcome_description(self) -> str:
        """What the outcome means for the patient: the deciding rules' words, or the level's."""
        return self.own_description or self.outcome.description

    @cached_property
    def conditional(self) -> tuple[ConditionalAdvice, ...]:
        """Cautions and actions of rules that only might apply, under "if …" headings;
        :attr:`cautions` and :attr:`actions` hold only those of rules that certainly do."""
        return self.details.conditional()

    @cached_property
    def to_check(self) -> tuple[StillToCheck, ...]:
        """Every safety question not answered or not known, whether or not it could change
        the outcome now (:attr:`missing` lists those that could)."""
        return self.details.to_check(m.question_id for m in self.missing)

    @cached_property
    def missing(self) -> tuple[MissingItem, ...]:
        """What is still missing, worked out on first use: it tries every missing answer,
        which the window and the sheet need but a batch of test cases does not."""
        return self.details.missing()

    @cached_property
    def set_aside(self) -> tuple[SetAsideAnswer, ...]:
        """The answers given to questions that are not asked now, in questionnaire order:
        kept (the question may come back) but not counted."""
        return self.details.set_aside()

    @cached_property
    def _explained(self) -> frozenset[str]:
        return frozenset(t.rule_id for t in self.trace[:-1] if t.applies)  # the last: the default

    def explanation(self, rule_id: str) -> TraceNode | None:
        """A rule's condition evaluated in words, worked out on first use (a batch of test
        cases needs only the values; the window, the sheet and failures need the words);
        None for a rule the settings exclude and for the default."""
        return self.details.explain(rule_id) if rule_id in self._explained else None

    @property
    def fired_ids(self) -> tuple[str, ...]:
        return tuple(f.rule_id for f in self.fired)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.id,
            "outcome_label": self.outcome.label,
            "decided_by": list(self.decided_by),
            "settings": dict(self.settings),
            "fired": [f.as_dict() for f in self.fired],
            "missing": [m.question_id for m in self.missing],
            "missing_detail": [m.as_dict() for m in self.missing],
            "set_aside": [s.as_dict() for s in self.set_aside],
            "outcome_description": self.outcome_description,
            "still_to_check": [c.as_dict() for c in self.to_check],
            "cautions": list(self.cautions),
            "actions": list(self.actions),
            "conditional": [c.as_dict() for c in self.conditional],
            "citations": [c.as_dict() for c in self.citations],
            "rule_set": self.rule_set.as_dict(),
            "trace": [self._traced(t) for t in self.trace],
        }

    def _traced(self, trace: RuleTrace) -> dict[str, Any]:
        explanation = self.explanation(trace.rule_id)
        return {**trace.as_dict(), "explanation": explanation.as_dict() if explanation else None}
