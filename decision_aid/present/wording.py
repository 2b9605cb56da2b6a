"""Headings that more than one surface shows (the window, the sheet, the command line).

Kept free of the domain models so that the window can import it before any rule set is
loaded (its first paint does not wait for pydantic).
"""

from __future__ import annotations

__all__ = [
    "CLINICIANS_VIEW",
    "MISSING_HEADING",
    "NOT_A_DECISION",
    "NOT_CURRENT",
    "REVIEW",
    "RULE_OUTCOME",
    "SET_ASIDE_HEADING",
    "TO_CHECK_HEADING",
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
