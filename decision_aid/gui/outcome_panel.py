"""The live outcome: the result in plain words with its shape and colour, why, what
to do, and what is still missing (each item a link that jumps to its question).

The panel speaks to the patient (the clinician turns the screen to them): its own words
say "you" and "your", as the rule set's reasons do. Rule ids and citation tags are for the
clinician and the rule author, shown only with the details switch on. A form with no
answer yet is "Not assessed yet", not an outcome.

The details are one read-only document (QTextBrowser), not a stack of word-wrapped
labels: labels re-measure themselves on every change, and that cost a whole frame.
Links in it are reachable with Tab and followed with Enter.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from decision_aid.gui.text import html_text, show_text
from decision_aid.gui.theme import restyle, warning_colour
from decision_aid.present.levels import level_style
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    MISSING_HEADING,
    NOT_A_DECISION,
    NOT_ASSESSED,
    NOT_CURRENT,
    REVIEW,
    SET_ASIDE_HEADING,
    TO_CHECK_HEADING,
)

if TYPE_CHECKING:
    from decision_aid.domain import Assessment, RuleSet
    from decision_aid.domain.assessment import ConditionalAdvice, FiredRule
    from decision_aid.present.override import ClinicianView

__all__ = ["OutcomePanel"]

MAX_POSSIBLE = 4
QUESTION_SCHEME = "question"


def _label(text: str = "", *, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setObjectName(name)
    return label


class Badge(QWidget):
    """The outcome's shape and words on the level's colour; a dashed frame while there is
    no outcome yet. It paints itself, and asks its layout again only when its height
    changes: a label re-measures the whole window's layout (every word-wrapped question
    on the page) whenever its text changes, and a style sheet re-polishes it as well, so
    on every answer those two cost more than the rest of the update together.

    The words wrap between words, and inside one only when it is wider than the badge."""

    RADIUS = 6

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("badge")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        font = self.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.setFont(font)
        self._layout = QTextLayout("", self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._layout.setTextOption(option)
        self._laid_out_for = -1
        self.background: str | None = None
        """The level's colour; None draws the dashed frame of "not assessed yet"."""
        self.foreground: str | None = None

    @property
    def margin(self) -> int:
        return self.fontMetrics().height() // 2

    def text(self) -> str:
        """The words shown: the level's shape and label."""
        return self._layout.text()

    def show_outcome(self, shape: str, label: str, colours: tuple[str, str] | None) -> None:
        """``colours`` is (background, foreground), or None for no outcome yet."""
        text = f"{shape}\u2002{label}"
        background, foreground = colours or (None, None)
        if (text, background, foreground) == (self.text(), self.background, self.foreground):
            return
        height = self.heightForWidth(self.width())
        self._layout.setText(text)
        self._laid_out_for = -1
        self.background, self.foreground = background, foreground
        self.setAccessibleName(f"Outcome: {label}")
        if self.heightForWidth(self.width()) != height:
            self.updateGeometry()
        self.update()

    def _lay_out(self, width: int) -> float:
        """Break the words into lines ``width`` pixels wide (margins included); their height."""
        line_width = max(1, width - 2 * self.margin)
        if self._laid_out_for != line_width:
            self._layout.setFont(self.font())
            self._layout.beginLayout()
            y = 0.0
            while (line := self._layout.createLine()).isValid():
                line.setLineWidth(line_width)
                line.setPosition(QPointF(0, y))
                y += line.height()
            self._layout.endLayout()
            self._laid_out_for = line_width
        return self._layout.boundingRect().height()

    def heightForWidth(self, width: int) -> int:
        return math.ceil(self._lay_out(width)) + 2 * self.margin

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        width = max(self.width(), 10 * self.fontMetrics().averageCharWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(4 * self.fontMetrics().averageCharWidth(), self.heightForWidth(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.heightForWidth(event.size().width()) != event.size().height():
            self.updateGeometry()  # narrower, the words take more lines (wider, fewer)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a new screen's scale, say
            self._laid_out_for = -1
            self.updateGeometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        words = self.palette().windowText().color()
        if self.background is None:
            painter.setPen(QPen(words, 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.background))
        painter.drawRoundedRect(box, self.RADIUS, self.RADIUS)
        painter.setPen(QColor(self.foreground) if self.foreground else words)
        height = self._lay_out(self.width())
        top = max(self.margin, (self.height() - height) / 2)
        self._layout.draw(painter, QPointF(self.margin, top))
        painter.end()


WORKING = "Working out what could change the outcome…"


def _sources(fired: FiredRule) -> str:
    cited = "; ".join(c.short + (f" ({c.grade})" if c.grade else "") for c in fired.citations)
    sources = html_text(fired.rule_id) + (" · " + html_text(cited) if cited else "")
    return f"<br><small>[{sources}]</small>"


def _items(title: str, items: list[str]) -> str:
    return f"<h4>{title}</h4><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _described(assessment: Assessment) -> str:
    return f"<h4>What this means for you</h4><p>{html_text(assessment.outcome_description)}</p>"


def _conditional(advice: ConditionalAdvice) -> str:
    """Advice of rules that only might apply, under the "if …" naming the answer."""
    items = [f"Take care: {html_text(c)}" for c in advice.cautions]
    items += [f"To do: {html_text(a)}" for a in advice.actions]
    return _items(html_text(advice.heading) + " <small>(not known yet)</small>", items)


def _to_check(assessment: Assessment) -> str:
    """Every safety question not answered or not known, to check before any course."""
    if not assessment.to_check:
        return ""
    items = [
        f"<a href='{QUESTION_SCHEME}:{html_text(c.question_id)}'>{html_text(c.label)}</a> "
        f"({html_text(c.status)})"
        for c in assessment.to_check
    ]
    return _items(TO_CHECK_HEADING, items)


class OutcomePanel(QWidget):
    """Shows one :class:`Assessment`; ``jump_to`` asks the window to show a question."""

    jump_to = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome-panel")
        self.setAccessibleName("Outcome")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.badge = Badge()
        self.caption = _label(NOT_A_DECISION, name="caption")
        self.override = _label(name="override")
        self.override.setVisible(False)
        self.approval = _label(name="approval")
        self.approval.setAccessibleName("Approval of the rule set")
        restyle(self.approval, f"color:{warning_colour(self.palette())}; font-weight:bold;")
        self.approval.setVisible(False)
        self.details = QTextBrowser()
        self.details.setObjectName("details")
        self.details.setAccessibleName("Why, what to do, and what we still need to know")
        self.details.setOpenLinks(False)
        self.details.setMinimumHeight(self.fontMetrics().height() * 3)  # it scrolls
        # A scroll bar that comes and goes lays the whole text out twice on each change.
        self.details.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.details.anchorClicked.connect(self._on_link)
        self.show_sources = False
        """The details switch: rule ids and citation tags beside each reason."""
        self._shown: tuple[Assessment, RuleSet, ClinicianView | None, bool, bool] | None = None
        self._missing_links: list[str] = []
        self._shown_html = ""
        self._to_check_links: list[str] = []
        for widget in (self.approval, self.badge, self.caption, self.override):
            layout.addWidget(widget)
        layout.addWidget(self.details, 1)

    def show_assessment(
        self,
        assessment: Assessment,
        rule_set: RuleSet,
        override: ClinicianView | None,
        *,
        assessed: bool = True,
        missing_ready: bool = True,
    ) -> None:
        """``assessed`` False: no answer yet. ``missing_ready`` False: what is missing is
        still being worked out (off the UI thread), and is shown once it is."""
        self._shown = (assessment, rule_set, override, assessed, missing_ready)
        shows_missing = assessed and missing_ready
        self._missing_links = [m.question_id for m in assessment.missing] if shows_missing else []
        self._to_check_links = [c.question_id for c in assessment.to_check] if shows_missing else []
        if not assessed:
            self.badge.show_outcome("…", NOT_ASSESSED, None)
            html = "<p>Answer the questions to see what the rule set suggests.</p>"
        else:
            rank = rule_set.level_rank[assessment.outcome.id]
            style = level_style(rank, len(rule_set.info.levels))
            colours = (style.background, style.foreground)
            self.badge.show_outcome(style.shape, assessment.outcome.label, colours)
            html = self._details(assessment, rule_set, missing_ready=missing_ready)
        show_text(self.caption, NOT_A_DECISION)
        self._show_override(override, rule_set)
        if html != self._shown_html:
            self._shown_html = html
            position = self.details.verticalScrollBar().value()
            self.details.setHtml(html)
            self.details.verticalScrollBar().setValue(position)

    def set_show_sources(self, shown: bool) -> None:
        """Turn the details switch on or off, and show the panel again accordingly."""
        self.show_sources = shown
        if self._shown is not None:
            assessment, rule_set, override, assessed, missing_ready = self._shown
            self.show_assessment(
                assessment, rule_set, override, assessed=assessed, missing_ready=missing_ready
            )

    def show_approval(self, mark: str | None) -> None:
        """The rule set's approval mark (ApprovalState.describe()); None when approved."""
        show_text(self.approval, html_text(mark or ""))
        self.approval.setVisible(mark is not None)

    def _show_override(self, view: ClinicianView | None, rule_set: RuleSet) -> None:
        if view is None:
            if not self.override.isHidden():
                self.override.setVisible(False)
            return
        style = level_style(view.rank, len(rule_set.info.levels))
        review = (
            ""
            if view.current
            else f"<p style='color:#B00020'><b>\u26a0 {REVIEW}"
            "</b> (Override…, Ctrl+Shift+O): " + NOT_CURRENT + "</p>"
        )
        recorded = view.recorded()
        border = "solid #B00020" if not view.current else f"dashed {style.background}"
        restyle(self.override, f"border:3px {border}; padding:6px;")
        show_text(
            self.override,
            f"{review}<b>{CLINICIANS_VIEW}:</b> {style.shape} {html_text(view.label)}<br>"
            f"<i>Reason:</i> {html_text(view.override.reason)}<br><small>"
            f"{html_text(recorded[:1].upper() + recorded[1:])}. "
            "The rule outcome above stays on record.</small>",
        )
        self.override.setAccessibleName(
            f"{CLINICIANS_VIEW}: {view.label}" + ("" if view.current else f". {REVIEW}")
        )
        self.override.setVisible(True)

    def _details(self, assessment: Assessment, rule_set: RuleSet, *, missing_ready: bool) -> str:
        def sourced(fired: FiredRule, text: str) -> str:
            return html_text(text) + (_sources(fired) if self.show_sources else "")

        certain = [f for f in assessment.fired if f.certain]
        possible = [f for f in assessment.fired if not f.certain]
        parts = [_described(assessment)]
        parts.append(_items("Why", [sourced(f, f.patient_reason) for f in certain]))
        if possible:
            shown = [sourced(f, f.title) for f in possible[:MAX_POSSIBLE]]
            if len(possible) > MAX_POSSIBLE:
                shown.append(f"… and {len(possible) - MAX_POSSIBLE} more, once we know more")
            parts.append(_items("Might apply to you: an answer is not known yet", shown))
        if not missing_ready:
            parts.append(f"<h4>{MISSING_HEADING}</h4><p><i>{WORKING}</i></p>")
        elif assessment.missing:
            links = []
            for item in assessment.missing:
                changes = html_text(item.changes_in_words(rule_set.levels_by_id))
                target = f"{QUESTION_SCHEME}:{html_text(item.question_id)}"
                links.append(
                    f"<a href='{target}'>{html_text(item.label)}</a> "
                    f"({html_text(item.status)})<br><small>Once answered: {changes}</small>"
                )
            parts.append(_items(MISSING_HEADING, links))
        if missing_ready:
            parts.append(_to_check(assessment))
        if assessment.set_aside:
            kept = [html_text(f"{a.label}: {a.answer}") for a in assessment.set_aside]
            parts.append(_items(SET_ASIDE_HEADING, kept))
        for title, items in (
            ("What to do next", assessment.actions),
            ("Take care", assessment.cautions),
        ):
            if items:
                parts.append(_items(title, [html_text(i) for i in items]))
        parts += [_conditional(advice) for advice in assessment.conditional]
        return "".join(parts)

    def missing_links(self) -> list[str]:
        """The question ids the "could change the outcome now" links point at, in order."""
        return list(self._missing_links)

    def to_check_links(self) -> list[str]:
        """The question ids the "safety questions still to check" links point at."""
        return list(self._to_check_links)

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == QUESTION_SCHEME:
            self.jump_to.emit(url.path())
