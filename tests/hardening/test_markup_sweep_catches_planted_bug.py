"""The markup sweep can fail: plant a slip in the window and watch the sweep report it.

Each test runs the very sweep the markup tests run, on a deliberately weakened window
(a subclass that undoes one fix through public methods) or a text function that does
not escape, with the harmless probe markup only (a weakened window given device markup
would read /dev/zero until memory ran out).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from decision_aid.domain.consultation import Consultation
from decision_aid.gui.main_window import MainWindow
from decision_aid.storage.autosave import Autosave
from tests.conftest import MINI
from tests.hardening.markup import (
    PROBE_MARKUP,
    BoxRecorder,
    check_shown,
    collect_shown,
)
from tests.hardening.markup_sweeps import (
    sweep_consultation_files,
    sweep_error_panel,
    sweep_rule_set_window,
)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> BoxRecorder:
    return BoxRecorder(monkeypatch)


@pytest.fixture
def make(qtbot: Any, private_data_dir: Path) -> Callable[[type[MainWindow]], Callable[[Path], Any]]:
    """A factory of windows of the given (weakened) class."""

    def factory(kind: type[MainWindow]) -> Callable[[Path], Any]:
        def make_window(rules_dir: Path) -> MainWindow:
            window = kind(rules_dir, Autosave(private_data_dir))
            qtbot.addWidget(window)
            window.show()
            return window

        return make_window

    return factory


def probes(tmp_path: Path) -> list[str]:
    return [p.format(canary=tmp_path / "canary.png") for p in PROBE_MARKUP]


class AutoTextHelp(MainWindow):
    """The slip: the help labels left in Qt's default AutoText."""

    def load_rules(self, carry: Consultation | None) -> None:
        super().load_rules(carry)
        for label in self.findChildren(QLabel, "help"):
            label.setTextFormat(Qt.TextFormat.AutoText)


class UnescapedErrorPanel(MainWindow):
    """The slip: the error panel's heading quotes the rules folder unescaped."""

    def load_rules(self, carry: Consultation | None) -> None:
        super().load_rules(carry)
        if self.model is None:
            self.error_panel.heading.setText(f"<p>Problems in <code>{self.rules_dir}</code></p>")


class StaticNotices(MainWindow):
    """The slip: the notices shown with ``QMessageBox.information`` (AutoText)."""

    def refresh(self) -> None:  # after a file was opened, among others
        super().refresh()
        if self.model is not None and self.model.notices and self.model.saved_path:
            QMessageBox.information(self, "Opened", "\n\n".join(self.model.notices))


class MnemonicButton(MainWindow):
    """The slip: a rule-set label put on a button as it is (its ``&`` becomes a shortcut)."""

    def load_rules(self, carry: Consultation | None) -> None:
        super().load_rules(carry)
        if self.model is not None:
            button = QPushButton(self.model.rule_set.info.levels[0].label, self)
            button.setObjectName("planted")


class RawTitle(MainWindow):
    """The slip: the rule set's title put in the window title as it is (``[*]`` vanishes)."""

    def refresh(self) -> None:
        super().refresh()
        if self.model is not None:
            self.setWindowTitle(f"decision-aid — {self.model.rule_set.info.title}")


def test_the_sweep_reports_a_label_left_in_auto_text(
    make: Any, boxes: BoxRecorder, tmp_path: Path
) -> None:
    report = sweep_rule_set_window(make(AutoTextHelp), boxes, MINI, tmp_path, [probes(tmp_path)])
    assert report.problems
    assert all("QLabel 'help'" in p for p in report.problems), report.problems[:3]
    assert report.clean < report.inputs


def test_the_sweep_reports_a_text_function_that_does_not_escape(
    make: Any, boxes: BoxRecorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("decision_aid.gui.outcome_panel.html_text", str)
    report = sweep_rule_set_window(make(MainWindow), boxes, MINI, tmp_path, [probes(tmp_path)])
    assert any("QTextBrowser 'details'" in p for p in report.problems), report.problems[:3]


def test_the_sweep_reports_a_shortcut_made_of_file_text(
    make: Any, boxes: BoxRecorder, tmp_path: Path
) -> None:
    rounds = [["A & B && C &x"]]
    report = sweep_rule_set_window(make(MnemonicButton), boxes, MINI, tmp_path, rounds)
    assert any("QPushButton 'planted'" in p for p in report.problems), report.problems[:3]


def test_the_sweep_reports_a_window_title_that_loses_its_marks(
    make: Any, boxes: BoxRecorder, tmp_path: Path
) -> None:
    rounds = [["[*] marked [*][*]"]]
    report = sweep_rule_set_window(make(RawTitle), boxes, MINI, tmp_path, rounds)
    assert any("'main-window' title" in p for p in report.problems), report.problems[:3]


def test_the_sweep_reports_notices_shown_by_a_static_helper(
    make: Any, boxes: BoxRecorder, tmp_path: Path
) -> None:
    report = sweep_consultation_files(make(StaticNotices), boxes, MINI, tmp_path, probes(tmp_path))
    assert any("static message box 'Opened'" in p for p in report.problems), report.problems[:3]


def test_the_sweep_reports_an_unescaped_rules_folder(
    make: Any, boxes: BoxRecorder, tmp_path: Path
) -> None:
    report = sweep_error_panel(make(UnescapedErrorPanel), boxes, MINI, tmp_path, probes(tmp_path))
    assert any("rendered as rich text" in p for p in report.problems), report.problems[:3]


@pytest.mark.parametrize(
    ("text", "form", "literal"),
    [
        ("<b>x</b> §0§", Qt.TextFormat.AutoText, False),
        ("<b>x</b> §0§", Qt.TextFormat.PlainText, True),
        ("<b>x</b> §0§", Qt.TextFormat.RichText, False),
        ("&lt;b&gt;x&lt;/b&gt; §0§", Qt.TextFormat.RichText, True),
        ("**x** §0§", Qt.TextFormat.MarkdownText, False),
    ],
)
def test_the_check_tells_a_literal_label_from_a_rendered_one(
    qtbot: Any, text: str, form: Qt.TextFormat, literal: bool
) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    label = QLabel(root)
    label.setTextFormat(form)
    label.setText(text)
    problems, seen = check_shown(collect_shown(root), {"§0§": "<b>x</b> §0§"})
    assert (problems == [] and seen == {"§0§"}) is literal, problems


def test_the_check_never_parses_markup_that_loads_a_resource(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    root.setToolTip("<img src='/nonexistent/zero'> §0§")  # a tooltip is rich when it looks so
    problems, _ = check_shown(collect_shown(root), {"§0§": "<img src='/nonexistent/zero'> §0§"})
    assert any("loads a resource" in p for p in problems)


def test_the_check_sees_a_lost_ampersand_and_a_lost_title_mark(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    root.setWindowTitle("a [*] b §0§")
    QPushButton("A & B §1§", root)
    values = {"§0§": "a [*] b §0§", "§1§": "A & B §1§"}
    problems, _ = check_shown(collect_shown(root), values)
    assert len(problems) == 2, problems
