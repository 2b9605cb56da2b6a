"""Watch the rule set's files, for rule authors: ``changed`` once an edit has settled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

__all__ = ["RuleWatcher"]

SETTLE_MS = 400
"""Editors save in several steps: wait for the last before reloading."""


class RuleWatcher(QObject):
    changed = Signal()

    def __init__(self, rules_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rules_dir = rules_dir
        self.watching = False
        self.watcher = QFileSystemWatcher(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self._on_settled)
        self.watcher.fileChanged.connect(self.timer.start)
        self.watcher.directoryChanged.connect(self.timer.start)

    def set_watching(self, watching: bool) -> None:
        self.watching = watching
        self._forget()
        if watching:
            self.rewatch()

    def rewatch(self) -> None:
        """Watch the files as they are now: an editor that saves by renaming drops the
        watched file."""
        from decision_aid.domain.loading import rule_set_files

        self._forget()
        paths = [str(p) for p in rule_set_files(self.rules_dir) if p.exists()]
        paths += [str(d) for d in (self.rules_dir, self.rules_dir / "rules") if d.is_dir()]
        if paths:
            self.watcher.addPaths(paths)

    def _forget(self) -> None:
        watched = self.watcher.files() + self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)

    def _on_settled(self) -> None:
        if self.watching:
            self.changed.emit()
            self.rewatch()
