"""Whether a command may use the z3 solver (an optional dependency)."""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["use_solver"]


def use_solver(skipped: bool, without: str) -> bool:
    """Not when the user skipped it, nor when it is not installed (then say what is lost)."""
    if skipped:
        return False
    if importlib.util.find_spec("z3") is None:
        print(f"note: {without}: pip install z3-solver", file=sys.stderr)
        return False
    return True
