"""Suggested file names: any label becomes one plain file-name component, and the window's
save dialogs start outside the rule set, with no patient label in a test case.

:func:`sweep_names` takes the naming function, so the planted-bug test can hand it the
old recipe (``f"{label}.pdf"``) and see it reported.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from decision_aid.gui import exports, files, printing
from decision_aid.paths import MAX_NAME_BYTES, safe_file_name
from tests.conftest import MINI
from tests.hardening.harness import CASES, ContractViolation, budget

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
HOSTILE_LABELS = [
    "", " ", ".", "..", "...", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "C:", "C:\\x",
    "\\\\server\\share", "//host/x", "file:///etc", "~", "~root", "$HOME", "`rm -rf`", "-rf",
    "--help", ".bashrc", "CON", "con", "nul.txt", "NUL .txt", "COM1", "lpt9.pdf", "CONIN$",
    "con.", "aux ", "\x00", "a\x00b", "\n", "a\r\nb", "\t", "\x1b[31m", "\u202egpj.exe",
    "\u200b", "\ufeff", "\u2028", "\ud800", "／etc／passwd", "＼", "․․", "‥", "…", "︰",
    "a" * 1_000, "é" * 300, "😀" * 100, "日本語" * 50, "trailing dot.", "trailing space ",
    'quote"d', "a<b>c", "pipe|d", "star*", "ques?", "colon:", "  many   spaces  ",
]  # fmt: skip
LABELS = st.one_of(
    st.sampled_from(HOSTILE_LABELS),
    st.text(max_size=300),
    st.lists(st.sampled_from(HOSTILE_LABELS), max_size=5).map("".join),
)
SUFFIXES = st.sampled_from([".pdf", ".json", ".yaml", ".md"])

Namer = Callable[..., str]


def problem_with(name: str, suffix: str) -> str | None:
    """Why ``name`` is not one plain file-name component, or ``None``."""
    if not name or name in {".", ".."} or not name.endswith(suffix) or name == suffix:
        return "empty, a dot name, or no stem"
    if any(c in name for c in "/\\\x00") or ".." in name:
        return "holds a separator, NUL or '..'"
    if PurePosixPath(name).parts != (name,) or PureWindowsPath(name).parts != (name,):
        return "is more than one component"
    if PureWindowsPath(name).drive or PureWindowsPath(name).anchor:
        return "has a drive or an anchor"
    if any(unicodedata.category(c)[0] == "C" or c in '<>:"|?*' for c in name):
        return "holds a control, format or Windows-reserved character"
    if any(unicodedata.category(c) in {"Zl", "Zp"} for c in name):
        return "holds a line separator"
    if name[0] in ".-~ " or name[-1] in ". ":
        return "starts or ends badly (hidden file, option, home, trailing dot)"
    if name.split(".", maxsplit=1)[0].rstrip().upper() in WINDOWS_RESERVED:
        return "is a reserved Windows device name"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES + len(suffix):
        return f"is {len(name.encode())} bytes"
    return None


def check_name(namer: Namer, label: str, suffix: str, when: date | None) -> None:
    name = namer(label, suffix=suffix, fallback="discussion-sheet", when=when)
    why = problem_with(name, suffix)
    if why:
        raise ContractViolation(f"{label!r:.80} -> {name!r:.120} {why}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(b"x")
        if [p.name for p in Path(folder).iterdir()] != [name]:
            raise ContractViolation(f"{label!r:.80} -> {name!r:.80} did not land in its folder")


def sweep_names(namer: Namer, *, max_examples: int) -> int:
    ran = 0
    for label in HOSTILE_LABELS:
        check_name(namer, label, ".pdf", date(2026, 12, 1))
        ran += 1

    @settings(max_examples=max_examples, deadline=None, database=None,
              report_multiple_bugs=False, suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(label=LABELS, suffix=SUFFIXES, when=st.none() | st.dates())
    def one_case(label: str, suffix: str, when: date | None) -> None:
        nonlocal ran
        ran += 1
        check_name(namer, label, suffix, when)

    one_case()
    CASES["file names"] += ran
    return ran


def test_every_label_becomes_one_plain_file_name() -> None:
    assert sweep_names(safe_file_name, max_examples=budget(300)) >= len(HOSTILE_LABELS)


def test_the_sweep_reports_the_old_recipe() -> None:
    def old(label: str, *, suffix: str, fallback: str, when: date | None = None) -> str:
        return f"{label or fallback}{suffix}"

    with pytest.raises(ContractViolation, match=r" -> "):
        sweep_names(old, max_examples=10)


def test_a_name_keeps_what_is_safe() -> None:
    when = date(2026, 12, 1)
    assert safe_file_name("J. Smith", suffix=".pdf", fallback="x", when=when) == (
        "J. Smith 2026-12-01.pdf"
    )
    assert safe_file_name("Mrs O'Brien: 12/3", suffix=".json", fallback="x") == (
        "Mrs O'Brien-12-3.json"
    )
    assert safe_file_name("../..", suffix=".pdf", fallback="discussion-sheet") == (
        "discussion-sheet.pdf"
    )
    assert safe_file_name("nul.txt", suffix=".pdf", fallback="x") == "nul-file.txt.pdf"


# -- the window's save dialogs -----------------------------------------------------------


@pytest.fixture
def suggested(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path a save dialog was opened on; each dialog is cancelled."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    shown: list[str] = []

    def record(parent: Any, caption: str, path: str, *args: Any, **kwargs: Any) -> Any:
        shown.append(path)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", record)
    # The export first asks for the patient's identifier (optional): none given.
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("", True))
    return shown


LABEL = "../Jane/../../CON\x00 \u202e"


def test_every_save_dialog_suggests_one_plain_name_outside_the_rule_set(
    make_window: Callable[..., Any],
    suggested: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    from decision_aid.gui.sheet_preview import SheetPreview

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr("decision_aid.paths.user_documents_path", lambda: documents)
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    window.model.set_patient_label(LABEL[:40])
    files.save_as(window)
    exports.save_test_case(window)
    exports.export_fhir(window)
    monkeypatch.setattr(SheetPreview, "exec", lambda self: self.save_sheet() or 0)
    printing.preview_sheet(window)  # Print, then "Save as PDF…"
    qtbot.waitUntil(lambda: len(suggested) == 4, timeout=30000)  # drawn off the UI thread
    for path in map(Path, suggested):
        assert path.parent == documents, path
        assert problem_with(path.name, path.suffix) is None, path.name
        assert MINI not in path.parents
    case = Path(suggested[1]).name
    assert "Jane" not in case
    assert "CON" not in case
    assert case.startswith("case ")
    assert case.endswith(".yaml")


def test_the_next_dialog_starts_in_the_folder_last_chosen(
    make_window: Callable[..., Any],
    suggested: list[str],
    tmp_path: Path,
) -> None:
    window = make_window(MINI)
    window.model.set_answer("diagnosis", "a")
    chosen = tmp_path / "cases"
    chosen.mkdir()
    assert exports.write_test_case(window, window.save_folder.chosen(str(chosen / "one.yaml")))
    exports.save_test_case(window)
    assert Path(suggested[0]).parent == chosen
    text = (chosen / "one.yaml").read_text()
    assert "patient" not in text.lower()
