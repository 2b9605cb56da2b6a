"""Icon arrays: 100 small figures, the affected ones filled, drawn as vector graphics."""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor, white
from reportlab.platypus import Flowable

__all__ = ["IconArray"]

INK = HexColor("#1A1A1A")


class IconArray(Flowable):
    """A 10 × 10 array of people; the first ``count`` are filled in ``colour``."""

    def __init__(self, count: int, colour: Color, *, size: float = 11) -> None:
        super().__init__()
        self.count = max(0, min(100, count))
        self.colour = colour
        self.size = size
        self.width = self.height = size * 10

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
        for index in range(100):
            row, column = divmod(index, 10)
            # Fill from the top left, reading order, so counts compare at a glance.
            canvas.saveState()
            canvas.translate(self.size * column, self.size * (9 - row))
            canvas.doForm(forms[0] if index < self.count else forms[1])
            canvas.restoreState()
