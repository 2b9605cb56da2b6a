"""Run the real window in a subprocess, answer questions one by one, report each save.

Used by the SIGKILL test: ``python -m tests.gui.autosave_driver DATA_DIR``. It prints
``saved N`` after the N-th answer has been autosaved, then goes on until killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from decision_aid.domain.yamlsource import read_yaml
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage import Autosave
from tests.conftest import BUNDLED


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = MainWindow(BUNDLED, Autosave(Path(sys.argv[1])))
    window.show()
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
