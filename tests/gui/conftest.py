from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from decision_aid.gui.main_window import MainWindow
from decision_aid.storage.autosave import Autosave
from tests.conftest import BUNDLED

WindowFactory = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every GUI test saves under its own temporary folder, never the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("DECISION_AID_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_save_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a window at teardown discards the test consultation instead of asking."""
    monkeypatch.setattr(
        MainWindow, "ask_save", staticmethod(lambda parent: QMessageBox.StandardButton.Discard)
    )


@pytest.fixture
def make_window(qtbot: QtBot, private_data_dir: Path) -> WindowFactory:
    def make(rules_dir: Path = BUNDLED) -> MainWindow:
        window = MainWindow(rules_dir, Autosave(private_data_dir))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        return window

    return make
