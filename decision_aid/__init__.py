"""decision-aid: a shared decision aid for whether a treatment is worth discussing.

The package is layered: ``domain`` holds the pure model and engine (no Qt, no
reportlab, no I/O beyond loading a rule set), ``present`` the wordings shared by every
surface, and the CLI, the GUI and the discussion sheet sit on top of them. The rule set
(bundled: ketamine for chronic pain) is data under ``rules/``.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
