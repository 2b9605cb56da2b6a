"""The consultation window (PySide6). Widgets show and edit the consultation; they
never decide: every outcome comes from :func:`decision_aid.domain.evaluate`."""

from __future__ import annotations

__all__: list[str] = []
