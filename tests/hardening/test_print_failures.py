"""Print never fails silently: a sheet that cannot be drawn, a printer that cannot be
opened and pages PDFium cannot read each give a dialog that says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from reportlab.platypus.doctemplate import LayoutError

from decision_aid.gui import actions, printing
from tests.conftest import MINI


def test_a_sheet_that_cannot_be_drawn_says_why(
    make_window: Callable[..., Any],
    shown_messages: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise LayoutError("Flowable <Table> too large on page 3")

    monkeypatch.setattr("decision_aid.sheet.render", broken)
    printing.preview_sheet(window)
    qtbot.waitUntil(lambda: bool(shown_messages), timeout=30000)  # drawn off the UI thread
    assert shown_messages == [
        (
            "The sheet could not be made",
            "It could not be drawn: Flowable <Table> too large on page 3",
        )
    ]


def test_a_printer_that_cannot_be_opened_says_why(
    make_window: Callable[..., Any], shown_messages: list[tuple[str, str]], tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from decision_aid.gui.sheet_preview import SheetPreview

    window = make_window(MINI)
    preview = SheetPreview(actions.sheet_job(window.model, window.approval)(), "sheet.pdf", window)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "no such folder" / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert preview.print_to(printer) is False
    assert shown_messages == [
        ("The sheet was not printed", f"{target} could not be opened for printing.")
    ]


def test_pages_that_cannot_be_read_say_why(
    make_window: Callable[..., Any], shown_messages: list[tuple[str, str]], tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from decision_aid.gui.sheet_preview import SheetPreview

    window = make_window(MINI)
    preview = SheetPreview(actions.sheet_job(window.model, window.approval)(), "sheet.pdf", window)
    preview.pdf = b"%PDF-1.4 truncated"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) is False
    ((title, text),) = shown_messages
    assert title == "The sheet was not printed"
    assert text.startswith("The pages could not be drawn: ")
    assert not (tmp_path / "printed.pdf").exists()
