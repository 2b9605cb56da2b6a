"""A long consultation keeps Python's books: the window can run all day without aborting.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every Qt call that
returns nothing; the window makes about 19 such calls per answer, so after some
1,250 answers the interpreter deallocates ``None`` and aborts ("none_dealloc"). From
Python 3.12 ``None`` is immortal and the count never moves. pyproject.toml excludes
that release; this test catches the next binding that does the same.
"""

from __future__ import annotations

import gc
import sys

from tests.gui.conftest import WindowFactory

CHANGES = 200


def test_answer_changes_do_not_drain_references_to_none(make_window: WindowFactory) -> None:
    window = make_window()
    model = window.model
    assert model is not None
    question = next(model.rule_set.questionnaire.questions())
    options = [option.id for option in question.options]
    model.set_answer(question.id, options[0])  # the first change builds what later ones reuse
    gc.collect()  # earlier tests' windows, freed now rather than in the middle
    before = sys.getrefcount(None)
    for change in range(CHANGES):
        model.set_answer(question.id, options[change % len(options)])
    lost = before - sys.getrefcount(None)
    assert lost < CHANGES, f"{lost} references to None lost in {CHANGES} answer changes"
