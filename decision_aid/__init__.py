"""decision-aid: a shared decision aid, whether a treatment is worth discussing, from rules
written as data (a rule set of YAML files).

The package is layered: ``domain`` holds the pure model and engine (no Qt, no
reportlab, no I/O beyond loading a rule set), and the CLI, the GUI and the
discussion sheet sit on top of it.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
