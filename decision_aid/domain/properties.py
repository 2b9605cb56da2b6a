"""Declared properties checked on one answer set (``decision-aid verify`` proves them on all).

A rule set's ``properties.yaml`` lists promises such as "pregnancy always gives 'not
suitable at the moment'". Here a promise is checked against one assessment: the case
runner uses this, so a case that breaks a promise fails even when its expected outcome
was written wrongly to match.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.engine import outcome_of
from decision_aid.domain.questionnaire import Answers
from decision_aid.domain.rules import Property, RuleSet, applies
from decision_aid.domain.truth import Truth

__all__ = ["bounds", "broken_properties", "holds_when", "out_of_order"]


def bounds(rule_set: RuleSet, prop: Property) -> tuple[int, int]:
    """The lowest and highest outcome rank the property allows."""
    ranks = rule_set.level_rank
    low = ranks[prop.at_least] if prop.at_least is not None else 0
    high = ranks[prop.at_most] if prop.at_most is not None else len(ranks) - 1
    return low, high


def broken_properties(
    rule_set: RuleSet, answers: Answers, settings: Mapping[str, str], outcome: str
) -> list[Property]:
    """The declared properties this answer set and its outcome break."""
    context = AnswerContext(rule_set.questionnaire, answers)
    rank = rule_set.level_rank[outcome]
    broken = []
    for prop in rule_set.properties:
        if not applies(prop, settings):
            continue
        if prop.ordered is not None:
            if out_of_order(rule_set, prop, answers, settings, outcome):
                broken.append(prop)
        elif prop.when is not None and prop.when.truth(context) is Truth.TRUE:
            low, high = bounds(rule_set, prop)
            if not low <= rank <= high:
                broken.append(prop)
    return broken


def holds_when(rule_set: RuleSet, prop: Property, answers: Answers) -> bool:
    """Whether the property's ``when`` certainly holds (a property without one always does)."""
    if prop.when is None:
        return True
    return prop.when.truth(AnswerContext(rule_set.questionnaire, answers)) is Truth.TRUE


def out_of_order(
    rule_set: RuleSet,
    prop: Property,
    answers: Answers,
    settings: Mapping[str, str],
    outcome: str,
) -> tuple[str, str] | None:
    """For an ``ordered`` property: an earlier-tier and a later-tier answer, one of them
    this answer set's, where the later one gets the more favourable outcome; else None.

    The other answer set is this one with only the ordered question's answer changed.
    """
    ordering = prop.ordered
    if ordering is None:
        return None
    question = ordering.question
    given = answers.get(question)
    tier_of = {option: i for i, tier in enumerate(ordering.tiers) for option in tier}
    if not isinstance(given, str) or given not in tier_of:
        return None
    ranks = rule_set.level_rank
    mine = tier_of[given]
    for option, tier in tier_of.items():
        if tier == mine:
            continue
        other = answers.with_answer(question, option)
        better, worse = (answers, other) if mine < tier else (other, answers)
        if not holds_when(rule_set, prop, better):
            continue
        theirs = outcome_of(rule_set, other, settings)
        better_rank, worse_rank = (
            (ranks[outcome], ranks[theirs]) if mine < tier else (ranks[theirs], ranks[outcome])
        )
        if worse_rank < better_rank:
            return (str(better.get(question)), str(worse.get(question)))
    return None
