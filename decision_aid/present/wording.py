"""Headings that more than one surface shows (the window, the sheet, the command line),
and when a form is "Not assessed yet".

Kept free of the domain models so that the window can import it before any rule set is
loaded (its first paint does not wait for pydantic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decision_aid.domain import Answers

__all__ = [
    "CLINICIANS_VIEW",
    "MISSING_HEADING",
    "NOT_ASSESSED",
    "NOT_ASSESSED_WHY",
    "NOT_A_DECISION",
    "NOT_CURRENT",
    "REVIEW",
    "RULE_OUTCOME",
    "SET_ASIDE_HEADING",
    "TO_CHECK_HEADING",
    "assessed",
]

NOT_A_DECISION = "A basis for discussion, not a decision."
"""Said wherever an outcome is shown: the window, the sheet, the text report."""
MISSING_HEADING = "What could change the outcome now"
"""The missing answers that could change the outcome, each with what it would change."""
TO_CHECK_HEADING = "Safety questions still to check before any course"
"""Every safety question not answered or not known, whatever the outcome."""
SET_ASIDE_HEADING = "Answers not counted (question not asked now)"
"""Answers kept for questions whose show_when is false."""
RULE_OUTCOME = "Rule outcome"
"""The label of what the rules gave, wherever a clinician's view is shown beside it."""
CLINICIANS_VIEW = "Clinician's view"
"""The label of the override."""
REVIEW = "Answers changed since the override: review"
"""The mark of an override whose answers, settings, rule outcome or rule set changed."""
NOT_CURRENT = (
    "It is not the current view until the clinician confirms it for these answers or withdraws it."
)
NOT_ASSESSED = "Not assessed yet"
"""Shown instead of an outcome while no question is answered (see :func:`assessed`)."""
NOT_ASSESSED_WHY = "No question has been answered yet, so there is no outcome to discuss."
"""Said under :data:`NOT_ASSESSED` where there is room to say why."""


def assessed(answers: Answers, *, overridden: bool = False) -> bool:
    """False for a blank form: no answer yet (not even "Not known") and no override. A blank
    form has no outcome: every surface says :data:`NOT_ASSESSED`, with no reasons, no
    advice and nothing that might apply, only the safety questions still to check."""
    return bool(len(answers) or answers.not_known or overridden)
