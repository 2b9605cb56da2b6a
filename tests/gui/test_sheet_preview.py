"""The print preview offers the two-page summary or the full sheet, with or without the
patient's label, and shows exactly the pages that will be printed."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from decision_aid.gui import actions
from decision_aid.gui.sheet_preview import SheetPreview
from tests.gui.conftest import WindowFactory


def test_the_preview_switches_between_summary_and_full_and_adds_the_label(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_patient_label("JD-14")
    model = window.model
    preview = SheetPreview(
        actions.sheet_job(model, window.approval)(),
        "jd.pdf",
        window,
        remake=lambda part, labelled: actions.sheet_job(
            model, window.approval, part=part, labelled=labelled
        )(),
    )
    qtbot.addWidget(preview)
    full = len(preview.page_labels)
    preview.part_box.setFocus()
    qtbot.keyClick(preview.part_box, Qt.Key.Key_Down)
    assert preview.part_box.currentData() == "summary"
    assert len(preview.page_labels) < full
    first = PdfReader(io.BytesIO(preview.pdf)).pages[0].extract_text()
    assert "JD-14" not in first
    preview.label_box.setFocus()
    qtbot.keyClick(preview.label_box, Qt.Key.Key_Space)
    first = PdfReader(io.BytesIO(preview.pdf)).pages[0].extract_text()
    assert "JD-14" in first
    pages = PdfReader(io.BytesIO(preview.pdf)).pages
    assert len(preview.page_labels) == len(pages)
