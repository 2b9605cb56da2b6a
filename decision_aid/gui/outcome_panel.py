"""The live outcome: the result in plain words with its shape and colour, why, what
to do, and what is still missing (each item a link that jumps to its question).

The details are one read-only document (QTextBrowser), not a stack of word-wrapped
labels: labels re-measure themselves on every change, and that cost a whole frame.
Links in it are reachable with Tab and followed with Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from decision_aid.gui.text import html_text
from decision_aid.present.levels import level_style
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    MISSING_HEADING,
    NOT_A_DECISION,
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


def _sources(fired: FiredRule) -> str:
    cited = "; ".join(c.short + (f" ({c.grade})" if c.grade else "") for c in fired.citations)
    sources = html_text(fired.rule_id) + (" · " + html_text(cited) if cited else "")
    return f"<br><small>[{sources}]</small>"


def _items(title: str, items: list[str]) -> str:
    return f"<h4>{title}</h4><ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _described(assessment: Assessment) -> str:
    return f"<h4>What this means</h4><p>{html_text(assessment.outcome_description)}</p>"


def _conditional(advice: ConditionalAdvice) -> str:
    """Advice of rules that only might apply, under the "if …" naming the answer."""
    items = [f"Caution: {html_text(c)}" for c in advice.cautions]
    items += [f"Action: {html_text(a)}" for a in advice.actions]
    return _items(html_text(advice.heading) + " <small>(not yet known)</small>", items)


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
        self.badge = _label(name="badge")
        self.badge.setMargin(10)
        self.caption = _label(NOT_A_DECISION, name="caption")
        self.override = _label(name="override")
        self.override.setVisible(False)
        self.approval = _label(name="approval")
        self.approval.setAccessibleName("Approval of the rule set")
        self.approval.setStyleSheet("color:#B00020; font-weight:bold;")
        self.approval.setVisible(False)
        self.details = QTextBrowser()
        self.details.setObjectName("details")
        self.details.setAccessibleName("Why, what to do, and what we still need to know")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._on_link)
        for widget in (self.approval, self.badge, self.caption, self.override):
            layout.addWidget(widget)
        layout.addWidget(self.details, 1)

    def show_assessment(
        self, assessment: Assessment, rule_set: RuleSet, override: ClinicianView | None
    ) -> None:
        rank = rule_set.level_rank[assessment.outcome.id]
        style = level_style(rank, len(rule_set.info.levels))
        self._set(
            self.badge,
            f"<span style='font-size:150%'>{style.shape}</span>&nbsp; "
            f"<b style='font-size:130%'>{html_text(assessment.outcome.label)}</b>",
        )
        sheet = f"background:{style.background}; color:{style.foreground}; border-radius:6px;"
        if self.badge.styleSheet() != sheet:  # restyling is costly: only on a new level
            self.badge.setStyleSheet(sheet)
        self.badge.setAccessibleName(f"Outcome: {assessment.outcome.label}")
        self._set(self.caption, NOT_A_DECISION)
        self._show_override(override, rule_set)
        html = self._details(assessment, rule_set)
        if html != self.details.property("shown_html"):
            self.details.setProperty("shown_html", html)
            position = self.details.verticalScrollBar().value()
            self.details.setHtml(html)
            self.details.verticalScrollBar().setValue(position)

    def show_approval(self, mark: str | None) -> None:
        """The rule set's approval mark (ApprovalState.describe()); None when approved."""
        self._set(self.approval, html_text(mark or ""))
        self.approval.setVisible(mark is not None)

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        if label.text() != text:  # setText re-measures the label even for the same text
            label.setText(text)

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
        self.override.setStyleSheet(f"border:3px {border}; padding:6px;")
        self._set(
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

    def _details(self, assessment: Assessment, rule_set: RuleSet) -> str:
        certain = [f for f in assessment.fired if f.certain]
        possible = [f for f in assessment.fired if not f.certain]
        parts = [_described(assessment)]
        parts.append(_items("Why", [html_text(f.patient_reason) + _sources(f) for f in certain]))
        if possible:
            shown = [html_text(f.title) + _sources(f) for f in possible[:MAX_POSSIBLE]]
            if len(possible) > MAX_POSSIBLE:
                shown.append(
                    f"… and {len(possible) - MAX_POSSIBLE} more, once the answers are known"
                )
            parts.append(_items("Might apply: an answer is not known", shown))
        if assessment.missing:
            links = []
            for item in assessment.missing:
                changes = html_text(item.changes_in_words(rule_set.levels_by_id))
                target = f"{QUESTION_SCHEME}:{html_text(item.question_id)}"
                links.append(
                    f"<a href='{target}'>{html_text(item.label)}</a> "
                    f"({html_text(item.status)})<br><small>If answered: {changes}</small>"
                )
            parts.append(_items(MISSING_HEADING, links))
        parts.append(_to_check(assessment))
        if assessment.set_aside:
            kept = [html_text(f"{a.label}: {a.answer}") for a in assessment.set_aside]
            parts.append(_items(SET_ASIDE_HEADING, kept))
        for title, items in (("Actions", assessment.actions), ("Cautions", assessment.cautions)):
            if items:
                parts.append(_items(title, [html_text(i) for i in items]))
        parts += [_conditional(advice) for advice in assessment.conditional]
        return "".join(parts)

    def missing_links(self) -> list[str]:
        """The question ids the "could change the outcome now" links point at, in order."""
        return self._links(MISSING_HEADING)

    def to_check_links(self) -> list[str]:
        """The question ids the "safety questions still to check" links point at."""
        return self._links(TO_CHECK_HEADING)

    def _links(self, heading: str) -> list[str]:
        html = str(self.details.property("shown_html") or "")
        section = html.partition(f"<h4>{heading}</h4>")[2].split("<h4>", 1)[0]
        return [chunk.split("'", 1)[0] for chunk in section.split(f"href='{QUESTION_SCHEME}:")[1:]]

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == QUESTION_SCHEME:
            self.jump_to.emit(url.path())
