"""The clinician's preferences, kept on this computer between sessions: for now the name
that each override records (asked for the first time an override is made).

Kept with ``QSettings`` in an INI file in the app's data folder (``platformdirs``, or
``DECISION_AID_DATA_DIR``), beside the autosaves and the audit trail, so tests and
kiosks that move the data folder move the preferences too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from decision_aid.domain.consultation import MAX_NAME_LENGTH

__all__ = ["Preferences"]

_CLINICIAN = "clinician/name"


class Preferences:
    """Read and write the preferences file; a name is kept trimmed and within the limit."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "preferences.ini"
        self._settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def clinician(self) -> str:
        value = self._settings.value(_CLINICIAN, "")
        return value.strip()[:MAX_NAME_LENGTH] if isinstance(value, str) else ""

    def set_clinician(self, name: str) -> None:
        """Keep ``name``; raises ``OSError`` when the file could not be written."""
        self._settings.setValue(_CLINICIAN, name.strip()[:MAX_NAME_LENGTH])
        self._settings.sync()
        if self._settings.status() is not QSettings.Status.NoError:
            raise OSError(f"{self.path}: the preferences could not be saved")
