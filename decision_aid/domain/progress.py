"""Where the consultation stands: which questions are asked, and each section's state.

The navigation list and the status line show this; it is computed here, so the
widgets only display it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.questionnaire import Answers
from decision_aid.domain.rules import RuleSet
from decision_aid.domain.truth import Truth

__all__ = ["Progress", "SectionProgress", "SectionState", "progress", "question_visibility"]


class SectionState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    state: SectionState
    answered: int
    asked: int
    not_known: int


@dataclass(frozen=True)
class Progress:
    sections: tuple[SectionProgress, ...]
    visibility: Mapping[str, Truth]
    displayed: frozenset[str]
    """Questions to show: asked for certain, or possibly asked once every question
    their ``show_when`` reads has an answer (Not known included): a follow-up waits for
    its lead question, but a Not known lead still shows the follow-up, just in case."""
    unanswered_safety: tuple[str, ...]
    not_known_safety: tuple[str, ...]

    @property
    def complete_sections(self) -> int:
        return sum(s.state is SectionState.COMPLETE for s in self.sections)

    @property
    def complete(self) -> bool:
        """Every section complete and every safety question answered."""
        return not self.unanswered_safety and self.complete_sections == len(self.sections)


def question_visibility(rule_set: RuleSet, answers: Answers) -> dict[str, Truth]:
    """Each question's ``show_when`` in three-valued logic (unknown: may be asked)."""
    context = AnswerContext(rule_set.questionnaire, answers)
    return {q.id: context.visibility(q.id) for q in rule_set.questionnaire.questions()}


def _displayed(
    rule_set: RuleSet, answers: Answers, visibility: Mapping[str, Truth]
) -> frozenset[str]:
    shown = set()
    for question in rule_set.questionnaire.questions():
        value = visibility[question.id]
        if value is Truth.TRUE:
            shown.add(question.id)
        elif value is Truth.UNKNOWN and question.show_when is not None:
            leads = set(question.show_when.questions())
            if all(q in answers or q in answers.not_known for q in leads):
                shown.add(question.id)
    return frozenset(shown)


def progress(rule_set: RuleSet, answers: Answers) -> Progress:
    visibility = question_visibility(rule_set, answers)
    displayed = _displayed(rule_set, answers, visibility)
    sections = []
    unanswered_safety: list[str] = []
    not_known_safety: list[str] = []
    for section in rule_set.questionnaire.sections:
        asked = [q for q in section.questions if q.id in displayed]
        answered = [q for q in asked if q.id in answers or q.id in answers.not_known]
        not_known = [q for q in asked if q.id in answers.not_known]
        unanswered_safety += [q.id for q in asked if q.safety and q not in answered]
        not_known_safety += [q.id for q in not_known if q.safety]
        if not answered:
            state = SectionState.NOT_STARTED
        elif len(answered) == len(asked):
            state = SectionState.COMPLETE
        else:
            state = SectionState.IN_PROGRESS
        sections.append(
            SectionProgress(section.id, state, len(answered), len(asked), len(not_known))
        )
    return Progress(
        tuple(sections), visibility, displayed, tuple(unanswered_safety), tuple(not_known_safety)
    )
