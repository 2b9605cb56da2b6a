"""The consultation window: composition and lifecycle. It loads the rule set (or shows its
problems), puts the consultation view, the menus and the status line together, keeps them
in step with the model, and asks before closing.

What each command does lives beside it: :mod:`~decision_aid.gui.actions` (plain
functions of the model), :mod:`~decision_aid.gui.files`, :mod:`~decision_aid.gui.exports`,
:mod:`~decision_aid.gui.overrides`, :mod:`~decision_aid.gui.printing` (the dialogs) and
:mod:`~decision_aid.gui.menus` (the actions and menus).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from decision_aid.domain.errors import DecisionAidError, RuleSetError
from decision_aid.gui import actions, files
from decision_aid.gui.dialogs import show_error, show_message
from decision_aid.gui.error_panel import ErrorPanel
from decision_aid.gui.menus import WindowMenus
from decision_aid.gui.rule_watcher import RuleWatcher
from decision_aid.gui.screen import fit_to_screen
from decision_aid.gui.status import StatusLine
from decision_aid.gui.text import literal_title
from decision_aid.gui.theme import style_sheet
from decision_aid.gui.undo import Undo
from decision_aid.present.wording import assessed
from decision_aid.storage.autosave import Autosave, Pending

if TYPE_CHECKING:
    from decision_aid.domain.consultation import Consultation
    from decision_aid.governance.approval import ApprovalState
    from decision_aid.gui.consultation_view import ConsultationView
    from decision_aid.gui.state import ConsultationModel

# The rule-set models take a quarter of a second to build, so the modules that need
# them are imported where they are first used: the window is shown before that.

__all__ = ["PREFERRED_SIZE", "MainWindow"]

PREFERRED_SIZE = QSize(1280, 820)
"""The first size where the screen has room; else the screen's available area."""


class MainWindow(QMainWindow):
    """The whole consultation. ``model`` is None while the rule set is broken."""

    loaded = Signal()
    """After the rule set was loaded (or found broken): the window is ready to use."""
    sheet_shown = Signal(QWidget)
    """The discussion sheet's preview, just before it opens (drawn off the UI thread)."""

    ask_save: Callable[[QWidget], QMessageBox.StandardButton] = staticmethod(files.ask_save)
    """The question before a consultation kept in no file is left (tests answer it)."""

    def __init__(self, rules_dir: Path, autosave: Autosave, *, defer_load: bool = False) -> None:
        """``defer_load`` shows the window first and loads the rule set just after."""
        super().__init__()
        self.setObjectName("main-window")
        self.setStyleSheet(style_sheet(self.fontMetrics().height()))
        if fit_to_screen(self, PREFERRED_SIZE):  # a small screen: all of it
            self.setWindowState(Qt.WindowState.WindowMaximized)
        self.rules_dir = rules_dir
        self.autosave = autosave
        self.save_folder = files.SaveFolder()
        self.model: ConsultationModel | None = None
        self.kept: Consultation | None = None
        """The consultation outlives a broken rule set: kept here while there is no model."""
        self.approval: ApprovalState | None = None
        self.approval_day = date.today()  # the day it was worked out: expiry is by date
        self.central = QStackedWidget()
        self.setCentralWidget(self.central)
        self.error_panel = ErrorPanel()
        self.error_panel.reload_button.clicked.connect(lambda: self.reload_rules())  # noqa: PLW0108 - drop the bool
        self.status = StatusLine(self.statusBar())
        self.undo = Undo(self, lambda: self.view.keep_typing() if self.model else None)
        self.undo.restored.connect(self._on_restored)
        self.menus = WindowMenus(self)
        self.watcher = RuleWatcher(rules_dir, self)
        self.watcher.changed.connect(self._on_rules_changed)
        self.pending_load = defer_load
        if defer_load:
            waiting = QLabel("Loading the rule set…")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.central.addWidget(waiting)
            self.menus.set_consultation_enabled(False)
        else:
            self.load_rules(carry=None)

    @property
    def view(self) -> ConsultationView:
        """The consultation shown (there is one whenever ``model`` is not None)."""
        view = self.central.currentWidget()
        assert view is not self.error_panel
        assert view is not None
        return view  # type: ignore[return-value]

    # -- the rule set ----------------------------------------------------------------

    def load_rules(self, carry: Consultation | None) -> None:
        """(Re)load the rule set; on problems show them and give no outcome."""
        from decision_aid.domain import load_rule_set
        from decision_aid.domain.consultation import Consultation
        from decision_aid.governance.approval import approval_state, refusal_problem
        from decision_aid.gui.consultation_view import ConsultationView
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
        model = ConsultationModel(
            rule_set, carry or Consultation.new(rule_set, now=utc_now()), self.autosave
        )
        view = ConsultationView(
            model, [self.menus.override_action, self.menus.print_action], self.undo
        )
        view.outcome.set_show_sources(self.menus.details_action.isChecked())
        view.outcome.show_approval(None if approval.approved else approval.describe())
        self._replace_central(view)
        self.model = model
        self.undo.bind(model)
        model.changed.connect(self.refresh)
        model.saved.connect(self._on_kept)
        self.menus.set_consultation_enabled(True)
        self.menus.show_sections(len(rule_set.questionnaire.sections))
        self.menus.show_author(approved=approval.approved)
        self.refresh()
        view.show_section(0)
        # Not needed for the first paint: recorded once the window is on screen.
        QTimer.singleShot(0, lambda: self.audit("rule-set-loaded", quiet=True))
        self.loaded.emit()

    def _replace_central(self, shown: QWidget) -> None:
        while self.central.count():
            old = self.central.widget(0)
            assert old is not None
            self.central.removeWidget(old)
            if old is not self.error_panel:
                old.deleteLater()
        self.central.addWidget(shown)
        self.central.setCurrentWidget(shown)

    def _show_broken(self, error: RuleSetError) -> None:
        if self.model is not None:
            self.kept = self.model.consultation
        self.model, self.approval = None, None
        self.undo.bind(None)
        self.error_panel.show_problems(str(self.rules_dir), error.problems)
        self._replace_central(self.error_panel)
        self.error_panel.problems.setFocus()
        self.setWindowTitle("decision-aid — the rule set cannot be used")
        self.status.show_broken()
        self.menus.set_consultation_enabled(False)
        self.menus.show_author(approved=False)
        self.loaded.emit()

    def reload_rules(self, *, quiet: bool = False) -> None:
        """Re-read the rule set, keeping the consultation; say what no longer fits."""
        self.load_rules(carry=self.model.consultation if self.model else self.kept)
        model = self.model
        if model is None or not model.notices:
            return
        if quiet:
            self.status.tell(" ".join(model.notices), 8000)
        else:
            show_message(self, "The rule set changed", "\n\n".join(model.notices))
        # Acknowledged: from now on the consultation belongs to the reloaded rule set.
        model.replace(model.consultation.with_rule_set(model.rule_set, now=model.clock()))

    def _on_restored(self, kind: str, key: str) -> None:
        """After an undo or redo: show what changed, and record an override's change."""
        if self.model is None:
            return
        if kind == "override":
            self.audit("override-set" if self.model.consultation.override else "override-cleared")
        else:
            self.view.show_restored(kind, key)

    def watch_rules(self) -> None:
        self.watcher.set_watching(self.menus.watch_action.isChecked())

    def _on_rules_changed(self) -> None:
        self.status.tell("The rule files changed: reloaded", 4000)
        self.reload_rules(quiet=True)

    # -- the consultation ------------------------------------------------------------

    def refresh(self) -> None:
        model = self.model
        if model is None:
            return
        self.view.refresh()
        overridden = model.consultation.override is not None
        self.menus.clear_override_action.setEnabled(overridden)
        # A blank form has no outcome to override: nothing the clinician was shown.
        self.menus.override_action.setEnabled(overridden or assessed(model.answers))
        assert self.approval is not None
        approval, self.approval_day = actions.current_approval(
            model, self.approval, self.approval_day
        )
        if approval is not self.approval:
            self.approval = approval
            self.view.outcome.show_approval(None if approval.approved else approval.describe())
        info, patient = model.rule_set.info, model.consultation.patient_label
        flags = "".join(f" · {flag}" for flag in approval.flags())
        title = f"decision-aid — {info.title} · v{info.version}{flags}"
        self.setWindowTitle(literal_title(title + (f" — {patient}" if patient else "")))
        self.status.show_rule_set(info, approval)
        self.status.show_progress(model.progress)

    def _on_kept(self, ok: bool, text: str) -> None:
        if self.model is not None:
            self.status.show_kept(ok, text, self.model.saved_path, self.model.unsaved)

    def show_details(self, shown: bool) -> None:
        if self.model is not None:
            self.view.outcome.set_show_sources(shown)

    def jump_to_first_missing(self) -> None:
        if self.model is not None and (question := actions.first_missing(self.model)):
            self.view.jump_to_question(question)

    def restore(self, pending: Pending) -> None:
        """Continue an unfinished consultation found in the autosave folder, in its own file."""
        model = self.model
        if model is None:
            return
        self.autosave.discard(model.consultation)
        try:
            self.autosave.claim(pending)
        except DecisionAidError as error:  # another window took it since it was offered
            show_error(self, "The consultation was not restored", error)
            model.save_now()
            return
        model.start(pending.consultation)
        if model.notices:
            show_message(self, "Restored with changes", "\n\n".join(model.notices))

    def audit(self, event: str, target: str = "", *, quiet: bool = False) -> None:
        """Record ``event`` in the audit trail (beside the autosaves); say so if it fails:
        in a dialog after something the clinician did, in the status bar (``quiet``) after
        a load, which must never block the window from opening."""
        if self.model is None:
            return
        try:
            actions.audit(
                self.model, self.approval, self.autosave.folder.parent / "audit", event, target
            )
        except DecisionAidError as error:
            if quiet:
                self.status.tell(f"Not recorded in the audit trail: {error}")
            else:
                show_error(self, "Not recorded in the audit trail", error)

    # -- lifecycle -------------------------------------------------------------------

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
            self.view.show_section(max(0, self.view.sections.currentRow()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if files.may_leave(self):
            event.accept()
        else:
            event.ignore()
