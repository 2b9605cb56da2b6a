"""A little style sheet so that choices stay visible in any palette and at any size.

Native radio buttons and check boxes draw their outline in a shade of the window
colour, which vanishes in a high-contrast (dark) palette, and they do not grow with
the font. These indicators use the palette's own text colour and are sized from the
font (style sheets cannot round corners in em, so sizes are computed in pixels).

The keyboard focus is a thick frame around the whole row of the focused option (not
only its small indicator) and around a focused field, so that it shows on a picked
option too. Its colour is the palette's highlight where that stands out from the window
by at least 3:1 (WCAG's contrast for a focus mark), else the window's text colour:
visible in the default, a dark and a high-contrast palette alike.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

__all__ = [
    "FOCUS_CONTRAST",
    "contrast",
    "focus_colour",
    "focus_width",
    "restyle",
    "style_sheet",
    "warning_colour",
]

FOCUS_CONTRAST = 3.0


def warning_colour(palette: QPalette) -> str:
    """The colour of an approval mark: dark red on a light window, light red on a dark
    one (high-contrast palettes), above 4.5:1 against either."""
    dark = palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
    return "#FF8A80" if dark else "#B00020"


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_colour(palette: QPalette) -> QColor:
    """The focus frame's colour: the highlight, unless it is too close to the window."""
    window = palette.color(QPalette.ColorRole.Window)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if contrast(highlight, window) >= FOCUS_CONTRAST:
        return highlight
    return palette.color(QPalette.ColorRole.WindowText)


def focus_width(line_height: int) -> int:
    """The focus frame's width in pixels, for a font whose lines are ``line_height`` high."""
    return max(3, round(line_height / 6))


def style_sheet(line_height: int, palette: QPalette | None = None) -> str:
    """The window's style sheet for a font whose lines are ``line_height`` pixels high,
    in ``palette`` (the application's by default)."""
    size = max(12, round(line_height * 0.8))
    focus = focus_width(line_height)
    mark = focus_colour(palette or QGuiApplication.palette()).name()
    return f"""
QRadioButton::indicator, QCheckBox::indicator {{
    width: {size}px; height: {size}px;
    border: 2px solid palette(text); background: palette(base);
}}
QRadioButton::indicator {{ border-radius: {size // 2 + 2}px; }}
QCheckBox::indicator {{ border-radius: 2px; }}
QRadioButton::indicator:checked, QCheckBox::indicator:checked {{ background: palette(text); }}
QRadioButton::indicator:focus, QCheckBox::indicator:focus {{ border-color: palette(highlight); }}
#option-row {{ border: {focus}px solid transparent; border-radius: 4px; }}
#option-row[focused="true"] {{ border-color: {mark}; }}
QLineEdit, QPlainTextEdit, QTextBrowser, QListWidget {{
    border: 1px solid palette(text); padding: {focus - 1}px;
}}
QLineEdit {{ background: palette(base); }}
QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus, QListWidget:focus {{
    border: {focus}px solid {mark}; padding: 0px;
}}
"""


def restyle(widget: QWidget, sheet: str) -> None:
    """Give ``widget`` the style sheet ``sheet``, only when it differs: setting one, even
    the same, re-polishes the widget and costs a relayout on every refresh."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)
