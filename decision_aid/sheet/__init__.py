"""The discussion sheet (reportlab): one function, ``render``, which the GUI and the CLI call."""

from __future__ import annotations

from decision_aid.sheet.render import render

__all__ = ["render"]
