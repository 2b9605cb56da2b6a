"""The override by keyboard alone: the clinician's name asked once, the view recorded beside
the rule outcome, marked for review when the answers change, then confirmed or withdrawn."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from decision_aid.governance.audit import AuditLog
from decision_aid.gui import actions
from decision_aid.gui.main_window import MainWindow
from decision_aid.gui.override_dialog import OverrideDialog
from decision_aid.gui.preferences import clinician_name
from decision_aid.present.wording import REVIEW
from tests.gui.conftest import WindowFactory

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Run ``act`` on the modal dialog of ``kind`` once it is up (dialogs open in turn)."""

    def check() -> None:
        active = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if isinstance(active, kind) and focus is not None and active.isAncestorOf(focus):
            act(active)  # keys go to the focus, as a clinician's do: wait until it is there
            return
        if isinstance(active, kind):
            active.activateWindow()
        QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _override_by_keys(qtbot: QtBot, window: MainWindow, *, name: str | None) -> None:
    """Ctrl+Shift+O, [type the name, Enter], pick "Not suitable" by type-ahead, Tab, the
    reason, Tab to OK, Enter."""

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OverrideDialog)
        qtbot.keyClicks(_focus(), "Not")  # the outcome box has the focus: type-ahead
        assert dialog.level.currentData() == "not_suitable_now"
        qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
        qtbot.keyClicks(_focus(), "Prefers to wait for the programme.")
        qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
        qtbot.keyClick(_focus(), Qt.Key.Key_Return)

    def give_name(dialog: QWidget) -> None:
        assert name is not None
        qtbot.keyClicks(_focus(), name)
        qtbot.keyClick(_focus(), Qt.Key.Key_Return)
        _when_shown(OverrideDialog, fill)

    _when_shown(QInputDialog, give_name) if name is not None else _when_shown(OverrideDialog, fill)
    _press_override(qtbot, window)


def _review_by_keys(qtbot: QtBot, window: MainWindow, mnemonic: Qt.Key) -> None:
    def choose(box: QWidget) -> None:
        assert box.objectName() == "override-review"
        qtbot.keyClick(box, mnemonic)  # a message box takes its mnemonics without Alt too

    _when_shown(QMessageBox, choose)
    _press_override(qtbot, window)


def _press_override(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Shift+O, once the window has the keyboard again (a dialog just closed)."""
    assert window.menus.override_action.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)


def _events(folder: Path) -> list[str]:
    return [str(e.data["event"]) for e in AuditLog(folder / "audit").verify().entries]


def test_an_override_by_keyboard_is_bound_to_its_answers_and_reviewed_when_they_change(
    make_window: WindowFactory, qtbot: QtBot, private_data_dir: Path
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    model.set_answer("diagnosis", "crps")  # an outcome to override
    _override_by_keys(qtbot, window, name="Dr Ada Lovelace")
    override = model.consultation.override
    assert override is not None
    assert (override.level, override.reason, override.clinician) == (
        "not_suitable_now",
        "Prefers to wait for the programme.",
        "Dr Ada Lovelace",
    )
    assert override.replaced is not None
    assert override.replaced.outcome == model.assessment.outcome.id
    assert clinician_name() == "Dr Ada Lovelace", "asked once, kept"
    shown = window.view.outcome.override.text()
    assert "Clinician's view:</b> \u25a0 Not suitable at the moment" in shown
    assert REVIEW not in shown

    model.set_answer("age", 70)  # the answers change after the override
    assert REVIEW in window.view.outcome.override.text()
    assert window.model is not None
    sheet = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(actions.sheet_job(window.model, window.approval)())).pages
    )
    assert "NOT CURRENT" in " ".join(sheet.split())

    _review_by_keys(qtbot, window, Qt.Key.Key_C)  # confirm: the name is not asked again
    assert REVIEW not in window.view.outcome.override.text()
    assert [(o.level, o.confirmed) for o in model.consultation.overrides] == [
        ("not_suitable_now", False),
        ("not_suitable_now", True),
    ]

    model.set_answer("age", 71)
    _review_by_keys(qtbot, window, Qt.Key.Key_W)  # withdraw
    assert model.consultation.override is None
    assert window.view.outcome.override.isHidden()
    assert len(model.consultation.overrides) == 2, "withdrawn, still in the history"
    assert model.consultation.overrides[-1].withdrawn is not None

    _override_by_keys(qtbot, window, name=None)  # a second override: the name is kept
    assert len(model.consultation.overrides) == 3
    assert _events(private_data_dir)[1:] == [
        "override-set",
        "override-confirmed",
        "override-cleared",
        "override-set",
    ]


def _undo(qtbot: QtBot, window: MainWindow, *, redo: bool = False) -> None:
    """Ctrl+Z (Ctrl+Shift+Z), once the window has the keyboard again."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Z, CTRL_SHIFT if redo else Qt.KeyboardModifier.ControlModifier)


def test_reviewing_an_override_is_undone_and_redone_by_keyboard(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    model.set_answer("diagnosis", "crps")  # an outcome to override
    _override_by_keys(qtbot, window, name="Dr Ada Lovelace")
    model.set_answer("age", 70)
    _review_by_keys(qtbot, window, Qt.Key.Key_C)  # confirm
    assert window.undo.undo_action.text() == "&Undo confirm override"
    _undo(qtbot, window)
    assert REVIEW in window.view.outcome.override.text(), "undone: it needs review again"
    assert model.view is not None
    assert not model.view.current
    assert window.undo.redo_action.text() == "&Redo confirm override"
    _undo(qtbot, window, redo=True)
    assert REVIEW not in window.view.outcome.override.text()
    assert model.view is not None
    assert model.view.current

    model.set_answer("age", 71)
    _review_by_keys(qtbot, window, Qt.Key.Key_W)  # withdraw
    assert model.consultation.override is None
    assert window.undo.undo_action.text() == "&Undo withdraw override"
    _undo(qtbot, window)
    override = model.consultation.override
    assert override is not None, "undone: the override stands again"
    assert (override.level, override.reason) == (
        "not_suitable_now",
        "Prefers to wait for the programme.",
    )
    assert REVIEW in window.view.outcome.override.text(), "never current without a review"
    _undo(qtbot, window, redo=True)
    assert model.consultation.override is None
    assert window.view.outcome.override.isHidden()
    assert all(
        o.reason == "Prefers to wait for the programme." for o in model.consultation.overrides
    )
    assert len(model.consultation.overrides) == 5, "every step stays in the history"


def test_a_blank_form_has_no_outcome_to_override(make_window: WindowFactory) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    button = next(b for b in window.findChildren(QPushButton) if b.text() == "Override…")
    assert not window.menus.override_action.isEnabled(), "no outcome was shown yet"
    assert not button.isEnabled()
    model.set_answer("diagnosis", "not_established")
    assert window.menus.override_action.isEnabled()
    assert button.isEnabled()
