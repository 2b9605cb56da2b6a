"""The consultation window: sections on the left, questions in the middle, the live
outcome on the right, and a status line that says when the answers were last saved.

The window holds a :class:`ConsultationModel` and re-renders from it on ``changed``;
every action is a method here with a shortcut shown in its menu entry and tooltip.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from decision_aid.domain.errors import DecisionAidError, RuleSetError
from decision_aid.gui.dialogs import OverrideDialog, show_error, show_message
from decision_aid.gui.error_panel import ErrorPanel
from decision_aid.gui.outcome_panel import OutcomePanel
from decision_aid.gui.text import literal_mnemonic, literal_title, plain_label, plain_tooltip
from decision_aid.gui.theme import style_sheet
from decision_aid.gui.undo import TYPING_SETTLES_MS, Undo, leave_undo_to_window
from decision_aid.paths import documents_dir, safe_file_name
from decision_aid.storage import (
    Autosave,
    Pending,
    read_consultation,
    write_consultation,
)
from decision_aid.writing import write_file, write_files

if TYPE_CHECKING:
    from decision_aid.domain import RuleSet
    from decision_aid.domain.consultation import Consultation
    from decision_aid.governance.approval import ApprovalState
    from decision_aid.gui.question_page import QuestionPage
    from decision_aid.gui.state import ConsultationModel

# The rule-set models take a quarter of a second to build, so the modules that need
# them are imported where they are first used: the window is shown before that.

__all__ = ["MainWindow"]


def _json_bytes(resource: dict[str, object]) -> bytes:
    return json.dumps(resource, indent=2, ensure_ascii=False).encode("utf-8")


_MARKS = {"not started": "○", "in progress": "◐", "complete": "✓"}


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class MainWindow(QMainWindow):
    """The whole consultation. ``model`` is None while the rule set is broken."""

    loaded = Signal()
    """After the rule set was loaded (or found broken): the window is ready to use."""

    last_folder: Path | None = None
    """The folder the user last chose to save into; the next save dialog starts there."""

    def __init__(self, rules_dir: Path, autosave: Autosave, *, defer_load: bool = False) -> None:
        """``defer_load`` shows the window first and loads the rule set just after."""
        super().__init__()
        self.setObjectName("main-window")
        self.setStyleSheet(style_sheet(self.fontMetrics().height()))
        self.rules_dir = rules_dir
        self.autosave = autosave
        self.model: ConsultationModel | None = None
        # The consultation outlives a broken rule set: kept here while there is no model.
        self.kept: Consultation | None = None
        self.shown_id: str | None = None
        self.pages: list[QuestionPage] = []
        self.saved_path: Path | None = None
        self.saved_version: object = None
        self.resize(1280, 820)
        self.central = QStackedWidget()
        self.setCentralWidget(self.central)
        self.error_panel = ErrorPanel()
        self.error_panel.reload_button.clicked.connect(lambda: self.reload_rules())  # noqa: PLW0108 - drop the bool
        self.save_label = plain_label("Not saved yet")  # may quote an error: plain text
        self.progress_label = plain_label()
        self.rules_label = plain_label()
        self.rules_label.setObjectName("rules-label")
        self.approval_label = plain_label()
        self.approval_label.setObjectName("approval-label")
        self.approval: ApprovalState | None = None
        self.approval_day: date | None = None  # the day it was worked out: expiry is by date
        for label in (self.save_label, self.progress_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.approval_label)
        self.statusBar().addPermanentWidget(self.rules_label)
        self.undo = Undo(self, self.commit_typing)
        self.undo.restored.connect(self._on_restored)
        self._make_actions()
        self.pending_load = defer_load
        if defer_load:
            waiting = QLabel("Loading the rule set…")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.central.addWidget(waiting)
            self._set_actions_enabled(False)
        else:
            self.load_rules(carry=None)

    # -- building ------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(
                f"{text.replace('&', '').rstrip('…')} ({action.shortcut().toString()})"
            )
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New consultation", key.New, self.new_consultation)
        self.open_action = self._action("&Open…", key.Open, self.open_file)
        self.save_action = self._action("&Save", key.Save, self.save_file)
        self.save_as_action = self._action("Save &as…", key.SaveAs, self.save_file_as)
        self.case_action = self._action(
            "Save the answers as a &test case…", None, self.save_test_case
        )
        self.export_action = self._action(
            "&Export for the health record (FHIR)…", "Ctrl+E", self.export_fhir
        )
        self.print_action = self._action(
            "&Print the discussion sheet…", key.Print, self.preview_sheet
        )
        self.quit_action = self._action("&Quit", key.Quit, self.close)
        self.override_action = self._action("&Override outcome…", "Ctrl+Shift+O", self.override)
        self.clear_override_action = self._action("&Clear override", None, self.clear_override)
        self.next_action = self._action(
            "&Next section", "Ctrl+PgDown", lambda: self.step_section(1)
        )
        self.previous_action = self._action(
            "&Previous section", "Ctrl+PgUp", lambda: self.step_section(-1)
        )
        self.missing_action = self._action(
            "First &missing answer", "Ctrl+M", self.jump_to_first_missing
        )
        self.reload_action = self._action("&Reload rules", key.Refresh, lambda: self.reload_rules())  # noqa: PLW0108
        self.watch_action = self._action("&Watch the rule files", None, self._on_watch_toggled)
        self.watch_action.setCheckable(True)
        self.watch_action.setToolTip("Reload the rule set whenever its files change")
        self.watcher = QFileSystemWatcher(self)
        self.watch_timer = QTimer(self)
        self.watch_timer.setSingleShot(True)
        self.watch_timer.setInterval(400)  # editors save in several steps
        self.watch_timer.timeout.connect(self._on_rules_changed)
        self.watcher.fileChanged.connect(self.watch_timer.start)
        self.watcher.directoryChanged.connect(self.watch_timer.start)
        self.outcome_action = self._action("The &outcome panel", "F6", self.toggle_outcome_focus)
        self.keys_action = self._action("&Keyboard shortcuts", None, self.show_keys)
        self.section_actions = [
            self._action(f"Section {n}", f"Ctrl+{n}", lambda _=False, i=n - 1: self.show_section(i))
            for n in range(1, 10)
        ]
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.new_action, self.open_action, self.save_action, self.save_as_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.case_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([self.undo.undo_action, self.undo.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.override_action)
        edit_menu.addAction(self.clear_override_action)
        view_menu = menus.addMenu("&View")
        for action in (
            self.next_action, self.previous_action, self.missing_action, self.outcome_action
        ):  # fmt: skip
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.reload_action)
        view_menu.addAction(self.watch_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.keys_action)

    def _build_consultation_view(self, rule_set: RuleSet) -> QWidget:
        view = QWidget()
        outer = QVBoxLayout(view)
        outer.addLayout(self._build_top_bar(rule_set))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self._build_sections(rule_set, splitter)
        splitter.addWidget(self._build_outcome_column())
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([230, 620, 430])
        outer.addWidget(splitter, 1)
        return view

    def _build_top_bar(self, rule_set: RuleSet) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.basis = QComboBox()
        self.basis.setObjectName("basis")
        basis_setting = (
            rule_set.setting("guideline_basis") or (rule_set.info.settings[:1] or [None])[0]
        )
        self.basis_setting = basis_setting.id if basis_setting else None
        if basis_setting is not None:
            for choice in basis_setting.choices:
                self.basis.addItem(choice.label, choice.id)
            basis_label = plain_label(f"&{literal_mnemonic(basis_setting.label)}:")
            basis_label.setBuddy(self.basis)
            self.basis.setAccessibleName(basis_setting.label)
            bar.addWidget(basis_label)
            bar.addWidget(self.basis)
        self.basis.currentIndexChanged.connect(self._on_basis_changed)
        bar.addStretch(1)
        self.patient = QLineEdit()
        self.patient.setObjectName("patient-label")
        self.patient.setMaxLength(40)
        self.patient.setPlaceholderText("initials or local reference")
        self.patient.setAccessibleName("Patient label")
        self.patient.editingFinished.connect(self._on_patient_edited)
        patient_label = QLabel("Patient &label:")
        patient_label.setBuddy(self.patient)
        bar.addWidget(patient_label)
        bar.addWidget(self.patient)
        return bar

    def _build_sections(self, rule_set: RuleSet, splitter: QSplitter) -> None:
        from decision_aid.gui.question_page import QuestionPage

        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.setAccessibleName("Sections")
        self.sections.setMinimumWidth(220)
        self.stack = QStackedWidget()
        self.pages = []
        for number, section in enumerate(rule_set.questionnaire.sections, start=1):
            page = QuestionPage(section)
            page.answered.connect(self._on_answered)
            page.leave.connect(self._on_leave)
            self.pages.append(page)
            self.stack.addWidget(_scrolled(page))
            self.sections.addItem(QListWidgetItem(f"{number}  {section.title}"))
        self.sections.setWordWrap(True)
        self.sections.currentRowChanged.connect(self.stack.setCurrentIndex)
        splitter.addWidget(self.sections)
        splitter.addWidget(self.stack)

    def _build_outcome_column(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.outcome = OutcomePanel()
        self.outcome.jump_to.connect(self.jump_to_question)
        right_layout.addWidget(self.outcome, 1)
        buttons = QHBoxLayout()
        override_button = QPushButton("Override…")
        override_button.setToolTip(self.override_action.toolTip())
        override_button.clicked.connect(self.override)
        print_button = QPushButton("Print…")
        print_button.setToolTip(self.print_action.toolTip())
        print_button.clicked.connect(self.preview_sheet)
        buttons.addWidget(override_button)
        buttons.addWidget(print_button)
        right_layout.addLayout(buttons)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName("Consultation notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(140)
        notes_label = QLabel("Consultation &notes:")
        notes_label.setBuddy(self.notes)
        right_layout.addWidget(notes_label)
        right_layout.addWidget(self.notes)
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(TYPING_SETTLES_MS)
        self.notes_timer.timeout.connect(self._on_notes_settled)
        self.notes.textChanged.connect(self.notes_timer.start)
        right.setMinimumWidth(360)
        return right

    # -- rule set ------------------------------------------------------------------------

    def load_rules(self, carry: Consultation | None) -> None:
        """(Re)load the rule set; on problems show them and give no outcome."""
        from decision_aid.domain import load_rule_set
        from decision_aid.domain.consultation import Consultation
        from decision_aid.governance.approval import approval_state, refusal_problem
        from decision_aid.gui.state import ConsultationModel, utc_now

        try:
            rule_set = load_rule_set(self.rules_dir)
        except RuleSetError as error:
            self._show_broken(error)
            return
        approval = approval_state(rule_set)
        if (refused := refusal_problem(rule_set, approval)) is not None:
            self._show_broken(RuleSetError([refused]))
            return
        self.approval, self.approval_day = approval, date.today()
        while self.central.count():
            old = self.central.widget(0)
            assert old is not None
            self.central.removeWidget(old)
            if old is not self.error_panel:
                old.deleteLater()
        view = self._build_consultation_view(rule_set)
        self.outcome.show_approval(None if approval.approved else approval.describe())
        self.central.addWidget(view)
        self.central.setCurrentWidget(view)
        consultation = carry or Consultation.new(rule_set, now=utc_now())
        self.model = ConsultationModel(rule_set, consultation, self.autosave)
        self.model.changed.connect(self.refresh)
        self.model.saved.connect(self._on_saved)
        self.undo.bind(self.model)
        for number, action in enumerate(self.section_actions):
            action.setEnabled(number < len(self.pages))
        leave_undo_to_window(self.notes, self.patient)
        self._set_actions_enabled(True)
        self.refresh()
        self.show_section(0)
        self._audit("rule-set-loaded", quiet=True)
        self.loaded.emit()

    def _show_broken(self, error: RuleSetError) -> None:
        if self.model is not None:
            self.kept = self.model.consultation
        self.model = None
        self.undo.bind(None)
        self.approval = None
        self.approval_label.setText("")
        self.error_panel.show_problems(str(self.rules_dir), error.problems)
        if self.central.indexOf(self.error_panel) < 0:
            self.central.addWidget(self.error_panel)
        self.central.setCurrentWidget(self.error_panel)
        self.error_panel.problems.setFocus()
        self.setWindowTitle("decision-aid — the rule set cannot be used")
        self.rules_label.setText("Rule set: PROBLEMS, no outcome")
        self.progress_label.setText("")
        self._set_actions_enabled(False)
        self.loaded.emit()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in (
            self.new_action, self.save_action, self.save_as_action, self.export_action,
            self.print_action, self.override_action, self.clear_override_action,
            self.next_action, self.previous_action, self.missing_action, self.open_action,
        ):  # fmt: skip
            action.setEnabled(enabled)

    def _on_watch_toggled(self, checked: bool) -> None:
        if checked:
            self._watch_paths()
        elif self.watcher.files() or self.watcher.directories():
            self.watcher.removePaths(self.watcher.files() + self.watcher.directories())

    def _watch_paths(self) -> None:
        from decision_aid.domain.loading import rule_set_files

        # An editor that saves by renaming drops the watched file: watch afresh each time.
        if self.watcher.files() or self.watcher.directories():
            self.watcher.removePaths(self.watcher.files() + self.watcher.directories())
        paths = [str(p) for p in rule_set_files(self.rules_dir) if p.exists()]
        paths += [str(d) for d in (self.rules_dir, self.rules_dir / "rules") if d.is_dir()]
        if paths:
            self.watcher.addPaths(paths)

    def _on_rules_changed(self) -> None:
        if self.watch_action.isChecked():
            self.statusBar().showMessage("The rule files changed: reloaded", 4000)
            self.reload_rules(quiet=True)
            self._watch_paths()

    def reload_rules(self, *, quiet: bool = False) -> None:
        """Re-read the rule set, keeping the consultation; say what no longer fits."""
        carry = self.model.consultation if self.model else self.kept
        self.load_rules(carry=carry)
        model = self.model
        if model is None or not model.notices:
            return
        if quiet:
            self.statusBar().showMessage(" ".join(model.notices), 8000)
        else:
            self._tell("The rule set changed", model.notices)
        # Acknowledged: from now on the consultation belongs to the reloaded rule set.
        model.replace(model.consultation.with_rule_set(model.rule_set, now=model.clock()))

    # -- model → widgets -----------------------------------------------------------------

    def refresh(self) -> None:
        model = self.model
        if model is None:
            return
        rule_set, progress = model.rule_set, model.progress
        unanswered = set(progress.unanswered_safety)
        for page in self.pages:
            page.refresh(model.answers, progress.displayed, unanswered)
        for row, (section, state) in enumerate(
            zip(rule_set.questionnaire.sections, progress.sections, strict=True)
        ):
            item = self.sections.item(row)
            unknown = f" · {state.not_known} not known" if state.not_known else ""
            item.setText(f"{_MARKS[str(state.state)]}  {row + 1}  {section.title}{unknown}")
            item.setToolTip(
                f"{state.state}: {state.answered} of {state.asked} answered, "
                f"{state.not_known} not known"
            )
        self.outcome.show_assessment(model.assessment, rule_set, model.override)
        with QSignalBlocker(self.basis):
            if self.basis_setting:
                self.basis.setCurrentIndex(
                    self.basis.findData(model.settings.get(self.basis_setting))
                )
        other = model.consultation.id != self.shown_id  # New, Open or Restore
        self.shown_id = model.consultation.id
        if other or not self.patient.hasFocus():
            self.patient.setText(model.consultation.patient_label)
        if (
            other or not self.notes.hasFocus()
        ) and self.notes.toPlainText() != model.consultation.notes:
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(model.consultation.notes)
        self.clear_override_action.setEnabled(model.consultation.override is not None)
        self._refresh_titles(rule_set)
        safety = len(progress.unanswered_safety) + len(progress.not_known_safety)
        done = f"{progress.complete_sections} of {len(progress.sections)} sections complete"
        self.progress_label.setText(
            f"{done} · safety: {len(progress.not_known_safety)} not known, "
            f"{len(progress.unanswered_safety)} not answered"
            if safety
            else f"{done} · all safety questions answered"
        )

    def _refresh_approval(self, model: ConsultationModel) -> None:
        """Work the approval out again on a new day: a review date may have passed."""
        from decision_aid.governance.approval import approval_state

        day = model.clock().astimezone().date()
        if self.approval is not None and day != self.approval_day:
            self.approval, self.approval_day = approval_state(model.rule_set, today=day), day
            self.outcome.show_approval(None if self.approval.approved else self.approval.describe())

    def _refresh_titles(self, rule_set: RuleSet) -> None:
        info = rule_set.info
        if self.model is not None:
            self._refresh_approval(self.model)
        approval = self.approval
        flags = list(approval.flags()) if approval else []
        flag_text = " · " + " · ".join(flags) if flags else ""
        patient = self.model.consultation.patient_label if self.model else ""
        title = f"decision-aid — {info.title} · v{info.version}{flag_text}"
        self.setWindowTitle(literal_title(title + (f" — {patient}" if patient else "")))
        self.rules_label.setText(f"Rule set {info.version}{flag_text}")
        mark = approval.describe() if approval else ""
        self.rules_label.setToolTip(
            plain_tooltip(
                f"{info.title} ({info.id} {info.version}), review by {info.review_by:%d %b %Y}"
            )
        )
        self.rules_label.setStyleSheet("font-weight:bold" if flags else "")
        if self.approval_label.text() != mark:
            self.approval_label.setText(mark)
            self.approval_label.setStyleSheet("font-weight:bold; color:#B00020" if flags else "")

    def _on_saved(self, ok: bool, text: str) -> None:
        if ok:
            self.save_label.setText(f"Saved {text}")
            self.save_label.setStyleSheet("")
        else:
            self.save_label.setText(f"NOT SAVED: {text}")
            self.save_label.setStyleSheet("font-weight:bold")

    # -- widgets → model -----------------------------------------------------------------

    def _on_answered(self, question_id: str, value: object) -> None:
        self.undo.answer(question_id, value)

    def _on_basis_changed(self, index: int) -> None:
        if self.model is not None and self.basis_setting and index >= 0:
            self.model.set_setting(self.basis_setting, str(self.basis.itemData(index)))

    def _on_patient_edited(self) -> None:
        self.undo.label(self.patient.text())

    def _on_notes_settled(self) -> None:
        self.undo.notes(self.notes.toPlainText())

    def commit_typing(self) -> None:
        """Give the model whatever is still being typed: notes, label, a number."""
        if self.model is None:
            return
        self.notes_timer.stop()
        self._on_notes_settled()
        self._on_patient_edited()
        for page in self.pages:
            page.commit_typing()

    def _on_restored(self, kind: str, key: str) -> None:
        """After an undo or redo: show what changed where a field was left alone."""
        model = self.model
        if model is None:
            return
        if kind == "notes" and self.notes.toPlainText() != model.consultation.notes:
            with QSignalBlocker(self.notes):
                self.notes.setPlainText(model.consultation.notes)
        elif kind == "label":
            self.patient.setText(model.consultation.patient_label)
        elif kind == "answer":
            self.jump_to_question(key)
        elif kind == "override":
            self._audit("override-set" if model.consultation.override else "override-cleared")

    # -- navigation ----------------------------------------------------------------------

    def show_section(self, index: int) -> None:
        if not self.pages or not 0 <= index < len(self.pages):
            return
        self.sections.setCurrentRow(index)
        first = self.pages[index].first_visible()
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
            if step < 0 and (last := self.pages[index].last_visible()) is not None:
                last.focus_first()

    def toggle_outcome_focus(self) -> None:
        """F6: to the outcome panel (PgUp/PgDn scroll it), and back to the questions."""
        if self.model is None:
            return
        if self.outcome.details.hasFocus():
            self.show_section(max(0, self.sections.currentRow()))
        else:
            self.outcome.details.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def jump_to_question(self, question_id: str) -> None:
        for index, page in enumerate(self.pages):
            widget = page.widgets.get(question_id)
            if widget is not None:
                self.sections.setCurrentRow(index)
                area = self.stack.currentWidget()
                if isinstance(area, QScrollArea):
                    area.ensureWidgetVisible(widget)
                widget.focus_first()
                return

    def jump_to_first_missing(self) -> None:
        model = self.model
        if model is None:
            return
        missing = [m.question_id for m in model.assessment.missing]
        missing += list(model.progress.unanswered_safety)
        if missing:
            self.jump_to_question(missing[0])

    # -- actions -------------------------------------------------------------------------

    def override(self) -> None:
        if self.model is None:
            return
        dialog = OverrideDialog(self.model.rule_set, self.model.assessment.outcome.id, self)
        if dialog.exec():
            level, reason = dialog.chosen()
            try:
                self.undo.override((level, reason))
            except ValueError as error:
                show_error(self, "Override not recorded", error)
            else:
                self._audit("override-set")

    def clear_override(self) -> None:
        if self.model is not None and self.model.consultation.override is not None:
            self.undo.override(None)
            self._audit("override-cleared")

    def new_consultation(self) -> None:
        from decision_aid.domain.consultation import Consultation
        from decision_aid.gui.state import utc_now

        if self.model is None or not self._may_leave_current():
            return
        self.model.replace(Consultation.new(self.model.rule_set, now=utc_now()))
        self.saved_path, self.saved_version = None, None
        self.show_section(0)

    def open_file(self) -> None:
        if self.model is None or not self._may_leave_current():
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a consultation", "", "Consultations (*.json)"
        )
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> None:
        if self.model is None:
            return
        try:
            consultation = read_consultation(path)
        except DecisionAidError as error:
            show_error(self, "Could not open the consultation", error)
            return
        self.model.replace(consultation)
        self.saved_path, self.saved_version = path, consultation.updated
        if self.model.notices:
            self._tell("Opened with changes", self.model.notices)

    def restore(self, pending: Pending) -> None:
        """Continue an unfinished consultation found in the autosave folder, in its own file."""
        if self.model is not None:
            self.autosave.discard(self.model.consultation)
            try:
                self.autosave.claim(pending)
            except DecisionAidError as error:  # another window took it since it was offered
                show_error(self, "The consultation was not restored", error)
                self.model.save_now()
                return
            self.saved_path, self.saved_version = None, None
            self.model.replace(pending.consultation)
            if self.model.notices:
                self._tell("Restored with changes", self.model.notices)

    def save_file(self) -> bool:
        if self.saved_path is None:
            return self.save_file_as()
        return self._write(self.saved_path)

    def save_file_as(self) -> bool:
        if self.model is None:
            return False
        label = self.model.consultation.patient_label
        suggested = safe_file_name(label, suffix=".json", fallback="consultation")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the consultation", self.suggest(suggested), "Consultations (*.json)"
        )
        return bool(name) and self._write(self.chosen(name))

    def suggest(self, name: str) -> str:
        """Where a save dialog starts: the last folder chosen, else the user's documents."""
        return str((self.last_folder or documents_dir()) / name)

    def chosen(self, name: str) -> Path:
        path = Path(name)
        self.last_folder = path.parent
        return path

    def _write(self, path: Path) -> bool:
        if self.model is None:
            return False
        try:
            write_consultation(path, self.model.consultation)
        except DecisionAidError as error:
            show_error(self, "The consultation was not saved", error)
            return False
        self.saved_path, self.saved_version = path, self.model.consultation.updated
        self.statusBar().showMessage(f"Saved to {path}", 5000)
        return True

    def save_test_case(self) -> None:
        """For rule authors: the current answers and outcome as a case file to review."""
        if self.model is None:
            return
        # Never into the rule set's own tests/ (under version control), never named
        # after the patient: the author moves a reviewed case there by hand.
        outcome = self.model.assessment.outcome.id
        default = safe_file_name(
            f"case {outcome}", suffix=".yaml", fallback="case", when=date.today()
        )
        name, _ = QFileDialog.getSaveFileName(
            self, "Save as a test case", self.suggest(default), "YAML (*.yaml)"
        )
        if name:
            self.write_test_case(self.chosen(name))

    def write_test_case(self, path: Path) -> bool:
        """Only the answers, settings and expectations: no label, no notes."""
        from decision_aid.authoring.cases import case_file_text
        from decision_aid.gui.state import utc_now

        assert self.model is not None
        model = self.model
        name = f"{model.assessment.outcome.label} (saved {utc_now():%Y-%m-%d %H:%M})"
        text = case_file_text(name, model.answers.to_data(), model.settings, model.assessment)
        try:
            write_file(path, text.encode("utf-8"))
        except DecisionAidError as error:
            show_error(self, "The test case was not saved", error)
            return False
        return True

    def export_fhir(self) -> None:
        if self.model is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export the answers (FHIR QuestionnaireResponse)",
            self.suggest("questionnaire-response.json"),
            "JSON (*.json)",
        )
        if name:
            self.export_to(self.chosen(name))

    def export_to(self, path: Path) -> tuple[Path, Path]:
        """Write the response to ``path`` and the questionnaire beside it, both or neither."""
        from decision_aid.domain.fhir import questionnaire_resource, response_resource

        assert self.model is not None
        model = self.model
        complete = not model.progress.unanswered_safety and all(
            s.state == "complete" for s in model.progress.sections
        )
        response = response_resource(
            model.rule_set, model.consultation, model.answers, complete=complete
        )
        questionnaire = questionnaire_resource(model.rule_set)
        if self.approval is not None:
            questionnaire["status"] = self.approval.fhir_status(questionnaire["status"])
        beside = path.with_name(path.stem + ".questionnaire.json")
        try:
            write_files({path: _json_bytes(response), beside: _json_bytes(questionnaire)})
        except DecisionAidError as error:
            show_error(self, "Export failed", error)
        else:
            self._audit("fhir-exported", str(path))
        return path, beside

    def sheet_pdf(self) -> bytes:
        """The discussion sheet for exactly what the window shows now."""
        from decision_aid.sheet import render

        assert self.model is not None
        model = self.model
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return render(
                model.assessment,
                model.answers,
                model.rule_set,
                override=model.override,
                approval=self.approval,
            )
        finally:
            QApplication.restoreOverrideCursor()

    def preview_sheet(self) -> None:
        """Print (Ctrl+P): preview the discussion sheet, then print or save it."""
        from decision_aid.gui.sheet_preview import SheetPreview

        if self.model is None:
            return
        label = self.model.consultation.patient_label
        name = safe_file_name(label, suffix=".pdf", fallback="discussion-sheet", when=date.today())
        try:
            preview = SheetPreview(
                self.sheet_pdf(), self.suggest(name), self, delivered=self._audit
            )
        except Exception as error:  # reportlab and PDFium share no error base
            show_error(self, "The sheet could not be made", f"It could not be drawn: {error}")
            return
        preview.exec()

    def _audit(self, event: str, target: str = "", *, quiet: bool = False) -> None:
        """Record ``event`` in the audit trail (beside the autosaves); say so if it fails:
        in a dialog after something the clinician did, in the status bar (``quiet``) after
        a load, which must never block the window from opening."""
        from decision_aid.governance.audit import AuditLog, consultation_event

        if self.model is None:
            return
        model = self.model
        try:
            AuditLog(self.autosave.folder.parent / "audit").append(
                consultation_event(
                    event,
                    rule_set=model.rule_set,
                    consultation=model.consultation,
                    assessment=model.assessment,
                    override=model.override,
                    approval=self.approval,
                    target=target,
                )
            )
        except DecisionAidError as error:
            if quiet:
                self.statusBar().showMessage(f"Not recorded in the audit trail: {error}")
            else:
                show_error(self, "Not recorded in the audit trail", error)

    def show_keys(self) -> None:
        from decision_aid.gui.question_page import KEYS_HELP

        sections = [a for a in self.section_actions if a.isEnabled()]
        lines = [
            f"{action.iconText()}: {', '.join(k.toString() for k in action.shortcuts())}"
            for action in self.actions()
            if not action.shortcut().isEmpty() and action not in self.section_actions
        ]
        if sections:
            lines.append(f"Ctrl+1…Ctrl+{len(sections)}: jump to a section")
        show_message(self, "Keyboard shortcuts", "\n".join([*lines, *KEYS_HELP]))

    def _tell(self, title: str, notices: tuple[str, ...]) -> None:
        show_message(self, title, "\n\n".join(notices))  # notices quote the file: plain text

    # -- closing -------------------------------------------------------------------------

    def _unsaved(self) -> bool:
        model = self.model
        consultation = model.consultation if model is not None else None
        if consultation is None or not (
            consultation.answers or consultation.set_aside or consultation.notes
        ):
            return False
        return self.saved_version != consultation.updated

    def _ask_save(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            "Save the consultation?",
            "This consultation has not been saved to a file. Save it first? If you discard "
            "it, its answers are deleted from this computer.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )

    def _may_leave_current(self) -> bool:
        """Ask before leaving a consultation that was never saved to a file."""
        self.commit_typing()  # what is still being typed belongs to this consultation
        if not self._unsaved():
            if self.model is not None:
                self.autosave.discard(self.model.consultation)
            return True
        answer = self._ask_save()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save and not self.save_file():
            return False
        if self.model is not None:
            self.autosave.discard(self.model.consultation)
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.pending_load and not event.spontaneous():
            # Focus set before the window is shown does not stick: set it once it is.
            QTimer.singleShot(0, self._focus_start)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.pending_load:  # the window is on screen: now load the rule set
            self.pending_load = False
            QTimer.singleShot(0, lambda: self.load_rules(carry=None))

    def _focus_start(self) -> None:
        if self.model is None:
            self.error_panel.problems.setFocus()
        else:
            self.show_section(max(0, self.sections.currentRow()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_leave_current():
            event.accept()
        else:
            event.ignore()
