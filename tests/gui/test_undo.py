"""Undo and redo by Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y): answers, notes, label, override."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from decision_aid.gui.main_window import MainWindow
from tests.gui.conftest import WindowFactory

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def undo(qtbot: QtBot) -> None:
    qtbot.keyClick(focus(), Qt.Key.Key_Z, CTRL)


def redo(qtbot: QtBot, *, key: Qt.Key = Qt.Key.Key_Z) -> None:
    qtbot.keyClick(focus(), key, CTRL_SHIFT if key == Qt.Key.Key_Z else CTRL)


def answers(window: MainWindow) -> dict[str, object]:
    assert window.model is not None
    return dict(window.model.consultation.answers)


def test_an_answer_is_undone_and_redone_and_the_menu_names_it(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    window.view.jump_to_question("cardiovascular")
    assert window.undo.undo_action.text() == "&Undo"
    assert not window.undo.undo_action.isEnabled()
    qtbot.keyClick(focus(), "4")
    assert answers(window) == {"cardiovascular": "poorly_controlled"}
    assert window.undo.undo_action.text() == "&Undo answer: Heart and blood pressure"
    assert "Ctrl+Z" in window.undo.undo_action.toolTip()
    qtbot.keyClick(focus(), Qt.Key.Key_Delete)
    assert answers(window) == {}
    undo(qtbot)
    assert answers(window) == {"cardiovascular": "poorly_controlled"}, "Delete is undone"
    undo(qtbot)
    assert answers(window) == {}
    assert window.undo.redo_action.text() == "&Redo answer: Heart and blood pressure"
    redo(qtbot)
    assert answers(window) == {"cardiovascular": "poorly_controlled"}
    redo(qtbot, key=Qt.Key.Key_Y)
    assert answers(window) == {}
    assert window.view.page(2).widgets["cardiovascular"].not_known_button is not None
    assert not any(b.isChecked() for b in window.view.page(2).widgets["cardiovascular"].options)


def test_undo_shows_the_question_it_changed(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(focus(), "1")  # diagnosis: CRPS
    qtbot.keyClick(focus(), Qt.Key.Key_3, CTRL)  # the safety section
    undo(qtbot)
    assert answers(window) == {}
    assert window.view.sections.currentRow() == 0
    assert window.view.page(0).widgets["diagnosis"].isAncestorOf(focus())


def test_a_number_typed_is_one_step_and_undo_reaches_the_field_being_typed(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    window.view.jump_to_question("age")
    field = window.view.page(2).widgets["age"].number
    assert field is not None
    qtbot.keyClicks(field, "5")
    qtbot.waitUntil(lambda: answers(window) == {"age": 5.0}, timeout=300)
    qtbot.keyClicks(field, "3")  # undone at once, before it settled: still one step
    undo(qtbot)
    assert answers(window) == {}
    assert field.text() == ""
    redo(qtbot)
    assert answers(window) == {"age": 53.0}
    assert field.text() == "53"


def test_notes_and_label_are_undone_while_being_typed(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    assert window.model is not None
    window.view.settings.patient.setFocus()
    qtbot.keyClicks(window.view.settings.patient, "JD-14")
    undo(qtbot)  # in the field: the window's undo, not the field's own
    assert window.model.consultation.patient_label == ""
    assert window.view.settings.patient.text() == ""
    redo(qtbot)
    assert window.view.settings.patient.text() == "JD-14"
    window.view.notes.setFocus()
    qtbot.keyClicks(window.view.notes, "Prefers to wait.")
    undo(qtbot)
    assert window.model.consultation.notes == ""
    assert window.view.notes.toPlainText() == ""
    redo(qtbot)
    assert window.view.notes.toPlainText() == "Prefers to wait."
    assert window.undo.undo_action.text() == "&Undo notes"


def test_an_override_is_undone_and_redone(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    assert window.model is not None
    window.undo.override(("refer_first", "Wants a second opinion.", "Dr A. Test"))
    assert window.undo.undo_action.text() == "&Undo override"
    undo(qtbot)
    assert window.model.consultation.override is None
    assert window.view.outcome.override.isHidden()
    redo(qtbot)
    override = window.model.consultation.override
    assert override is not None
    assert (override.level, override.reason) == ("refer_first", "Wants a second opinion.")
    window.menus.clear_override_action.trigger()
    undo(qtbot)
    assert window.model.consultation.override is not None
    with pytest.raises(ValueError, match="reason"):
        window.undo.override(("refer_first", "  ", "Dr A. Test"))
    assert window.undo.redo_action.text() == "&Redo withdraw override", "a refused edit is not kept"


def test_a_new_consultation_starts_a_new_history(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    qtbot.keyClick(focus(), "1")
    qtbot.keyClick(focus(), Qt.Key.Key_N, CTRL)
    assert not window.undo.undo_action.isEnabled()
    undo(qtbot)
    assert answers(window) == {}


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    """One window for every example (each starts a new consultation with Ctrl+N)."""
    return make_window()


KEYS = ["1", "2", "3", "4", "0", "n", "delete"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pressed=st.lists(st.sampled_from(KEYS), min_size=1, max_size=8))
def test_undo_walks_back_through_every_change_and_redo_forward(
    window: MainWindow, qtbot: QtBot, pressed: list[str]
) -> None:
    qtbot.keyClick(focus(), Qt.Key.Key_N, CTRL)
    window.view.jump_to_question("liver")
    options = ["none", "at_risk", "moderate", "severe", "unknown", "unknown", None]
    states: list[object] = [None]
    for key in pressed:
        if key == "delete":
            qtbot.keyClick(focus(), Qt.Key.Key_Delete)
        else:
            qtbot.keyClick(focus(), key)
        value = options[KEYS.index(key)]
        if value != states[-1]:
            states.append(value)
        assert answers(window).get("liver") == states[-1]
    for state in reversed(states[:-1]):
        undo(qtbot)
        assert answers(window).get("liver") == state
    assert not window.undo.undo_action.isEnabled()
    for state in states[1:]:
        redo(qtbot)
        assert answers(window).get("liver") == state
