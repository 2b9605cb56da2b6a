"""The window for whoever sits in front of it: it fits the screen, speaks to the patient,
keeps rule ids and the author's tools out of the way, and says where the answers are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.gui import actions, files
from decision_aid.gui.consultation_view import ConsultationView
from decision_aid.gui.state import ConsultationModel, utc_now
from decision_aid.gui.undo import Undo
from decision_aid.interchange.fhir import Subject
from decision_aid.storage.autosave import Autosave
from tests.conftest import BUNDLED
from tests.gui.conftest import WindowFactory

RULES = load_rule_set(BUNDLED)


def test_the_actions_work_on_a_model_without_a_window(tmp_path: Path) -> None:
    model = ConsultationModel(
        RULES, Consultation.new(RULES, now=utc_now()), Autosave(tmp_path / "data")
    )
    assert actions.first_missing(model) is not None
    model.set_answer("diagnosis", "crps")
    text = actions.test_case_text(model)
    assert "diagnosis: crps" in text
    written = actions.fhir_files(model, None, tmp_path / "x.json", Subject())
    assert sorted(p.name for p in written) == ["x.json", "x.questionnaire.json"]
    assert b'"status": "in-progress"' in written[tmp_path / "x.json"]
    assert model.unsaved
    model.save_to(tmp_path / "c.json")
    assert not model.unsaved
    assert model.saved_path == tmp_path / "c.json"


def test_the_window_fits_the_available_screen(make_window: WindowFactory) -> None:
    window = make_window()
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    area = screen.availableGeometry()
    assert window.width() <= area.width()
    assert window.height() <= area.height()


def test_a_narrow_window_puts_the_outcome_under_the_questions(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    window.resize(700, 450)  # 1440x900 at 200%
    qtbot.waitUntil(lambda: window.view.narrow)
    area = window.view.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    qtbot.waitUntil(lambda: window.view.page(0).width() <= area.viewport().width())
    assert not area.horizontalScrollBar().isVisible(), "the questions scroll sideways"
    assert window.view.tabs.isVisible(), "the outcome and the notes are in tabs"
    window.resize(1280, 700)
    qtbot.waitUntil(lambda: not window.view.narrow)


@pytest.mark.parametrize("width", [1100, 1000, 800, 600])
def test_the_outcome_s_words_are_never_cut_off_when_the_window_narrows(
    make_window: WindowFactory, qtbot: QtBot, width: int
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    model.set_answer("cardiovascular", "poorly_controlled")
    badge = window.view.outcome.badge
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: badge.width() > 300)
    window.resize(width, 700)
    qtbot.wait(50)  # the layout settles

    assert "Not suitable at the moment" in badge.text()
    assert badge.height() >= badge.heightForWidth(badge.width()), "the words are cut off"
    assert badge.heightForWidth(160) > badge.heightForWidth(600), "the words do not wrap"


def test_the_divider_moves_by_keyboard(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    before = window.view.body.sizes()
    qtbot.keyClick(
        window,
        Qt.Key.Key_Left,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    after = window.view.body.sizes()
    assert after[1] > before[1], "the outcome got wider"


def test_a_blank_form_is_not_assessed_yet(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    assert "Not assessed yet" in window.view.outcome.badge.text()
    assert "More checks needed first" not in window.view.outcome.badge.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    assert "Not assessed yet" not in window.view.outcome.badge.text()


def test_rule_ids_show_only_with_the_details_switch_and_it_is_remembered(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    window.model.set_answer("crps_budapest", "yes")
    assert not window.menus.details_action.isChecked()
    assert "[ind-crps" not in window.view.outcome.details.toPlainText()
    window.menus.details_action.trigger()
    assert "[ind-crps" in window.view.outcome.details.toPlainText()
    again = make_window()
    assert again.menus.details_action.isChecked()


def test_the_shortcut_list_offers_only_the_sections_there_are(make_window: WindowFactory) -> None:
    window = make_window()
    lines = window.menus.shortcut_lines()
    count = len(RULES.questionnaire.sections)
    assert f"Section {count}: Ctrl+{count}" in lines
    assert f"Section {count + 1}: Ctrl+{count + 1}" not in lines


def test_the_authors_menu_shows_for_a_draft_set(make_window: WindowFactory) -> None:
    window = make_window()  # the bundled set is a draft
    assert window.menus.author_menu.menuAction().isVisible()
    window.menus.show_author(approved=True)
    assert not window.menus.author_menu.menuAction().isVisible()
    window.menus.author_menu_action.trigger()
    assert window.menus.author_menu.menuAction().isVisible()


def test_saved_says_where(make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    assert "Kept on this computer" in window.status.save_label.text()
    assert "not saved to a file" in window.status.save_label.text()
    assert files.write(window, tmp_path / "jd.json")
    assert window.status.save_label.text() == "Saved to jd.json"
    window.model.set_answer("diagnosis", "sci")
    assert "changes not saved to jd.json" in window.status.save_label.text()


def test_every_setting_has_a_choice(make_window: WindowFactory) -> None:
    window = make_window()
    view: ConsultationView = window.view
    assert set(view.settings.choices) == {s.id for s in RULES.info.settings}


def test_a_large_rule_set_works_out_what_is_missing_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from bench.bench_generated import generate
    from decision_aid.gui.consultation_view import LARGE_RULE_SET
    from decision_aid.gui.outcome_panel import WORKING

    rule_set = generate(LARGE_RULE_SET)
    model = ConsultationModel(
        rule_set, Consultation.new(rule_set, now=utc_now()), Autosave(tmp_path / "data")
    )
    holder = QWidget()
    qtbot.addWidget(holder)
    undo = Undo(holder, lambda: None)
    undo.bind(model)
    view = ConsultationView(model, [], undo)
    qtbot.addWidget(view)
    question = next(rule_set.questionnaire.questions())
    model.set_answer(question.id, question.options[0].id)
    view.refresh()

    def shown() -> str:
        return view.outcome.details.toPlainText()

    assert WORKING in shown(), "the panel did not wait for the worker"
    qtbot.waitUntil(lambda: WORKING not in shown(), timeout=30000)
    assert model.assessment.missing, "a generated set with one answer misses something"
    assert model.assessment.missing[0].label in shown()


def test_a_section_is_built_when_first_shown(make_window: WindowFactory, qtbot: QtBot) -> None:
    window = make_window()
    assert window.view.pages[0] is not None
    assert all(page is None for page in window.view.pages[1:]), "built before it was needed"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.view.pages[1] is not None
    assert window.view.sections.currentRow() == 1


def test_the_details_switch_is_in_the_view_menu_by_keyboard(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    assert menu is not None
    qtbot.keyClick(menu, Qt.Key.Key_D)
    assert window.menus.details_action.isChecked()
