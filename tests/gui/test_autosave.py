"""Never lose an answer: kill the app mid-consultation, start again, find every answer."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from decision_aid.domain.yamlsource import read_yaml
from decision_aid.gui import files
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage.autosave import Autosave
from decision_aid.storage.consultation_file import MAX_CONSULTATION_BYTES
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


def test_a_consultation_too_large_to_open_again_is_not_saved_and_the_window_says_so(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    path = window.autosave.path_for(window.model.consultation)
    before = path.read_bytes()
    # (an answer, not the notes: a 4 MB note takes minutes to lay out in the notes box)
    window.model.set_answer("goals", "n" * MAX_CONSULTATION_BYTES)
    text = window.status.save_label.text()
    assert text.startswith("NOT KEPT on this computer:"), text
    assert "Shorten the answers" in text
    assert path.read_bytes() == before


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[Path]:
    """A data folder on a tmpfs that can be made read-only (root and mount(8) only)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a read-only mount needs root and mount(8)")
    point = tmp_path / "ro"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(point)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _window(qtbot: QtBot, data: Path) -> MainWindow:
    window = MainWindow(BUNDLED, Autosave(data))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_new_and_quit_work_when_the_data_folder_cannot_be_made(
    tmp_path: Path, qtbot: QtBot
) -> None:
    (tmp_path / "a-file").write_text("")
    window = _window(qtbot, tmp_path / "a-file" / "data")
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    text = window.status.save_label.text()
    assert "cannot be kept on this computer (Not a directory)" in text, text
    first = window.model.consultation.id
    files.new_consultation(window)
    assert window.model.consultation.id != first, "New shows a new consultation"
    assert window.model.consultation.answers == {}
    assert "cannot be kept on this computer" in window.status.save_label.text()
    assert window.close(), "Quit works, without a traceback"


def test_new_and_quit_work_when_the_data_folder_turns_read_only(
    read_only_data: Path, qtbot: QtBot
) -> None:
    window = _window(qtbot, read_only_data)
    assert window.model is not None
    window.model.set_answer("diagnosis", "crps")
    path = window.autosave.path_for(window.model.consultation)
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_data)], check=True)
    window.model.set_answer("tried", "yes")
    assert "Read-only file system" in window.status.save_label.text()
    files.new_consultation(window)  # the old autosave cannot be deleted: it stays, nothing breaks
    assert window.model.consultation.answers == {}
    assert (
        "cannot be kept on this computer (Read-only file system)" in window.status.save_label.text()
    )
    assert window.close()
    assert path.exists(), "offered again at the next start rather than lost"
    pending, _ = Autosave(read_only_data).pending()
    assert [p.path for p in pending] == [path]


@pytest.mark.parametrize(
    ("target", "typed", "expected"),
    [("age", "53", {"age": 53.0}), ("notes", "Drives to work; discussed.", None)],
)
def test_what_is_typed_is_autosaved_within_300_ms_of_the_last_key(
    target: str, typed: str, expected: dict[str, object] | None, private_data_dir: Path
) -> None:
    """A number or a note typed and not yet left survives a SIGKILL 300 ms after the key."""
    typing = ["type", target, typed]
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.autosave_driver", str(private_data_dir), *typing],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert driver.stdout is not None
    try:
        line = driver.stdout.readline()
        last_key = float(line.split()[1])
        time.sleep(max(0.0, last_key + 0.3 - time.time()))
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=10)
        driver.stdout.close()
    (found,), problems = Autosave(private_data_dir).pending()
    assert problems == []
    if expected is None:
        assert found.consultation.notes == typed
    else:
        assert found.consultation.answers == expected
    assert found.path.stat().st_mtime - last_key < 0.3
