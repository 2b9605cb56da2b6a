"""Declared properties checked on one answer set (``decision-aid verify`` proves them on all).

A rule set's ``properties.yaml`` lists promises such as "pregnancy always gives 'not
suitable at the moment'". Here a promise is checked against one assessment: the case
runner uses this, so a case that breaks a promise fails even when its expected outcome
was written wrongly to match.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision_aid.domain.engine import AnswerContext
from decision_aid.domain.questionnaire import Answers
from decision_aid.domain.rules import Property, RuleSet, applies
from decision_aid.domain.truth import Truth

__all__ = ["bounds", "broken_properties"]


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
        if applies(prop, settings) and prop.when.truth(context) is Truth.TRUE:
            low, high = bounds(rule_set, prop)
            if not low <= rank <= high:
                broken.append(prop)
    return broken
