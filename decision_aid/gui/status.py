"""The status bar: where the consultation is kept, how far it has got, which rule set
gives its outcome and that set's approval mark (the words are the governance module's).

On a narrow window (a small screen, or 200% scale) a part that does not fit is cut at a
word, never inside one, and ends in "…"; its tooltip and View → Status in full (Ctrl+I)
give the whole line. Where the answers are kept is never cut.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QToolTip

from decision_aid.gui.text import plain_tooltip, show_text
from decision_aid.gui.theme import restyle, warning_colour

if TYPE_CHECKING:
    from pathlib import Path

    from decision_aid.domain.progress import Progress
    from decision_aid.domain.rules import RuleSetInfo
    from decision_aid.governance.approval import ApprovalState

__all__ = ["ELLIPSIS", "MIN_START", "StatusLine", "StatusText", "cut_at_word"]

ELLIPSIS = "…"

MIN_START = 5
"""The fewest characters a cut part keeps before its ellipsis ("DRAFT…", not "2…")."""

MAX_FILE_NAME = 24
"""A longer file name is shown with its middle left out (Status in full has all of it)."""


def cut_at_word(text: str, fits: Callable[[str], bool]) -> str:
    """``text`` if it ``fits``; else its longest start that, with :data:`ELLIPSIS` after it,
    fits and ends at a clause (before " · ", after ";"), or failing that at a word, and
    keeps at least :data:`MIN_START` characters ("2…" says nothing); else the ellipsis
    alone. Nothing is ever cut inside a word."""
    if fits(text):
        return text
    words = text.split(" ")
    cuts = range(len(words) - 1, 0, -1)
    clause_ends = [n for n in cuts if words[n] == "·" or words[n - 1].endswith(";")]
    for count in [*clause_ends, *cuts]:
        start = " ".join(words[:count]).rstrip(" ·:;,(")
        if len(start) >= MIN_START and fits(start + ELLIPSIS):
            return start + ELLIPSIS
    return ELLIPSIS


def _short_name(name: str) -> str:
    if len(name) <= MAX_FILE_NAME:
        return name
    half = (MAX_FILE_NAME - 1) // 2
    return name[:half] + ELLIPSIS + name[-half:]


class StatusText(QLabel):
    """A part of the status line, plain text: it shows as much of its text as fits, cut at
    a word (:meth:`shown_text`); ``text()`` and the accessible text stay whole, and so
    does the tooltip where the text is cut."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def shown_text(self) -> str:
        """The text as painted in the label's width now."""
        width = self.contentsRect().width()
        metrics = self.fontMetrics()
        return cut_at_word(self.text(), lambda t: metrics.horizontalAdvance(t) <= width)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Minimum:
            return hint  # never cut
        return QSize(self.fontMetrics().horizontalAdvance(ELLIPSIS), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.shown_text() != self.text():
            assert isinstance(event, QHelpEvent)
            own = self.toolTip()
            tip = self.text() + (f"\n{own}" if own and own != self.text() else "")
            QToolTip.showText(event.globalPos(), plain_tooltip(tip), self)
            return True
        return super().event(event)


class StatusLine:
    """The labels of ``bar``; every text that may quote a file is plain text."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.document: Path | None = None
        """The file the consultation is saved in, named in full by :meth:`in_full`."""
        self.save_label = StatusText("Nothing to keep yet")
        self.save_label.setObjectName("save-label")
        self.progress_label = StatusText()
        self.rules_label = StatusText()
        self.rules_label.setObjectName("rules-label")
        self.approval_label = StatusText()
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
        self.document = document
        if not ok:
            self.save_label.setText(f"NOT KEPT on this computer: {text}")
            restyle(self.save_label, "font-weight:bold")
            return
        name = _short_name(document.name) if document is not None else ""
        if document is not None and not unsaved:
            shown = f"Saved to {name}"
        elif document is not None:
            shown = f"Kept on this computer at {text}; changes not saved to {name}"
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

    def in_full(self) -> str:
        """The whole status line, a part to a line (View → Status in full), with the
        message it shows for a while, if any (it hides the first parts meanwhile), and the
        file's whole path."""
        parts = (self.save_label, self.progress_label, self.approval_label, self.rules_label)
        texts = [self.bar.currentMessage(), *(part.text() for part in parts)]
        if self.document is not None:  # its name may be shortened above
            texts.append(f"File: {self.document}")
        return "\n".join(text for text in texts if text)
