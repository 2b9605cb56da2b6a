"""Icon arrays: 100 small figures, the affected ones filled, drawn as vector graphics."""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor, white
from reportlab.platypus import Flowable

__all__ = ["IconArray"]

INK = HexColor("#1A1A1A")


class IconArray(Flowable):
    """A 10 × 10 array of people; the first ``count`` are filled in ``colour``."""

    def __init__(self, count: int, colour: Color, *, size: float = 8.5) -> None:
        super().__init__()
        self.count = max(0, min(100, count))
        self.colour = colour
        self.size = size
        self.width = self.height = size * 10

    def _person(self, x: float, y: float, filled: bool) -> None:
        canvas = self.canv
        s = self.size
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(self.colour if filled else white)
        canvas.circle(x + s * 0.5, y + s * 0.78, s * 0.17, stroke=1, fill=1)
        canvas.roundRect(x + s * 0.25, y + s * 0.08, s * 0.5, s * 0.5, s * 0.15, stroke=1, fill=1)

    def draw(self) -> None:
        for index in range(100):
            row, column = divmod(index, 10)
            # Fill from the top left, reading order, so counts compare at a glance.
            y = self.size * (9 - row)
            self._person(self.size * column, y, index < self.count)
