"""The list of sections on the left: each with its number, its title, whether it is
started or complete, and how many of its answers are "Not known"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

if TYPE_CHECKING:
    from decision_aid.domain.progress import Progress
    from decision_aid.domain.questionnaire import Section

__all__ = ["SectionList"]

_MARKS = {"not started": "○", "in progress": "◐", "complete": "✓"}


class SectionList(QListWidget):
    """One row per section; ``currentRowChanged`` tells which one to show."""

    def __init__(self, sections: tuple[Section, ...] | list[Section]) -> None:
        super().__init__()
        self.setObjectName("sections")
        self.setAccessibleName("Sections")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it wraps
        self.titles = [section.title for section in sections]
        for number, title in enumerate(self.titles, start=1):
            self.addItem(QListWidgetItem(f"{number}  {title}"))

    def show_progress(self, progress: Progress) -> None:
        for row, (title, state) in enumerate(zip(self.titles, progress.sections, strict=True)):
            item = self.item(row)
            unknown = f" · {state.not_known} not known" if state.not_known else ""
            text = f"{_MARKS[str(state.state)]}  {row + 1}  {title}{unknown}"
            if item.text() != text:
                item.setText(text)
            item.setToolTip(
                f"{state.state}: {state.answered} of {state.asked} answered, "
                f"{state.not_known} not known"
            )
