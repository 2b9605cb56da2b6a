"""The window under the US basis names no NHS: not in a question, an option or its help,
nor in the outcome with the rule details on (the sheet is in tests/rules)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel

from tests.gui.conftest import WindowFactory
from tests.rules.test_basis_wording import EVERY_PRACTICAL_NOTE
from tests.sheet.sheets import base_answers

NHS = re.compile(r"\bNHS\b")


def test_the_window_under_the_us_basis_names_no_nhs(make_window: WindowFactory) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_setting("guideline_basis", "asra_2018")
    for question_id, value in {**base_answers(), **EVERY_PRACTICAL_NOTE}.items():
        window.model.set_answer(question_id, value)
    window.menus.details_action.trigger()  # rule ids and sources shown too
    assert window.menus.details_action.isChecked()
    panel = window.view.outcome.details.toPlainText()
    assert "prac-cost" in panel, "the cost note is shown"
    shown = [panel]
    for index in range(window.view.sections.count()):
        page = window.view.page(index)
        shown += [w.text() for w in page.findChildren(QLabel)]
        shown += [w.text() + w.toolTip() for w in page.findChildren(QAbstractButton)]
    assert any("Covered (" in text for text in shown), "the cost question is shown"
    named = [text for text in shown if NHS.search(text)]
    assert not named, named
