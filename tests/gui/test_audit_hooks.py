"""The window records each load, override, export, saved and printed sheet, once each."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from decision_aid.governance.audit import AuditLog
from decision_aid.gui import exports, overrides, printing
from decision_aid.gui.override_dialog import OverrideDialog
from decision_aid.gui.preferences import set_clinician_name
from decision_aid.gui.sheet_preview import SheetPreview
from tests.gui.conftest import WindowFactory


def _events(log: AuditLog) -> list[str]:
    result = log.verify()
    assert result.ok, result.problems
    return [str(e.data["event"]) for e in result.entries]


def test_each_action_is_recorded_with_the_rule_set_and_outcome(
    make_window: WindowFactory,
    qtbot: QtBot,
    tmp_path: Path,
    private_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DECISION_AID_CLINICIAN", "Dr A. Example")
    log = AuditLog(private_data_dir / "audit")
    window = make_window()
    model = window.model
    assert model is not None
    model.set_patient_label("J. Doe")
    set_clinician_name("Dr A. Example")
    assert _events(log) == ["rule-set-loaded"]

    def fill() -> None:
        active = QApplication.activeModalWidget()
        assert isinstance(active, OverrideDialog)
        active.level.setCurrentIndex(active.level.findData("not_suitable_now"))
        qtbot.keyClicks(active.reason, "Prefers to wait.")
        active.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
    overrides.override(window)
    exports.export_to(window, tmp_path / "export.json")

    def save_and_print() -> None:
        preview = QApplication.activeModalWidget()
        assert isinstance(preview, SheetPreview)
        assert preview.save_to(tmp_path / "sheet.pdf")
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        preview.print_to(printer)
        preview.reject()

    window.sheet_shown.connect(
        lambda _: QTimer.singleShot(0, save_and_print), Qt.ConnectionType.SingleShotConnection
    )
    with qtbot.waitSignal(window.sheet_shown, timeout=30000):  # drawn off the UI thread
        printing.preview_sheet(window)
    overrides.clear_override(window)
    assert _events(log) == [
        "rule-set-loaded",
        "override-set",
        "fhir-exported",
        "sheet-saved",
        "sheet-printed",
        "override-cleared",
    ]
    printed = log.verify().entries[4].data
    assert printed["clinician"] == "Dr A. Example"
    assert printed["consultation"] == model.consultation.id
    assert printed["rule_set"]["id"] == model.rule_set.info.id
    assert printed["rule_set"]["digest"] == model.rule_set.digest
    assert printed["override"] == "not_suitable_now"
    assert printed["outcome"] == model.assessment.outcome.id
    assert printed["approval"]  # the approval state's kind (not-checked until it is wired in)
    text = log.log_path.read_text()
    assert "J. Doe" not in text
    assert "Prefers to wait." not in text
    assert stat.S_IMODE(log.log_path.stat().st_mode) == 0o600


def test_a_log_that_cannot_be_written_is_said_not_hidden(
    make_window: WindowFactory,
    private_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    shown: list[tuple[str, str]] = []

    def record(box: QMessageBox) -> int:
        shown.append((box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", record)
    window = make_window()
    log = AuditLog(private_data_dir / "audit")
    log.head_path.unlink()  # the head lost: nothing more is recorded until IT looks
    window.reload_rules()
    qtbot.waitUntil(lambda: "audit" in window.statusBar().currentMessage())  # after the paint
    assert shown == [], "a load never blocks the window with a dialog"
    message = window.statusBar().currentMessage()
    assert message.startswith("Not recorded in the audit trail: ")
    assert "no head record" in message
    assert window.model is not None
    window.model.set_override(window.model.rule_set.info.levels[-1].id, "test", "Dr A")
    overrides.clear_override(window)  # something the clinician did: said in a dialog
    assert shown
    title, text = shown[-1]
    assert title == "Not recorded in the audit trail"
    assert "no head record" in text
