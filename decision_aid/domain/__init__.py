"""The pure core: questionnaire, conditions, rules, loading and the engine.

Nothing here imports Qt or reportlab; the GUI, the sheet and the CLI read the
frozen :class:`Assessment` that :func:`evaluate` returns.

Names are loaded on first use (PEP 562): building the pydantic models costs a
quarter of a second, and the window is shown before it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decision_aid.domain.assessment import Assessment, FiredRule, MissingItem
    from decision_aid.domain.engine import evaluate, outcome_of, resolve_settings
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

_HOMES = {
    "assessment": ("Assessment", "FiredRule", "MissingItem"),
    "engine": ("evaluate", "outcome_of", "resolve_settings"),
    "errors": ("AnswersError", "DecisionAidError", "InputError", "Problem", "RuleSetError"),
    "loading": ("load_rule_set",),
    "questionnaire": ("NOT_KNOWN", "Answers", "Question", "parse_answers"),
    "rules": ("RuleSet",),
    "truth": ("Truth",),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'decision_aid.domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"decision_aid.domain.{module}"), name)
    globals()[name] = value
    return value
