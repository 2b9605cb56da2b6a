"""The consultation itself: the settings bar, the sections, the section's questions, and
the live outcome with the notes; it shows the model and sends every edit to it.

A section's questions are built when the section is first shown: the window is ready to
answer once the first one is. Below :data:`NARROW_WIDTH` the outcome goes under the
questions (the notes in a tab beside it), so a small screen or a large scale needs no
sideways scrolling. What could change the outcome is worked out off the UI thread when
the rule set is large.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from decision_aid.gui.background import run_in_background
from decision_aid.gui.outcome_panel import OutcomePanel
from decision_aid.gui.question_page import QuestionPage
from decision_aid.gui.screen import NARROW_WIDTH
from decision_aid.gui.section_list import SectionList
from decision_aid.gui.settings_bar import SettingsBar
from decision_aid.gui.undo import TYPING_SETTLES_MS, Undo, leave_undo_to_window
from decision_aid.present.wording import assessed as is_assessed

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from decision_aid.domain import Assessment
    from decision_aid.gui.state import ConsultationModel

__all__ = ["LARGE_RULE_SET", "ConsultationView"]

LARGE_RULE_SET = 200
"""From this many rules, what is missing is worked out on a worker thread: it tries
every missing answer, which on a large set takes longer than a frame."""

DIVIDER_STEP = 40


class ConsultationView(QWidget):
    """Shows ``model``; ``buttons`` are the actions offered under the outcome; every
    edit goes through ``undo``."""

    def __init__(self, model: ConsultationModel, buttons: list[QAction], undo: Undo) -> None:
        super().__init__()
        self.model = model
        self.undo = undo
        questionnaire = model.rule_set.questionnaire
        self.section_of = {
            q.id: index
            for index, section in enumerate(questionnaire.sections)
            for q in section.questions
        }
        outer = QVBoxLayout(self)
        self.settings = SettingsBar(model.rule_set.info.settings)
        self.settings.chosen.connect(model.set_setting)
        self.settings.label_edited.connect(undo.label)
        outer.addWidget(self.settings)
        self.sections = SectionList(questionnaire.sections)
        self.sections.setMinimumWidth(self.fontMetrics().averageCharWidth() * 18)
        self.stack = QStackedWidget()
        self.pages: list[QuestionPage | None] = [None] * len(questionnaire.sections)
        for _ in questionnaire.sections:
            area = QScrollArea()
            area.setWidgetResizable(True)
            self.stack.addWidget(area)
        self.sections.currentRowChanged.connect(self._on_section_chosen)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setObjectName("body")
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.stack)
        self.body.addWidget(self._outcome_column(buttons))
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sections)
        self.splitter.addWidget(self.body)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        self.shown_id: str | None = None
        self.shown_assessment: Assessment | None = None

    def _outcome_column(self, actions: list[QAction]) -> QWidget:
        """The outcome with its buttons, and the notes: one above the other, or in two
        tabs when the column goes under the questions."""
        self.outcome_box = QWidget()
        layout = QVBoxLayout(self.outcome_box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.outcome = OutcomePanel()
        self.outcome.jump_to.connect(self.jump_to_question)
        layout.addWidget(self.outcome, 1)
        row = QHBoxLayout()
        for action in actions:
            button = QPushButton(action.iconText().replace("&", "") + "…")
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            button.setEnabled(action.isEnabled())
            action.enabledChanged.connect(button.setEnabled)
            row.addWidget(button)
        layout.addLayout(row)
        self.notes_box = QWidget()
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("Consultation notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().height() * 7)
        notes_label = QLabel("Consultation &notes:")
        notes_label.setBuddy(self.notes)
        notes_layout.addWidget(notes_label)
        notes_layout.addWidget(self.notes)
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(TYPING_SETTLES_MS)
        self.notes_timer.timeout.connect(self.keep_typing)
        self.notes.textChanged.connect(self.notes_timer.start)
        leave_undo_to_window(self.notes, self.settings.patient)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outcome-tabs")
        self.tabs.setVisible(False)
        column = QWidget()
        self.column = QVBoxLayout(column)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.outcome_box, 1)
        self.column.addWidget(self.notes_box)
        self.column.addWidget(self.tabs, 1)
        column.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        return column

    def _arrange(self, narrow: bool) -> None:
        if narrow:
            self.tabs.addTab(self.outcome_box, "Outcome")
            self.tabs.addTab(self.notes_box, "Notes")
            self.notes.setMaximumHeight(16_777_215)  # the tab's height
        else:
            self.tabs.clear()
            self.column.insertWidget(0, self.outcome_box, 1)
            self.column.insertWidget(1, self.notes_box)
            self.notes.setMaximumHeight(self.fontMetrics().height() * 7)
            self.outcome_box.setVisible(True)
            self.notes_box.setVisible(True)
        self.tabs.setVisible(narrow)

    # -- the questions ---------------------------------------------------------------

    def page(self, index: int) -> QuestionPage:
        """The section's questions, built the first time they are needed."""
        page = self.pages[index]
        if page is None:
            page = QuestionPage(self.model.rule_set.questionnaire.sections[index])
            page.answered.connect(self.undo.answer)
            page.leave.connect(self._on_leave)
            self._refresh_page(page)
            area = self.stack.widget(index)
            assert isinstance(area, QScrollArea)
            area.setWidget(page)
            self.pages[index] = page
        return page

    def _refresh_page(self, page: QuestionPage) -> None:
        model = self.model
        unanswered = set(model.progress.unanswered_safety)
        page.refresh(model.answers, model.progress.displayed, unanswered)

    def _on_section_chosen(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.page(index)
            self.stack.setCurrentIndex(index)

    def show_section(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.sections.setCurrentRow(index)
        first = self.page(index).first_visible()
        if first is not None:
            first.focus_first()

    def step_section(self, step: int) -> None:
        self.show_section(max(0, min(len(self.pages) - 1, self.sections.currentRow() + step)))

    def _on_leave(self, step: int) -> None:
        """Tab past a section's last question: the next section (Shift+Tab: the previous
        one, at its last question). Past the very last, on to the notes."""
        index = self.sections.currentRow() + step
        if index >= len(self.pages):
            self.notes.setFocus(Qt.FocusReason.TabFocusReason)
        elif index >= 0:
            self.show_section(index)
            if step < 0 and (last := self.page(index).last_visible()) is not None:
                last.focus_first()

    def toggle_outcome_focus(self) -> None:
        """F6: to the outcome panel (PgUp/PgDn scroll it), and back to the questions."""
        if self.outcome.details.hasFocus():
            self.show_section(max(0, self.sections.currentRow()))
        else:
            self.outcome.details.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def jump_to_question(self, question_id: str) -> None:
        index = self.section_of.get(question_id)
        if index is None:
            return
        self.sections.setCurrentRow(index)
        widget = self.page(index).widgets[question_id]
        area = self.stack.widget(index)
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(widget)
        widget.focus_first()

    # -- model → widgets -------------------------------------------------------------

    def refresh(self) -> None:
        model = self.model
        for page in self.pages:
            if page is not None:
                self._refresh_page(page)
        self.sections.show_progress(model.progress)
        self._show_outcome()
        self.settings.show_settings(model.settings)
        other = model.consultation.id != self.shown_id  # New, Open or Restore
        self.shown_id = model.consultation.id
        self.settings.show_label(model.consultation.patient_label, force=other)
        if (
            other or not self.notes.hasFocus()
        ) and self.notes.toPlainText() != model.consultation.notes:
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(model.consultation.notes)

    def _show_outcome(self) -> None:
        model = self.model
        assessment = model.assessment
        self.shown_assessment = assessment
        assessed = is_assessed(model.answers, overridden=model.override is not None)
        large = len(model.rule_set.rules) >= LARGE_RULE_SET
        self.outcome.show_assessment(
            assessment, model.rule_set, model.view, assessed=assessed, missing_ready=not large
        )
        if large and assessed:
            run_in_background(
                lambda: (assessment.missing, assessment.to_check),
                lambda _: self._on_missing_ready(assessment),
                lambda error: self.outcome.show_assessment(
                    assessment, model.rule_set, model.view
                ),  # the UI thread tries again, and says why if it fails
            )

    def _on_missing_ready(self, assessment: Assessment) -> None:
        if assessment is self.shown_assessment:  # not replaced by a newer answer meanwhile
            model = self.model
            self.outcome.show_assessment(assessment, model.rule_set, model.view)

    # -- widgets → model -------------------------------------------------------------

    def keep_typing(self) -> None:
        """Send what is still being typed (notes, the label, a number) to the model."""
        self.notes_timer.stop()
        self.undo.notes(self.notes.toPlainText())
        self.undo.label(self.settings.patient.text())
        for page in self.pages:
            if page is not None:
                page.commit_typing()

    def show_restored(self, kind: str, key: str) -> None:
        """After an undo or redo of ``kind`` ("answer" of question ``key``, "notes" or
        "label"): show it, even in the field being typed in."""
        model = self.model
        if kind == "notes" and self.notes.toPlainText() != model.consultation.notes:
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(model.consultation.notes)
        elif kind == "label":
            self.settings.show_label(model.consultation.patient_label, force=True)
        elif kind == "answer":
            self.jump_to_question(key)

    # -- layout ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_WIDTH
        wanted = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if self.body.orientation() != wanted:
            self.body.setOrientation(wanted)
            self._arrange(narrow)
            width = event.size().width()
            self.splitter.setSizes([width * (1 if narrow else 2) // 7, width])
            height = event.size().height()
            self.body.setSizes([height * 3, height * 2])

    @property
    def narrow(self) -> bool:
        """Is the outcome shown under the questions rather than beside them?"""
        return self.body.orientation() == Qt.Orientation.Vertical

    def move_divider(self, step: int) -> None:
        """Give the outcome ``step`` dividers' worth more room (less, if negative)."""
        first, second = self.body.sizes()
        moved = max(-first + 1, min(second - 1, -step * DIVIDER_STEP))
        self.body.setSizes([first + moved, second - moved])
