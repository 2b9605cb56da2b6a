"""Never lose an answer: kill the app mid-consultation, start again, find every answer."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from decision_aid.domain.yamlsource import read_yaml
from decision_aid.storage import Autosave
from tests.conftest import BUNDLED
from tests.gui.conftest import WindowFactory

ROOT = Path(__file__).parent.parent.parent
ANSWERS = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data


@pytest.mark.parametrize("seed", range(3))
def test_answers_survive_a_sigkill(
    seed: int, tmp_path: Path, make_window: WindowFactory, private_data_dir: Path, qtbot: QtBot
) -> None:
    stop_after = random.Random(seed).randint(1, len(ANSWERS))
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.autosave_driver", str(private_data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert driver.stdout is not None
    saved = 0
    try:
        for line in driver.stdout:
            saved = int(line.split()[1])
            if saved >= stop_after:
                break
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=10)
        driver.stdout.close()
    assert saved == stop_after
    pending, problems = Autosave(private_data_dir).pending()
    assert problems == []
    (found,) = pending
    expected = dict(list(ANSWERS.items())[:saved])
    assert {k: v for k, v in found.consultation.answers.items() if k in expected} == expected
    window = make_window()
    window.restore(found)
    assert window.model is not None
    assert all(window.model.consultation.answers[k] == v for k, v in expected.items())
    assert found.path.name in {p.name for p in private_data_dir.glob("autosave/*.json")}
