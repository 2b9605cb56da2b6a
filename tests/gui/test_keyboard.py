"""The keyboard model, walked as a clinician would: key events only, every option of every
question of the bundled rule set, every answer checked in the model after each key."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from decision_aid.domain import NOT_KNOWN, load_rule_set
from decision_aid.domain.questionnaire import Question, QuestionType
from decision_aid.gui.main_window import MainWindow
from decision_aid.gui.question_page import QuestionWidget, option_keys
from decision_aid.gui.theme import FOCUS_CONTRAST, contrast
from tests.conftest import BUNDLED
from tests.gui.conftest import WindowFactory

RULES = load_rule_set(BUNDLED)
QUESTIONS = {q.id: q for q in RULES.questionnaire.questions()}


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def focused_question() -> QuestionWidget:
    widget: QWidget | None = focus()
    while widget is not None and not isinstance(widget, QuestionWidget):
        widget = widget.parentWidget()
    assert widget is not None, f"the focus ({focus().objectName()}) is on no question"
    return widget


def key(qtbot: QtBot, text: str) -> None:
    """Press the key that types ``text`` (a digit or a letter) on the focused widget."""
    qtbot.keyClick(focus(), text.lower())


def answer(window: MainWindow, question_id: str) -> object:
    assert window.model is not None
    return window.model.consultation.answers.get(question_id)


def keys_of(question: Question) -> list[tuple[str, str]]:
    """(key shown beside the option, option id) for every option of ``question``."""
    pairs = list(
        zip(option_keys(len(question.choices)), [o.id for o in question.choices], strict=True)
    )
    return pairs + ([("0", NOT_KNOWN), ("N", NOT_KNOWN)] if question.not_known else [])


def test_every_option_shows_its_key_and_none_is_out_of_reach(make_window: WindowFactory) -> None:
    window = make_window()
    for page in (window.view.page(i) for i in range(len(window.view.pages))):
        for widget in page.widgets.values():
            question = widget.question
            if question.type is QuestionType.NUMBER:
                continue
            shown = {b.accessibleName() for b in widget.options}
            for shown_key, option_id in keys_of(question):
                label = "Not known" if option_id == NOT_KNOWN else question.option(option_id).label  # type: ignore[union-attr]
                wanted = "0 or N" if option_id == NOT_KNOWN else shown_key.lower()
                assert f"{label} ({wanted})" in shown
    diagnosis = window.view.page(0).widgets["diagnosis"]
    assert len(diagnosis.buttons) == 13
    assert diagnosis.keys["D"].property("option_id") == "not_established"


def exercise_choice(qtbot: QtBot, window: MainWindow, question: Question) -> None:
    """Every option by its key, the arrows and Space, then Delete: checked after each key."""
    if question.type is QuestionType.MULTIPLE:
        picked: list[str] = []
        for shown_key, option_id in keys_of(question):
            key(qtbot, shown_key)
            picked = [*picked, option_id] if option_id not in picked else picked
            expected = [o.id for o in question.choices if o.id in picked]
            assert answer(window, question.id) == expected, shown_key
        for shown_key, option_id in keys_of(question):  # a second press unticks
            key(qtbot, shown_key)
            picked.remove(option_id)
            assert answer(window, question.id) == (
                [o.id for o in question.choices if o.id in picked] or None
            )
    else:
        for shown_key, option_id in keys_of(question):
            key(qtbot, shown_key)
            assert answer(window, question.id) == option_id, shown_key
            key(qtbot, shown_key)  # pressed again, the answer stays
            assert answer(window, question.id) == option_id
    options: list[QAbstractButton] = focused_question().options
    assert focus() is options[-1], "the last key pressed was the last option's"
    for index in reversed(range(len(options) - 1)):
        qtbot.keyClick(focus(), Qt.Key.Key_Up)
        assert focus() is options[index], "Up moves to the option above"
    qtbot.keyClick(focus(), Qt.Key.Key_Up)
    assert focus() is options[0], "and stays within the question"
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    assert focus() is options[1], "Down moves to the option below"
    chosen = str(options[1].property("option_id"))
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    if question.type is QuestionType.MULTIPLE:
        assert answer(window, question.id) == [chosen], "Space ticks"
        qtbot.keyClick(focus(), Qt.Key.Key_Space)
        assert answer(window, question.id) is None, "and unticks"
    else:
        assert answer(window, question.id) == chosen, "Space picks the focused option"
        qtbot.keyClick(focus(), Qt.Key.Key_Space)
        assert answer(window, question.id) == chosen, "and never clears it"
    qtbot.keyClick(focus(), Qt.Key.Key_Delete)
    assert answer(window, question.id) is None, "Delete clears"


def settled(qtbot: QtBot, window: MainWindow, question_id: str, value: object) -> None:
    """Typing reaches the model (and the autosave) within 300 ms of the last key."""
    qtbot.waitUntil(lambda: answer(window, question_id) == value, timeout=300)


def exercise_number(qtbot: QtBot, window: MainWindow, question: Question) -> None:
    assert question.minimum is not None
    assert question.maximum is not None
    typed = f"{(question.minimum + question.maximum) // 2:g}"
    qtbot.keyClicks(focus(), typed)
    settled(qtbot, window, question.id, float(typed))
    qtbot.keyClick(focus(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, "0")  # over a selected (or empty) field: Not known, not the number 0
    assert answer(window, question.id) == NOT_KNOWN
    key(qtbot, "7")
    settled(qtbot, window, question.id, 7.0)
    qtbot.keyClick(focus(), Qt.Key.Key_Backspace)
    settled(qtbot, window, question.id, None)
    key(qtbot, "N")
    assert answer(window, question.id) == NOT_KNOWN
    qtbot.keyClick(focus(), Qt.Key.Key_Delete)
    assert answer(window, question.id) is None


def final_keys(question: Question, value: object) -> list[str]:
    """The keys that give ``question`` the answer ``value`` (answers-file form)."""
    if question.type is QuestionType.NUMBER:
        return ["0"] if value == NOT_KNOWN else list(f"{value:g}")
    by_option = {option_id: shown for shown, option_id in keys_of(question)}
    values = value if isinstance(value, list) else [value]
    return [by_option[str(v)] for v in values]


def walk(qtbot: QtBot, window: MainWindow, plan: dict[str, object]) -> set[str]:
    """Tab through the whole consultation from the first question, exercising every
    question on the way and leaving it with its planned answer; the questions visited."""
    assert window.model is not None
    visited: list[str] = []
    sections = [s.id for s in RULES.questionnaire.sections]
    while True:
        widget = focused_question()
        question = widget.question
        assert question.id not in visited, f"Tab came back to {question.id}"
        section = RULES.questionnaire.section_of[question.id].id
        assert window.view.sections.currentRow() == sections.index(section), "the section is shown"
        visited.append(question.id)
        if question.type is QuestionType.NUMBER:
            exercise_number(qtbot, window, question)
        else:
            exercise_choice(qtbot, window, question)
        value = plan.get(question.id)
        for pressed in final_keys(question, value) if value is not None else []:
            key(qtbot, pressed)
        if question.type is QuestionType.NUMBER:
            settled(qtbot, window, question.id, value)
        assert answer(window, question.id) == value, question.id
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
        if focus() is window.view.notes:  # Tab past the very last question
            break
    assert visited == [
        q.id for q in RULES.questionnaire.questions() if q.id in window.model.progress.displayed
    ], "every displayed question once, in reading order, by Tab alone"
    return set(visited)


PLANS: list[dict[str, object]] = [
    {
        "diagnosis": "crps",
        "crps_budapest": "yes",
        "rehab_tried": "yes",
        "psych_tried": "no",
        "ketamine_form": "iv_infusion",
        "prior_ketamine": "none",
        "age": 53.0,
        "cardiovascular": "controlled",
        "pregnancy": "not_applicable",
        "psychosis": "none",
        "liver": "none",
        "raised_pressure": "no",
        "substance_use": "none",
        "bladder_symptoms": "no",
        "ketamine_reaction": "no",
        "escort_home": "yes",
        "no_driving": "yes",
        "specialist_access": "yes",
        "cost_cover": "covered",
        "treatment_days": "one_day",
        "high_dose_planned": "no",
        "goals": ["less_pain", "better_sleep"],
        "sure_sure": "yes",
        "sure_understand": "yes",
        "sure_risk": "no",
        "sure_encouragement": "yes",
    },
    {
        "diagnosis": "phn",
        "rehab_tried": "unknown",
        "neuropathic_meds_tried": "yes",
        "ketamine_form": "not_decided",
        "prior_ketamine": "unknown",
        "age": "unknown",
        "cardiovascular": "unknown",
        "pregnancy": "possible",
        "liver": "severe",
        "goals": ["fewer_hospital_visits"],
        "sure_risk": "yes",
    },
]


def test_a_whole_consultation_by_key_events_only_every_option_of_every_question(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    visited: set[str] = set()
    for plan in PLANS:
        assert focused_question().question.id == "diagnosis"
        visited |= walk(qtbot, window, plan)
        assert window.model is not None
        assert window.model.consultation.answers == plan
        assert window.status.save_label.text().startswith("Kept on this computer")
        qtbot.keyClick(focus(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        assert window.model.consultation.answers == {}
    assert visited == set(QUESTIONS), "every question of the rule set was walked"


def test_f6_reaches_the_outcome_panel_which_scrolls_by_page_and_f6_returns(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    window.resize(1280, 560)
    key(qtbot, "1")  # an answer: the panel now says why, and what is still missing
    bar = window.view.outcome.details.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.keyClick(focus(), Qt.Key.Key_F6)
    assert focus() is window.view.outcome.details
    assert "F6" in window.menus.outcome_action.toolTip()
    qtbot.keyClick(focus(), Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(focus(), Qt.Key.Key_PageUp)
    assert bar.value() == 0
    qtbot.keyClick(focus(), Qt.Key.Key_F6)
    assert focused_question().question.id == "diagnosis"


def test_shift_tab_before_a_sections_first_question_goes_to_the_previous_sections_last(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    qtbot.keyClick(focus(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert focused_question().question.id == "age"
    qtbot.keyClick(focus(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.sections.currentRow() == 1
    assert focused_question().question.id == "prior_ketamine"


def _palette(window: str, text: str, base: str, highlight: str) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for roles, colour in (
        ((role.Window, role.Button, role.AlternateBase), window),
        ((role.WindowText, role.Text, role.ButtonText, role.HighlightedText), text),
        ((role.Base,), base),
        ((role.Highlight,), highlight),
    ):
        for each in roles:
            palette.setColor(each, QColor(colour))
    return palette


PALETTES = {
    "default": None,
    "dark": _palette("#353535", "#ffffff", "#2a2a2a", "#2a82da"),
    "high-contrast": _palette("#000000", "#ffffff", "#000000", "#1aebff"),
    "highlight like the window": _palette("#f0f0f0", "#000000", "#ffffff", "#e8e8f0"),
}


def framed(question: QuestionWidget, row: QWidget) -> float:
    """The contrast between an option row's frame, as drawn, and the question beside it."""
    image = question.grab().toImage()
    ratio = image.devicePixelRatio()
    y = round((row.y() + row.height() / 2) * ratio)
    frame = image.pixelColor(round((row.x() + 1) * ratio), y)
    beside = image.pixelColor(round((row.x() - 2) * ratio), y)
    return contrast(frame, beside)


@pytest.mark.parametrize("name", PALETTES)
def test_the_focus_mark_stands_out_on_a_picked_option_in_every_palette(
    name: str, make_window: WindowFactory, qtbot: QtBot
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = app.palette()
    if (palette := PALETTES[name]) is not None:
        app.setPalette(palette)
    try:
        window = make_window()
        key(qtbot, "1")  # picked, and focused
        row = focus().parentWidget()
        assert row is not None
        question = window.view.page(0).widgets["diagnosis"]
        assert framed(question, row) >= FOCUS_CONTRAST
        other = question.buttons[1].parentWidget()
        assert other is not None
        assert framed(question, other) < 1.1, "only the focused option is framed"
        qtbot.keyClick(focus(), Qt.Key.Key_Down)
        assert framed(question, other) >= FOCUS_CONTRAST, "the frame moves with the focus"
        assert framed(question, row) < 1.1
    finally:
        app.setPalette(saved)


def test_a_number_out_of_range_is_said_so_and_leaves_no_answer(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    qtbot.keyClick(focus(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    age = focused_question()
    assert age.question.id == "age"
    qtbot.keyClicks(focus(), "53")
    settled(qtbot, window, "age", 53.0)
    qtbot.keyClicks(focus(), "4")  # 534: no age
    settled(qtbot, window, "age", None)
    assert age.problem.isVisible()
    assert age.problem.text() == "Not recorded: give a number in the range 0–120"
    qtbot.keyClick(focus(), Qt.Key.Key_Backspace)
    settled(qtbot, window, "age", 53.0)
    assert not age.problem.isVisible()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    """One window for every example (each starts a new consultation with Ctrl+N)."""
    return make_window()


CHOICE_QUESTIONS = [
    q.id
    for q in RULES.questionnaire.questions()
    if q.type is not QuestionType.NUMBER and q.show_when is None
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_of_keys_gives_the_answer_they_name(
    window: MainWindow, qtbot: QtBot, data: st.DataObject
) -> None:
    question = QUESTIONS[data.draw(st.sampled_from(CHOICE_QUESTIONS), label="question")]
    options = keys_of(question)
    pressed = data.draw(
        st.lists(st.sampled_from([*(k for k, _ in options), "Delete"]), max_size=10),
        label="keys",
    )
    qtbot.keyClick(focus(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    window.view.jump_to_question(question.id)
    expected: object = None
    ticked: set[str] = set()
    for shown_key in pressed:
        if shown_key == "Delete":
            qtbot.keyClick(focus(), Qt.Key.Key_Delete)
            expected, ticked = None, set()
            continue
        key(qtbot, shown_key)
        option_id = dict(options)[shown_key]
        if question.type is QuestionType.MULTIPLE:  # (none of the bundled offers Not known)
            ticked ^= {option_id}
            expected = [o.id for o in question.choices if o.id in ticked] or None
        else:
            expected = option_id
        assert answer(window, question.id) == expected, (question.id, pressed)
