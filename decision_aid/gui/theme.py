"""A little style sheet so that choices stay visible in any palette and at any size.

Native radio buttons and check boxes draw their outline in a shade of the window
colour, which vanishes in a high-contrast (dark) palette, and they do not grow with
the font. These indicators use the palette's own text colour and are sized from the
font (style sheets cannot round corners in em, so sizes are computed in pixels).
"""

from __future__ import annotations

__all__ = ["style_sheet"]


def style_sheet(line_height: int) -> str:
    """The window's style sheet for a font whose lines are ``line_height`` pixels high."""
    size = max(12, round(line_height * 0.8))
    focus = max(3, round(line_height / 6))
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
#option-row[focused="true"] {{ border-color: palette(highlight); }}
QLineEdit, QPlainTextEdit, QTextBrowser, QListWidget {{
    border: 1px solid palette(text); padding: {focus - 1}px;
}}
QLineEdit {{ background: palette(base); }}
QLineEdit:focus, QPlainTextEdit:focus, QTextBrowser:focus, QListWidget:focus {{
    border: {focus}px solid palette(highlight); padding: 0px;
}}
"""
