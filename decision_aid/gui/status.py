"""The status bar: where the consultation is kept, how far it has got, which rule set
gives its outcome and that set's approval mark (the words are the governance module's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSizePolicy, QStatusBar

from decision_aid.gui.text import plain_label, plain_tooltip, show_text
from decision_aid.gui.theme import restyle, warning_colour

if TYPE_CHECKING:
    from pathlib import Path

    from decision_aid.domain.progress import Progress
    from decision_aid.domain.rules import RuleSetInfo
    from decision_aid.governance.approval import ApprovalState

__all__ = ["StatusLine"]


class StatusLine:
    """The labels of ``bar``; every text that may quote a file is plain text."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.save_label = plain_label("Nothing to keep yet")
        self.save_label.setObjectName("save-label")
        self.progress_label = plain_label()
        self.rules_label = plain_label()
        self.rules_label.setObjectName("rules-label")
        self.approval_label = plain_label()
        self.approval_label.setObjectName("approval-label")
        # Where the answers are kept is never cut short; the progress and the approval mark
        # (also at the top of the outcome) give way on a narrow window.
        self.save_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.save_label)
        bar.addWidget(self.progress_label, 1)
        self.approval_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addPermanentWidget(self.approval_label, 1)
        bar.addPermanentWidget(self.rules_label)

    def show_kept(self, ok: bool, text: str, document: Path | None, unsaved: bool) -> None:
        """After an autosave: ``text`` is its time, or why it failed."""
        if not ok:
            self.save_label.setText(f"NOT KEPT on this computer: {text}")
            restyle(self.save_label, "font-weight:bold")
            return
        if document is not None and not unsaved:
            shown = f"Saved to {document.name}"
        elif document is not None:
            shown = f"Changes kept on this computer at {text}; {document.name} not updated"
        else:
            shown = f"Kept on this computer at {text} (not saved to a file)"
        show_text(self.save_label, shown)
        restyle(self.save_label, "")

    def show_progress(self, progress: Progress) -> None:
        open_safety = len(progress.unanswered_safety) + len(progress.not_known_safety)
        done = f"{progress.complete_sections} of {len(progress.sections)} sections complete"
        show_text(
            self.progress_label,
            f"{done} · safety: {len(progress.not_known_safety)} not known, "
            f"{len(progress.unanswered_safety)} not answered"
            if open_safety
            else f"{done} · all safety questions answered",
        )

    def show_rule_set(self, info: RuleSetInfo, approval: ApprovalState) -> None:
        flags = approval.flags()
        flag_text = "".join(f" · {flag}" for flag in flags)
        show_text(self.rules_label, f"Rule set {info.version}{flag_text}")
        self.rules_label.setToolTip(
            plain_tooltip(
                f"{info.title} ({info.id} {info.version}), review by {info.review_by:%d %b %Y}"
            )
        )
        restyle(self.rules_label, "font-weight:bold" if flags else "")
        mark = approval.describe()
        if self.approval_label.text() != mark:
            self.approval_label.setText(mark)
            self.approval_label.setToolTip(plain_tooltip(mark))  # where it is cut short
            colour = warning_colour(self.approval_label.palette())
            restyle(self.approval_label, f"font-weight:bold; color:{colour}" if flags else "")

    def show_broken(self) -> None:
        self.approval_label.setText("")
        self.rules_label.setText("Rule set: PROBLEMS, no outcome")
        self.progress_label.setText("")

    def tell(self, message: str, milliseconds: int = 0) -> None:
        self.bar.showMessage(message, milliseconds)
