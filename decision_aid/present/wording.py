"""Headings that more than one surface shows (the window, the sheet, the command line).

Kept free of the domain models so that the window can import it before any rule set is
loaded (its first paint does not wait for pydantic).
"""

from __future__ import annotations

__all__ = ["MISSING_HEADING", "NOT_A_DECISION", "SET_ASIDE_HEADING", "TO_CHECK_HEADING"]

NOT_A_DECISION = "A basis for discussion, not a decision."
"""Said wherever an outcome is shown: the window, the sheet, the text report."""
MISSING_HEADING = "What could change the outcome now"
"""The missing answers that could change the outcome, each with what it would change."""
TO_CHECK_HEADING = "Safety questions still to check before any course"
"""Every safety question not answered or not known, whatever the outcome."""
SET_ASIDE_HEADING = "Answers not counted (question not asked now)"
"""Answers kept for questions whose show_when is false."""
