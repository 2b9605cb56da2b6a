"""Icon arrays: one small figure per person of a group, the affected ones filled.

A group is drawn as it was counted: 12 people are 12 figures, never scaled to 100.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor, white
from reportlab.platypus import Flowable

__all__ = ["MAX_PEOPLE", "IconArray"]

INK = HexColor("#1A1A1A")


MAX_PEOPLE = 100
"""A larger group is stated in words: its figures would be too small to count."""


class IconArray(Flowable):
    """``total`` people in rows of ten; the first ``count`` are filled in ``colour``."""

    def __init__(
        self, count: int, colour: Color, *, total: int = MAX_PEOPLE, size: float = 11
    ) -> None:
        super().__init__()
        self.total = max(1, min(MAX_PEOPLE, total))
        self.count = max(0, min(self.total, count))
        self.colour = colour
        self.size = size
        self.rows = -(-self.total // 10)
        self.width = size * 10
        self.height = size * self.rows

    def _form(self, filled: bool) -> str:
        """One person drawn once per document as a reusable form; each icon refers to it."""
        canvas = self.canv
        colour = self.colour.hexval() if filled else "empty"
        name = f"person-{colour}-{self.size:g}"
        made: set[str] = canvas.__dict__.setdefault("_icon_forms", set())
        if name not in made:
            made.add(name)
            s = self.size
            canvas.beginForm(name, lowerx=0, lowery=0, upperx=s, uppery=s)
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.5)
            canvas.setFillColor(self.colour if filled else white)
            canvas.circle(s * 0.5, s * 0.78, s * 0.17, stroke=1, fill=1)
            canvas.roundRect(s * 0.25, s * 0.08, s * 0.5, s * 0.5, s * 0.15, stroke=1, fill=1)
            canvas.endForm()
        return name

    def draw(self) -> None:
        canvas = self.canv
        forms = (self._form(True), self._form(False))
        for index in range(self.total):
            row, column = divmod(index, 10)
            # Fill from the top left, reading order, so counts compare at a glance.
            canvas.saveState()
            canvas.translate(self.size * column, self.size * (self.rows - 1 - row))
            canvas.doForm(forms[0] if index < self.count else forms[1])
            canvas.restoreState()
