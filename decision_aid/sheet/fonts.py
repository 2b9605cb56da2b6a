"""The sheet's fonts: DejaVu Sans, shipped in resources/ and embedded in every PDF."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from decision_aid.paths import project_root

__all__ = ["BOLD", "ITALIC", "REGULAR", "register_fonts"]

REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"


@cache
def register_fonts() -> None:
    """Register the faces once per process (each costs milliseconds to parse)."""
    folder = project_root() / "resources" / "fonts"
    for name in (REGULAR, BOLD, ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD
    )
