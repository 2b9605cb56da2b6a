"""The pure core: questionnaire, conditions, rules, loading and the engine.

Nothing here imports Qt or reportlab; the GUI, the sheet and the CLI read the
frozen :class:`Assessment` that :func:`evaluate` returns.
"""

from __future__ import annotations

from decision_aid.domain.engine import (
    Assessment,
    FiredRule,
    MissingItem,
    evaluate,
    outcome_of,
    resolve_settings,
)
from decision_aid.domain.errors import (
    AnswersError,
    DecisionAidError,
    InputError,
    Problem,
    RuleSetError,
)
from decision_aid.domain.loading import load_rule_set
from decision_aid.domain.questionnaire import NOT_KNOWN, Answers, Question, parse_answers
from decision_aid.domain.rules import RuleSet
from decision_aid.domain.truth import Truth

__all__ = [
    "NOT_KNOWN",
    "Answers",
    "AnswersError",
    "Assessment",
    "DecisionAidError",
    "FiredRule",
    "InputError",
    "MissingItem",
    "Problem",
    "Question",
    "RuleSet",
    "RuleSetError",
    "Truth",
    "evaluate",
    "load_rule_set",
    "outcome_of",
    "parse_answers",
    "resolve_settings",
]
