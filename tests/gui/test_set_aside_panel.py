"""The outcome panel lists the answers that do not count because their question is not
asked now, under a plain heading, and only while there are some."""

from __future__ import annotations

from tests.conftest import MINI
from tests.gui.conftest import WindowFactory


def test_the_outcome_panel_lists_answers_not_counted(make_window: WindowFactory) -> None:
    window = make_window(MINI)
    model = window.model
    assert model is not None
    for key, value in {"diagnosis": "a", "tried": "yes", "sex": "female"}.items():
        model.set_answer(key, value)
    model.set_answer("pregnant", "yes")
    heading = "Answers not counted (question not asked now)"
    assert heading not in window.view.outcome.details.toPlainText()
    model.set_answer("sex", "male")  # pregnancy is no longer asked; its answer is kept
    shown = window.view.outcome.details.toPlainText()
    assert heading in shown
    assert "Pregnancy: Yes" in shown.split(heading, 1)[1]
    assert "pregnant" not in window.view.outcome.missing_links(), "a set-aside answer is no link"
    model.set_answer("sex", "female")
    assert heading not in window.view.outcome.details.toPlainText()
