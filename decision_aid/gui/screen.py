"""Sizes that fit the screen a window opens on: never larger than its available area
(the desktop less panels and docks), whatever the scale, so buttons stay on screen."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["NARROW_WIDTH", "fit_to_screen"]

NARROW_WIDTH = 1000
"""Below this width (in device-independent pixels) the outcome goes under the questions."""

FRAME_ALLOWANCE = 48
"""Room for the window manager's title bar and borders, which the size does not include."""


def fit_to_screen(widget: QWidget, preferred: QSize, *, share: float = 0.92) -> bool:
    """Resize ``widget`` to ``preferred``, or to ``share`` of the available screen where
    that is smaller, and keep it on that screen. True when the screen was the smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(preferred)
        return False
    area = screen.availableGeometry()
    width = min(preferred.width(), int(area.width() * share))
    height = min(preferred.height(), int(area.height() * share) - FRAME_ALLOWANCE)
    widget.resize(max(width, 320), max(height, 240))
    left = area.left() + (area.width() - widget.width()) // 2
    top = area.top() + max(0, (area.height() - widget.height() - FRAME_ALLOWANCE) // 2)
    widget.move(left, top)
    return width < preferred.width() or height < preferred.height()
