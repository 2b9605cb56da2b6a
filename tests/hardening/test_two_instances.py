"""Two instances on one data folder: the second never offers, restores, discards or
cleans what the first (a real, separate process) holds; once it ends, all is offered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from decision_aid.domain.errors import StorageError
from decision_aid.gui.app import offer_recovery
from decision_aid.storage.autosave import Autosave, Pending
from decision_aid.storage.consultation_file import read_consultation
from tests.conftest import MINI

ROOT = Path(__file__).parent.parent.parent

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the holder is a POSIX process")


class Holder:
    """The first instance, in its own process."""

    def __init__(self, data: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hardening.autosave_holder", str(data)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("holding "), line
        self.path = Path(line.removeprefix("holding ").strip())
        self.temp = self.path.with_name(f".{self.path.name}.inflight.tmp")

    def finish(self) -> str:
        """Let the first instance save once more and end; its last line."""
        out, _ = self.process.communicate("\n", timeout=30)
        return out.strip()


@pytest.fixture
def holder(private_data_dir: Path) -> Iterator[Holder]:
    held = Holder(private_data_dir)
    yield held
    if held.process.poll() is None:
        held.process.kill()
        held.process.wait(timeout=10)


def test_a_second_instance_leaves_the_first_ones_consultation_alone(
    holder: Holder, private_data_dir: Path
) -> None:
    before = holder.path.read_bytes()
    second = Autosave(private_data_dir)
    assert second.pending() == ([], [])
    assert holder.temp.exists(), "its temporary file is in flight, however old"
    live = Pending(holder.path, read_consultation(holder.path))
    assert second.discard_pending(live) is False
    with pytest.raises(StorageError, match="open in another decision-aid window"):
        second.claim(live)
    assert holder.path.read_bytes() == before
    assert holder.finish() == "saved", "the first instance still saves in its own file"
    assert read_consultation(holder.path).notes == "still mine"

    # It has ended: now it is an unfinished consultation, offered once, cleaned up.
    pending, problems = second.pending()
    assert problems == []
    assert [p.path for p in pending] == [holder.path]
    assert not holder.temp.exists(), "an old temporary file of an unlocked slot is removed"
    second.claim(pending[0])
    assert second.save(pending[0].consultation) == holder.path


def test_the_second_window_offers_nothing_the_first_holds(
    holder: Holder,
    private_data_dir: Path,
    make_window: Callable[..., Any],
    shown_messages: list[tuple[str, str]],
) -> None:
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    offer_recovery(window, window.autosave)
    assert shown_messages == [], "nothing offered, nothing reported"
    mine = window.model.consultation
    window.restore(Pending(holder.path, read_consultation(holder.path)))  # offered by a race
    assert [title for title, _ in shown_messages] == ["The consultation was not restored"]
    assert "open in another decision-aid window" in shown_messages[0][1]
    assert window.model.consultation == mine
    assert window.status.save_label.text().startswith("Kept on this computer"), (
        "its own autosave goes on"
    )
    window.close()
    assert holder.path.exists()
    assert holder.finish() == "saved"


def _answer(button_text: str) -> Callable[[QMessageBox], int]:
    def click(box: QMessageBox) -> int:
        (button,) = [b for b in box.buttons() if b.text() == button_text]
        button.click()
        return 0

    return click


@pytest.mark.parametrize(("confirm", "kept"), [("No", True), ("Yes", False)])
def test_discard_it_asks_first(
    confirm: str,
    kept: bool,
    private_data_dir: Path,
    make_window: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = Autosave(private_data_dir)
    window = make_window(MINI)
    left = first.save(
        window.model.consultation.with_answer("diagnosis", "a", now=window.model.clock())
    )
    first.close()  # as after a crash
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(title)
        button: QMessageBox.StandardButton = getattr(QMessageBox.StandardButton, confirm)
        return button

    monkeypatch.setattr(QMessageBox, "exec", _answer("&Discard it"))
    monkeypatch.setattr(QMessageBox, "question", question)
    offer_recovery(window, window.autosave)
    assert asked == ["Delete the unfinished consultation?"]
    assert left.exists() is kept
