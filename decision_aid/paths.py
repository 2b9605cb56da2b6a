"""Where bundled files live, from a source checkout and from a frozen bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["BUNDLED_RULE_SET", "bundled_rules_dir", "project_root"]

BUNDLED_RULE_SET = "ketamine-chronic-pain"


def project_root() -> Path:
    """The folder holding ``rules/`` and ``resources/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def bundled_rules_dir() -> Path:
    return project_root() / "rules" / BUNDLED_RULE_SET
