"""What one patient's sheet says: the parts of ``sheet.yaml`` that fit their answers.

Pure selection, no layout: a block is printed when its ``only_for`` fits the settings,
its ``outcomes`` (if any) include the outcome, and its ``about`` certainly holds for the answers
(an unknown ``about`` never shows a figure: a patient sees the figures for the kind of
pain they are known to have, or none). The reasons a patient reads are those of the
rules that decide the outcome: a favourable reason is left out when a more restrictive
rule decides (the clinician's page keeps every fired rule).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from decision_aid.domain import Answers, Assessment, RuleSet
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.assessment import DEFAULT_RULE_ID, FiredRule
from decision_aid.domain.conditions import Condition
from decision_aid.domain.leaflet import (
    Block,
    Figure,
    GoalEvidence,
    GridRow,
    Misconception,
    SheetContent,
    Statement,
    UnknownHarm,
)
from decision_aid.domain.rules import applies
from decision_aid.domain.truth import Truth

__all__ = ["Goal", "SheetChoice", "choose"]

B = TypeVar("B", Block, Statement, GridRow, Figure, UnknownHarm, Misconception)


@dataclass(frozen=True)
class Goal:
    """A goal the patient chose, and what the research found for it (if the sheet says)."""

    label: str
    evidence: GoalEvidence | None


@dataclass(frozen=True)
class SheetChoice:
    content: SheetContent
    condition: Block | None
    certainty: Block | None
    experiences: Block | None
    bottom_line: tuple[Statement, ...]
    grid: tuple[GridRow, ...]
    benefits: tuple[Figure, ...]
    no_benefits: str | None
    """Said where no benefit figure is shown: none fits, or none yet (one could, once an
    unknown answer is known)."""
    harms: tuple[Figure, ...]
    harms_not_known: tuple[UnknownHarm, ...]
    misconceptions: tuple[Misconception, ...]
    what_it_is_like: tuple[Block, ...]
    goals: tuple[Goal, ...]
    next_steps: tuple[str, ...]


def deciding_reasons(assessment: Assessment) -> tuple[FiredRule, ...]:
    """The fired rules a patient reads: those certain to apply at the outcome's level, and
    notes (rules with no level). A rule at a more favourable level is left out."""
    return tuple(
        fired
        for fired in assessment.fired
        if fired.certain
        and fired.rule_id != DEFAULT_RULE_ID
        and (fired.level is None or fired.level == assessment.outcome.id)
    )


def next_steps(content: SheetContent, assessment: Assessment) -> tuple[str, ...]:
    """The deciding rules' own next steps (each once), else the outcome level's."""
    steps = dict.fromkeys(
        content.next_steps[rule_id]
        for rule_id in assessment.decided_by
        if rule_id in content.next_steps
    )
    level = content.next_steps.get(assessment.outcome.id)
    return tuple(steps) or ((level,) if level else ())


def choose(
    assessment: Assessment, answers: Answers, rule_set: RuleSet, *, assessed: bool
) -> SheetChoice | None:
    """The parts of the rule set's sheet text that fit this assessment (none: no text);
    ``assessed`` False (:func:`decision_aid.present.wording.assessed`): none for an outcome."""
    content = rule_set.sheet
    if content is None:
        return None
    settings: Mapping[str, str] = dict(assessment.settings)
    context = AnswerContext(rule_set.questionnaire, answers)

    def holds(condition: Condition | None) -> bool:
        return condition is None or condition.truth(context) is Truth.TRUE

    def fitting(items: Sequence[B]) -> tuple[B, ...]:
        return tuple(item for item in items if applies(item, settings))

    def shown(block: Block | None) -> bool:
        return (
            block is not None
            and applies(block, settings)
            and (not block.outcomes or (assessed and assessment.outcome.id in block.outcomes))
        )

    candidates = fitting(content.figures)
    figures = [f for f in candidates if holds(f.about)]
    benefits = tuple(f for f in figures if f.kind == "benefit")
    could_fit = any(
        f.kind == "benefit" and f.about is not None and f.about.truth(context) is Truth.UNKNOWN
        for f in candidates
    )
    return SheetChoice(
        content=content,
        condition=content.condition if shown(content.condition) else None,
        certainty=content.certainty if shown(content.certainty) else None,
        experiences=content.experiences if shown(content.experiences) else None,
        bottom_line=tuple(s for s in fitting(content.bottom_line) if holds(s.about)),
        grid=fitting(content.grid),
        benefits=benefits,
        no_benefits=(
            None if benefits else content.figures_wait if could_fit else content.no_figures
        ),
        harms=tuple(f for f in figures if f.kind == "harm"),
        harms_not_known=fitting(content.harms_not_known),
        misconceptions=fitting(content.misconceptions),
        what_it_is_like=tuple(b for b in content.what_it_is_like if shown(b)),
        goals=_goals(content, answers, rule_set),
        next_steps=next_steps(content, assessment) if assessed else (),
    )


def _goals(content: SheetContent, answers: Answers, rule_set: RuleSet) -> tuple[Goal, ...]:
    evidence = {(e.question, e.option): e for e in content.goal_evidence}
    goals = []
    for question_id in content.goals:
        value = answers.get(question_id)
        chosen = value if isinstance(value, tuple) else ()
        for option in chosen:
            label = rule_set.questionnaire.option_label(question_id, option)
            goals.append(Goal(label, evidence.get((question_id, option))))
    return tuple(goals)
