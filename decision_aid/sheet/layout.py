"""The sheet's building blocks: escaped text, styles, tables that split, page numbers.

Every string from a rule set or a consultation is untrusted. reportlab's ``Paragraph``
parses its text as markup (``<img src=...>`` would read a file, ``<font size=...>``
would break the layout), so text reaches a Paragraph only through :func:`text`, which
escapes it, and every Paragraph is built by :func:`para`, which takes :data:`Markup`
only: mypy rejects a plain ``str`` there. Tables split inside a row, so no text is too
long for a page; a field is shortened (visibly) only past :data:`MAX_FIELD_CHARS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any, NewType

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from decision_aid.domain import RuleSet
from decision_aid.sheet.fonts import BOLD, REGULAR

__all__ = [
    "FRAME_WIDTH",
    "MARGIN",
    "MAX_FIELD_CHARS",
    "Citations",
    "Markup",
    "NumberedCanvas",
    "SplittingTable",
    "first_sentence",
    "heading",
    "para",
    "plain",
    "sentence",
    "styles",
    "table",
    "table_style",
    "text",
]

Markup = NewType("Markup", str)
"""Text reportlab may parse: the app's own markup around escaped input, nothing else."""

MAX_FIELD_CHARS = 10_000
"""Past this a field is cut, with a note saying so: a sheet is read, not searched."""
FOOTER_CHARS = 160  # the footer has room for about two lines of each

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=12,
        leading=17,
        alignment=TA_LEFT,
    )

    def style(name: str, **changes: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "title": style(
            "title", fontName=BOLD, fontSize=22, leading=28, spaceAfter=8, keepWithNext=1
        ),
        "h2": style(
            "h2",
            fontName=BOLD,
            fontSize=17,
            leading=22,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": style(
            "h3",
            fontName=BOLD,
            fontSize=13.5,
            leading=19,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "bullet": style("bullet", leftIndent=14, bulletIndent=2, spaceAfter=3),
        "cell": style("cell", fontSize=12, leading=16),
        "grid": style("grid", fontSize=11, leading=14),
        "small": style("small", fontSize=9, leading=12),
        "clin": style("clin", fontSize=9.5, leading=12.5),
        "clin-h": style("clin-h", fontName=BOLD, fontSize=12, leading=15, spaceBefore=6),
        "id": style("id", fontSize=8.5, leading=11, splitLongWords=0),
        "badge": style("badge", fontName=BOLD, fontSize=18, leading=24),
    }


class Citations:
    """Numbers references in order of first use; every claim shows its numbers."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self.order: list[str] = []

    def mark(self, ids: Sequence[str]) -> Markup:
        numbers = []
        for ref in ids:
            if ref not in self.order:
                self.order.append(ref)
            numbers.append(self.order.index(ref) + 1)
        return Markup(f" <font size='9'>[{', '.join(str(n) for n in sorted(set(numbers)))}]</font>")


class NumberedCanvas(Canvas):
    """Holds the pages back until the end, so every footer can say "page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            footer = getattr(self, "_footer", None)
            if footer is not None:
                footer(self, total)
            super().showPage()
        super().save()


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose plain-text cells use the embedded font, not Helvetica."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def sentence(text: str) -> str:
    """Capitalised and ending in a full stop, without lower-casing "CRPS"."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def first_sentence(text: str) -> str:
    """The first sentence, for the footer; the whole text is printed on the last page."""
    end = text.find(". ")
    first = text if end < 0 else text[: end + 1]
    return first if len(first) <= FOOTER_CHARS else first[: FOOTER_CHARS - 1].rstrip() + "…"


# C0 and C1 controls (but tab and newline) and lone surrogates: reportlab can neither
# measure nor encode them. NUL would end a C string in a viewer.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text(value: object) -> Markup:
    """Any text from a file, as literal Paragraph text: escaped, printable, length-capped."""
    shown = _UNPRINTABLE.sub("\ufffd", str(value))
    if len(shown) > MAX_FIELD_CHARS:
        cut = len(shown) - MAX_FIELD_CHARS
        shown = f"{shown[:MAX_FIELD_CHARS]} […{cut} more characters, not printed]"
    return Markup(escape(shown, quote=False))


def para(markup: Markup, style: ParagraphStyle, *, bullet: bool = False) -> Paragraph:
    """The only way a Paragraph is made: from :data:`Markup`, never from a plain ``str``."""
    return Paragraph(markup, style, bulletText="•" if bullet else None)


HEADING_ROOM = 34 * mm
"""A heading starts a new page unless this much room is left: it never stands alone at a
page's foot. (reportlab's keepWithNext would move a heading and a long table together to
the next page, leaving most of this one blank.)"""


def heading(words: str, style: ParagraphStyle) -> list[Flowable]:
    """A heading that keeps with the start of what follows it."""
    return [CondPageBreak(HEADING_ROOM), plain(words, style)]


def plain(words: str, style: ParagraphStyle) -> Paragraph:
    """Text shown as it is, whatever it holds."""
    return para(text(words), style)


REPEAT_HEADER_POINTS = 120.0  # a taller header is not repeated: it could not split


def _height(cell: Any, width: float) -> float:
    cells = cell if isinstance(cell, list) else [cell]
    return sum(c.wrap(width, 1e9)[1] for c in cells if isinstance(c, Flowable))


class SplittingTable(Table):
    """A table that splits inside a row when one cell is taller than the page.

    reportlab refuses an in-row split that would leave less than ``splitInRow`` points
    for the next page, so a row a hair taller than the frame could not be placed at
    all (LayoutError); then the split is tried again a little higher up.
    """

    def __init__(self, rows: Any, *args: Any, **options: Any) -> None:
        options.setdefault("splitByRow", 1)  # reportlab re-creates the pieces of a split
        options.setdefault("splitInRow", 1)
        super().__init__(rows, *args, **options)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if not parts and availHeight > 4 * SPLIT_SLACK:
            parts = super().split(availWidth, availHeight - SPLIT_SLACK)
        return parts


SPLIT_SLACK = 12.0


def table(rows: list[list[Any]], *, repeatRows: int = 0, **options: Any) -> Table:
    """A table that splits inside a row when one cell is taller than the page.

    reportlab cannot split a repeated header row, so a header row made tall by long
    text (an option's title) is printed once instead of on every page.
    """
    widths = options.get("colWidths") or [A4[0]] * len(rows[0])
    if repeatRows and any(
        _height(cell, width - 12) > REPEAT_HEADER_POINTS
        for row in rows[:repeatRows]
        for cell, width in zip(row, widths, strict=False)
    ):
        repeatRows = 0
    return SplittingTable(rows, repeatRows=repeatRows, **options)
