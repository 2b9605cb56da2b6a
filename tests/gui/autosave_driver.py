"""Run the real window in a subprocess, answer questions one by one, report each save.

Used by the SIGKILL test: ``python -m tests.gui.autosave_driver DATA_DIR``. It prints
``saved N`` after the N-th answer has been autosaved, then goes on until killed.

``python -m tests.gui.autosave_driver DATA_DIR type age 53`` (or ``type notes TEXT``)
types TEXT by key events into the age field (or the notes), without leaving it, prints
``typed T`` with the time of the last keystroke (``time.time()``), and runs on until
killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from decision_aid.domain.yamlsource import read_yaml
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage.autosave import Autosave
from tests.conftest import BUNDLED


def type_into(app: QApplication, window: MainWindow, target: str, text: str) -> None:
    field: QWidget | None = window.view.notes
    if target != "notes":
        window.view.jump_to_question(target)
        field = window.view.page(window.view.section_of[target]).widgets[target].number
    assert field is not None
    field.setFocus()
    QTest.keyClicks(field, text)
    print(f"typed {time.time()}", flush=True)
    app.exec()


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = MainWindow(BUNDLED, Autosave(Path(sys.argv[1])))
    window.show()
    if sys.argv[2:3] == ["type"]:
        type_into(app, window, sys.argv[3], sys.argv[4])
        return
    model = window.model
    assert model is not None
    answers = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    for count, (key, value) in enumerate(answers.items(), start=1):
        model.set_answer(key, value)
        app.processEvents()
        print(f"saved {count} {key}", flush=True)
    while True:  # keep saving the notes, so a kill can land mid-write
        model.set_notes(f"note {time.monotonic()}")
        app.processEvents()


if __name__ == "__main__":
    main()
