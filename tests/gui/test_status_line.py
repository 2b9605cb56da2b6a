"""The status line on a narrow window (200% on 1440×900, or 1280×720): every part readable,
cut only at a word, where the answers are kept never cut, and the whole line by Ctrl+I."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from decision_aid.gui import files
from decision_aid.gui.status import ELLIPSIS, MIN_START, StatusText, cut_at_word
from tests.gui.conftest import WindowFactory

WORDS = st.lists(st.text("abc·:;(", min_size=1, max_size=6), min_size=1, max_size=8)


@given(words=WORDS, room=st.integers(min_value=0, max_value=40))
def test_a_cut_ends_at_a_word_and_fits(words: list[str], room: int) -> None:
    text = " ".join(words)
    shown = cut_at_word(text, lambda t: len(t) <= room)
    if shown == text:
        assert len(text) <= room
        return
    assert shown.endswith(ELLIPSIS)
    start = shown.removesuffix(ELLIPSIS)
    assert text.startswith(start)
    assert start == "" or text[len(start)] in " ·:;(", "cut inside a word"
    assert start == "" or len(start) >= MIN_START, "too little left to say anything"
    assert len(shown) <= room or shown == ELLIPSIS


def test_a_cut_keeps_whole_clauses_where_one_fits() -> None:
    text = "2 of 5 sections complete · safety: 1 not known, 7 not answered"
    assert cut_at_word(text, lambda t: len(t) <= 40) == "2 of 5 sections complete…"
    assert cut_at_word(text, lambda t: len(t) <= 10) == "2 of 5…"
    assert cut_at_word(text, lambda t: len(t) <= 4) == "…", '"2…" says nothing'


def _parts(window: object) -> list[StatusText]:
    return [
        w
        for w in window.statusBar().findChildren(StatusText)  # type: ignore[attr-defined]
        if w.isVisible()
    ]


def test_a_narrow_status_line_is_cut_at_words_and_whole_by_keyboard(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    assert window.model is not None
    window.model.set_answer("cardiovascular", "unknown")
    assert files.write(window, tmp_path / "Jane Doe, second consultation, December.json")
    window.model.set_answer("diagnosis", "crps")  # the file is now behind the answers
    window.statusBar().clearMessage()  # "Saved to …" for 5 s hides the parts meanwhile
    for size in [(720, 450), (1280, 680)]:  # 200% on 1440×900; 1280×720 less the frame
        window.resize(*size)
        qtbot.waitUntil(lambda: window.statusBar().width() <= window.width())
        QApplication.processEvents()
        save = window.status.save_label
        assert save.shown_text() == save.text(), "where the answers are is never cut"
        assert save.text().startswith("Kept on this computer at ")
        for part in _parts(window):
            shown = part.shown_text()
            assert part.fontMetrics().horizontalAdvance(shown) <= part.contentsRect().width()
            start = shown.removesuffix(ELLIPSIS)
            assert part.text().startswith(start)
            if start and shown != part.text():
                assert part.text()[len(start)] in " ·:;,(", f"cut inside a word: {shown!r}"
    assert any(p.shown_text() != p.text() for p in _parts(window)), "nothing was cut at 720"

    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+I showed nothing"
    for part in _parts(window):
        assert part.text() in seen[0].split("\n")
    assert "changes not saved to Jane Doe" in seen[0]
    assert str(tmp_path / "Jane Doe, second consultation, December.json") in seen[0]
