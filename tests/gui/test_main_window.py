"""The consultation window, driven as a clinician would: by keyboard, mostly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from decision_aid.domain import load_rule_set, parse_answers
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.gui import actions, exports, files
from decision_aid.gui.main_window import MainWindow
from decision_aid.gui.override_dialog import OverrideDialog
from decision_aid.gui.preferences import set_clinician_name
from decision_aid.gui.question_page import QuestionWidget, option_keys
from tests.conftest import BUNDLED
from tests.gui.conftest import WindowFactory

CLEAN = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
RULES = load_rule_set(BUNDLED)


def question_of(widget: QWidget | None) -> QuestionWidget | None:
    while widget is not None and not isinstance(widget, QuestionWidget):
        widget = widget.parentWidget()
    return widget


def focus(qtbot: QtBot) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def tab_to(qtbot: QtBot, question_id: str) -> None:
    """Press Tab until the keyboard focus is on the question (as a clinician would)."""
    for _ in range(30):
        current = question_of(QApplication.focusWidget())
        if current is not None and current.question.id == question_id:
            return
        qtbot.keyClick(focus(qtbot), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {question_id}")


def answer_by_keyboard(qtbot: QtBot, window: MainWindow, answers: dict[str, object]) -> None:
    model = window.model
    assert model is not None
    for index, section in enumerate(model.rule_set.questionnaire.sections):
        qtbot.keyClick(
            focus(qtbot), getattr(Qt.Key, f"Key_{index + 1}"), Qt.KeyboardModifier.ControlModifier
        )
        assert window.view.sections.currentRow() == index
        for question in section.questions:
            if question.id not in answers or question.id not in model.progress.displayed:
                continue
            tab_to(qtbot, question.id)
            value = answers[question.id]
            if isinstance(value, int | float):
                qtbot.keyClicks(focus(qtbot), f"{value:g}")
                qtbot.keyClick(focus(qtbot), Qt.Key.Key_Tab)
            else:
                place = [o.id for o in question.choices].index(str(value))
                qtbot.keyClick(focus(qtbot), option_keys(len(question.choices))[place].lower())


def test_a_whole_consultation_by_keyboard_reaches_an_outcome(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    answer_by_keyboard(qtbot, window, CLEAN)
    model = window.model
    assert model is not None
    assert dict(model.answers) == dict(parse_answers(RULES.questionnaire, CLEAN))
    assert model.assessment.outcome.id == "suitable_to_discuss"
    assert "Worth discussing" in window.view.outcome.badge.text()
    assert window.status.save_label.text().startswith("Kept on this computer at ")


def test_branching_shows_and_hides_and_keeps_hidden_answers(make_window: WindowFactory) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    page = window.view.page(0)
    budapest = page.widgets["crps_budapest"]
    assert budapest.isHidden()
    model.set_answer("diagnosis", "crps")
    assert not budapest.isHidden()
    model.set_answer("crps_budapest", "yes")
    model.set_answer("diagnosis", "sci")
    assert budapest.isHidden()
    assert not window.view.page(1).widgets["neuropathic_meds_tried"].isHidden()
    assert "ind-crps" not in model.assessment.fired_ids
    model.set_answer("diagnosis", "crps")
    assert not budapest.isHidden()
    assert budapest.buttons[0].isChecked(), "the hidden answer came back with its question"


def test_not_known_on_a_safety_question_never_improves_the_outcome(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    for key, value in CLEAN.items():
        model.set_answer(key, value)
    before = RULES.level_rank[model.assessment.outcome.id]
    window.view.jump_to_question("cardiovascular")
    qtbot.keyClick(focus(qtbot), Qt.Key.Key_0)
    assert "cardiovascular" in model.answers.not_known
    assert RULES.level_rank[model.assessment.outcome.id] >= before
    assert model.assessment.outcome.id == "refer_first"
    assert window.view.outcome.missing_links()[0] == "cardiovascular"
    assert "Heart and blood pressure (not known)" in window.view.outcome.details.toPlainText()
    window.view.jump_to_question("age")
    window.view.outcome.details.anchorClicked.emit(QUrl("question:cardiovascular"))
    assert question_of(QApplication.focusWidget()).question.id == "cardiovascular"  # type: ignore[union-attr]


def test_an_unanswered_safety_question_is_marked(make_window: WindowFactory) -> None:
    window = make_window()
    mark = window.view.page(2).widgets["pregnancy"].mark
    assert not mark.isHidden()
    assert mark.text() == "\u26a0 Safety question: not answered yet"
    assert window.model is not None
    window.model.set_answer("pregnancy", "not_applicable")
    assert mark.isHidden()


def test_override_needs_a_reason_and_is_recorded_beside_the_outcome(
    make_window: WindowFactory, qtbot: QtBot, private_data_dir: Path
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    model.set_answer("diagnosis", "crps")  # an outcome to override
    set_clinician_name("Dr A")
    dialog = OverrideDialog(model.rule_set, model.assessment.outcome.id, "Dr A", window)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not ok.isEnabled()
    with pytest.raises(ValueError, match="an override needs a written reason"):
        model.set_override("not_suitable_now", "   ", "Dr A")
    assert model.consultation.override is None

    def fill() -> None:
        active = QApplication.activeModalWidget()
        assert isinstance(active, OverrideDialog)
        active.level.setCurrentIndex(active.level.findData("not_suitable_now"))
        qtbot.keyClicks(active.reason, "Patient prefers to wait for the pain programme.")
        active.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    qtbot.keyClick(
        window,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    override = model.consultation.override
    assert override is not None
    assert (override.level, override.reason) == (
        "not_suitable_now",
        "Patient prefers to wait for the pain programme.",
    )
    assert model.assessment.outcome.id == "refer_first", "the rule outcome is kept"
    assert "More checks needed first" in window.view.outcome.badge.text()
    text = window.view.outcome.override.text()
    assert "Clinician's view:</b> \u25a0 Not suitable at the moment" in text
    assert "Patient prefers to wait" in text


def test_a_broken_rule_set_shows_its_problems_and_no_outcome(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED, rules)
    safety = rules / "rules" / "safety.yaml"
    good = safety.read_text()
    safety.write_text(
        good.replace(
            "{question: cardiovascular, is: poorly_controlled}",
            "{question: cardio, is: poorly_controlled}",
        )
    )
    window = make_window(rules)
    assert window.model is None
    assert window.central.currentWidget() is window.error_panel
    lines = [
        window.error_panel.problems.item(i).text()
        for i in range(window.error_panel.problems.count())
    ]
    assert lines == [
        f"{rules}/rules/safety.yaml:11:22: error[unknown-question]: 'cardio' is not a question; "
        "did you mean 'cardiovascular'?"
    ]
    assert "no outcome" in window.error_panel.heading.text()
    assert not window.menus.override_action.isEnabled()
    assert not window.menus.print_action.isEnabled()
    safety.write_text(good)
    qtbot.keyClick(window.error_panel.problems, Qt.Key.Key_F5)
    assert window.model is not None
    assert window.central.currentWidget() is not window.error_panel


def test_every_control_has_an_accessible_name(make_window: WindowFactory) -> None:
    window = make_window()
    nameless = []
    for kind in (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit):
        for widget in window.findChildren(kind):
            text = widget.text() if isinstance(widget, QAbstractButton) else ""
            if not (widget.accessibleName() or text) and not widget.objectName().startswith("qt_"):
                nameless.append(widget.objectName() or type(widget).__name__)
    assert nameless == []


def test_the_window_title_flags_a_draft_rule_set(make_window: WindowFactory) -> None:
    window = make_window()
    title = RULES.info.title
    assert window.windowTitle() == f"decision-aid — {title} · v0.1.0 · DRAFT"
    assert window.model is not None
    window.model.set_patient_label("JD-14")
    assert window.windowTitle() == f"decision-aid — {title} · v0.1.0 · DRAFT — JD-14"
    assert "DRAFT" in window.status.rules_label.text()


def test_the_window_builds_at_double_font_size(make_window: WindowFactory) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    try:
        bigger = type(font)(font)
        bigger.setPointSizeF(font.pointSizeF() * 2)
        app.setFont(bigger)
        window = make_window()
        widget = window.view.page(0).widgets["diagnosis"]
        assert widget.text.wordWrap()
        assert widget.sizeHint().width() < window.width()
    finally:
        app.setFont(font)


def test_a_failed_autosave_is_shown_and_the_answer_is_kept_in_the_window(
    make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from decision_aid.domain.errors import StorageError
    from decision_aid.storage.autosave import Autosave

    window = make_window()
    assert window.model is not None

    def full(self: Autosave, consultation: object) -> None:
        raise StorageError(
            "could not save (No space left on device); the previous save is kept", path="x"
        )

    monkeypatch.setattr(Autosave, "save", full)
    window.model.set_answer("diagnosis", "crps")
    assert window.status.save_label.text() == (
        "NOT KEPT on this computer: x: could not save (No space left on device); "
        "the previous save is kept"
    )
    assert window.model.consultation.answers == {"diagnosis": "crps"}


def test_save_open_and_export_round_trip(make_window: WindowFactory, tmp_path: Path) -> None:
    import json

    from fhir.resources.R4B.bundle import Bundle

    window = make_window()
    model = window.model
    assert model is not None
    for key, value in CLEAN.items():
        model.set_answer(key, value)
    model.set_notes("Discussed options.")
    path = tmp_path / "jd.json"
    assert files.write(window, path)
    assert not model.unsaved
    model.set_answer("escort_home", "no")
    assert model.unsaved
    files.open_path(window, path)
    assert model.consultation.answers["escort_home"] == "yes"
    assert model.consultation.notes == "Discussed options."
    model.set_patient_label("J. Doe")
    written = exports.export_to(window, tmp_path / "export.json")
    assert written is not None
    response, questionnaire = written
    bundle = Bundle.model_validate(json.loads(response.read_text()))
    resource = bundle.entry[0].resource
    assert resource.status == "in-progress", "the goals and SURE questions are unanswered"
    assert resource.subject.display == "J. Doe"
    assert json.loads(questionnaire.read_text())["resourceType"] == "Questionnaire"


def test_print_previews_the_sheet_that_matches_the_screen(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    import io

    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from decision_aid.gui.sheet_preview import SheetPreview

    window = make_window()
    assert window.menus.print_action.shortcut().toString() == "Ctrl+P"
    assert window.model is not None
    window.model.set_override("not_suitable_now", "Prefers to wait.", "Dr A")
    pdf = actions.sheet_job(window.model, window.approval)()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert "More checks needed first" in pages[0].extract_text()
    assert "Prefers to wait." in " ".join(pages[0].extract_text().split())
    preview = SheetPreview(pdf, "jd.pdf", window)
    qtbot.addWidget(preview)
    assert len(preview.page_labels) == len(pages)
    assert preview.save_to(tmp_path / "sheet.pdf")
    assert (tmp_path / "sheet.pdf").read_bytes() == pdf
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.print_to(printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == len(pages)


def test_watching_the_rule_files_reloads_them_when_they_change(
    make_window: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED, rules)
    window = make_window(rules)
    assert window.model is not None
    window.menus.watch_action.trigger()
    safety = rules / "rules" / "safety.yaml"
    good = safety.read_text()
    safety.write_text(good.replace("outcome: not_suitable_now\n", "outcom: not_suitable_now\n", 1))
    qtbot.waitUntil(lambda: window.model is None, timeout=5000)
    assert window.central.currentWidget() is window.error_panel
    safety.write_text(good)
    qtbot.waitUntil(lambda: window.model is not None, timeout=5000)


def test_answers_survive_a_rule_set_that_breaks_and_is_fixed(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED, rules)
    window = make_window(rules)
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    window.model.set_notes("Discussed at length.")
    info = rules / "ruleset.yaml"
    good = info.read_text()
    info.write_text(good.replace("status: draft", "status: drafty"))
    window.reload_rules()
    assert window.model is None
    info.write_text(good)
    window.reload_rules()
    assert window.model is not None
    assert window.model.consultation.answers == {"diagnosis": "crps"}
    assert window.model.consultation.notes == "Discussed at length."


def test_a_new_consultation_starts_with_empty_notes_even_while_typing(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    assert window.model is not None
    window.view.notes.setFocus()
    qtbot.keyClicks(window.view.notes, "About patient AB")
    files.new_consultation(window)  # the unsaved prompt answers Discard in tests
    assert window.model.consultation.notes == ""
    assert window.view.notes.toPlainText() == ""
    assert window.view.settings.patient.text() == ""


def test_clearing_a_number_field_clears_the_answer(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    assert window.model is not None
    window.view.jump_to_question("age")
    field = window.view.page(2).widgets["age"].number
    assert field is not None
    qtbot.keyClicks(field, "46")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.model.answers.get("age") == 46.0
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    model = window.model
    qtbot.waitUntil(lambda: "age" not in model.answers, timeout=300)


def test_the_answers_can_be_saved_as_a_passing_test_case(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    from decision_aid.authoring.cases import Verdict, run_case_files

    window = make_window()
    assert window.model is not None
    for key, value in CLEAN.items():
        window.model.set_answer(key, value)
    window.model.set_answer("pregnancy", "unknown")
    window.model.set_patient_label("JD-14")
    path = tmp_path / "new-case.yaml"
    exports.write_test_case(window, path)
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/cases.schema.json\n")
    assert "JD-14" not in text  # a case file goes under version control: no identifiers
    assert "name: More checks needed first (saved " in text
    assert "pregnancy: unknown" in text
    (result,), problems = run_case_files(window.model.rule_set, [path])
    assert problems == []
    assert result.verdict is Verdict.PASS
    assert result.expect is not None
    assert result.expect.outcome == "refer_first"


def test_the_outcome_panel_shows_conditional_advice_and_open_safety_questions(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    model.set_answer("diagnosis", "crps")
    text = window.view.outcome.details.toPlainText()
    certain, _, rest = text.partition("If Budapest criteria: Yes")
    assert rest, "no 'if' heading naming the answer"
    assert "Record how the Budapest criteria were met" not in certain
    assert "To do: Record how the Budapest criteria were met" in rest
    assert "What this means for you" in text
    assert window.view.outcome.to_check_links()[:3] == ["age", "cardiovascular", "pregnancy"]
    assert "pregnancy" in window.view.outcome.missing_links()
    for key, value in CLEAN.items():
        model.set_answer(key, value)
    model.set_answer("cardiovascular", "poorly_controlled")
    window.view.jump_to_question("pregnancy")
    qtbot.keyClick(focus(qtbot), Qt.Key.Key_0)
    assert "pregnancy" in model.answers.not_known
    assert "pregnancy" not in window.view.outcome.missing_links()
    assert window.view.outcome.to_check_links() == ["pregnancy"]
    assert "Agree a measurable goal" not in window.view.outcome.details.toPlainText()
