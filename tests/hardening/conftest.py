from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.harness import CASES


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every hardening test saves under its own temporary folder, never the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("DECISION_AID_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def shown_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every message box the window shows, as (title, text); none blocks the test.

    ``show_error`` and ``show_message`` (the notices) build a real QMessageBox and call
    ``exec``; the closing prompt uses the static ``question`` and answers "Discard".
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def record_exec(box: QMessageBox) -> int:
        shown.append((box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok.value)

    def record_static(answer: Any) -> Callable[..., Any]:
        def record(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            shown.append((title, text))
            return answer

        return record

    monkeypatch.setattr(QMessageBox, "exec", record_exec)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, record_static(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record_static(QMessageBox.StandardButton.Discard))
    return shown


@pytest.fixture
def make_window(
    qtbot: Any, private_data_dir: Path, shown_messages: list[Any]
) -> Callable[..., Any]:
    """A real consultation window (offscreen) over a rule set, autosaving privately."""
    from decision_aid.gui.main_window import MainWindow
    from decision_aid.storage.autosave import Autosave

    def make(rules_dir: Path) -> MainWindow:
        window = MainWindow(rules_dir, Autosave(private_data_dir))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if CASES:
        parts = ", ".join(f"{kind} {count}" for kind, count in sorted(CASES.items()))
        terminalreporter.write_line(f"hardening: {sum(CASES.values())} fuzz cases ({parts})")
