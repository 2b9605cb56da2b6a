"""Shown instead of the questionnaire when the rule set is broken: every problem,
as the command line prints it, and a way to reload once the YAML is fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from decision_aid.gui.text import html_text

if TYPE_CHECKING:
    from decision_aid.domain import Problem

__all__ = ["ErrorPanel"]


class ErrorPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error-panel")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)  # our markup; the path is escaped
        self.heading.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setAccessibleName("Problems in the rule set")
        self.problems.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.reload_button = QPushButton("&Reload rules (F5)")
        self.reload_button.setObjectName("reload")
        layout.addWidget(self.heading)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.reload_button)

    def show_problems(self, source: str, problems: tuple[Problem, ...]) -> None:
        count = len(problems)
        self.heading.setText(
            f"<h2>The rule set cannot be used</h2><p>{count} problem(s) were found in "
            f"<code>{html_text(source)}</code>. Until they are fixed, decision-aid gives no "
            "outcome, and it does not fall back to another rule set. Fix the files and choose "
            "<b>Reload rules</b>.</p>"
        )
        self.problems.clear()
        self.problems.addItems([p.format() for p in problems])  # list items are plain text
