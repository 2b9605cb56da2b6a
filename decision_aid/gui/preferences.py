"""The window's remembered choices (the details switch, the rule author's menu), in the
per-user data folder beside the autosaves."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from decision_aid.storage import data_dir

__all__ = ["preference", "set_preference"]


def _store() -> QSettings:
    return QSettings(str(data_dir() / "preferences.ini"), QSettings.Format.IniFormat)


def preference(key: str) -> bool:
    value = _store().value(key, False)
    return value in (True, "true", "1")


def set_preference(key: str, value: bool) -> None:
    store = _store()
    store.setValue(key, value)
    store.sync()
