"""Undo and redo for what the clinician enters: answers, notes, the patient label, the override.

Every edit goes through :class:`Undo`, which applies it to the model and then records it
on a :class:`QUndoStack` with the words the Edit menu shows ("Undo answer: Heart and
blood pressure"). Typing is one step: edits of the same notes, label or number within
:data:`MERGE_SECONDS` of each other merge. Before an undo or redo, whatever is still
being typed is handed to the model first, so Ctrl+Z takes back what the clinician sees.

Text fields keep Ctrl+Z for themselves unless told otherwise: :func:`leave_undo_to_window`
leaves it to these actions, so there is one history, not one per field. A new, opened or
restored consultation starts a new history.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack

from decision_aid.gui.text import literal_mnemonic

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from decision_aid.domain.consultation import Override
    from decision_aid.gui.state import ConsultationModel

__all__ = ["MERGE_SECONDS", "TYPING_SETTLES_MS", "Undo", "leave_undo_to_window"]

TYPING_SETTLES_MS = 150
"""How long after the last keystroke typed text (a number, the notes) is taken as the
edit, and so autosaved: well within 300 ms of the keystroke, saving included."""

MERGE_SECONDS = 1.5


def _undo_keys() -> list[QKeySequence]:  # key sequences need the application: made late
    return [QKeySequence(QKeySequence.StandardKey.Undo)]


def _redo_keys() -> list[QKeySequence]:
    return [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]


_MERGING = 1


class _Edit(QUndoCommand):
    """One edit: ``apply(before)`` undoes it, ``apply(after)`` does it again."""

    def __init__(
        self,
        text: str,
        apply: Callable[[object], None],
        before: object,
        after: object,
        *,
        merge: tuple[str, str] | None,
        applied: Callable[[_Edit], None],
    ) -> None:
        super().__init__(text)
        self.apply = apply
        self.before = before
        self.after = after
        self.merge = merge
        self.applied = applied
        self.at = time.monotonic()
        self.pushed = False

    def redo(self) -> None:
        if not self.pushed:  # already applied before it was pushed
            self.pushed = True
            return
        self.apply(self.after)
        self.applied(self)

    def undo(self) -> None:
        self.apply(self.before)
        self.applied(self)

    def id(self) -> int:
        return _MERGING if self.merge is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Edit) or other.merge != self.merge:
            return False
        if other.at - self.at > MERGE_SECONDS:
            return False
        self.after, self.at = other.after, other.at
        return True


class _LeaveUndoToWindow(QObject):
    """Makes a text field pass Ctrl+Z and Ctrl+Shift+Z on to the window's actions."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(
                pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch
                for k in [*_undo_keys(), *_redo_keys()]
            ):
                event.ignore()
                return True
        return False


_LEAVE = _LeaveUndoToWindow()


def leave_undo_to_window(*fields: QWidget) -> None:
    """Let Ctrl+Z in these text fields undo the consultation, not only the field."""
    for field in fields:
        field.installEventFilter(_LEAVE)


def _as_stored(value: object) -> object:
    """An answer as the consultation keeps it (a tuple of options as a list)."""
    return list(value) if isinstance(value, tuple) else value


def _same(a: object, b: object) -> bool:
    return bool(_as_stored(a) == _as_stored(b))


class Undo(QObject):
    """The window's edit history. ``restored(kind, key)`` after an undo or redo changed
    something: ``kind`` is "answer" (``key`` the question id), "notes", "label" or
    "override", so the window can show it."""

    restored = Signal(str, str)

    def __init__(self, parent: QWidget, commit_typing: Callable[[], None]) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self.model: ConsultationModel | None = None
        self.shown_id: str | None = None
        self.commit_typing = commit_typing
        self.undo_action = self._action(parent, "Undo", _undo_keys(), self.undo)
        self.redo_action = self._action(parent, "Redo", _redo_keys(), self.redo)
        self.stack.undoTextChanged.connect(self._name_actions)
        self.stack.redoTextChanged.connect(self._name_actions)
        self.stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self._name_actions()

    def _action(
        self, parent: QWidget, name: str, keys: list[QKeySequence], slot: Callable[[], None]
    ) -> QAction:
        action = QAction(parent)
        action.setIconText(name)  # the shortcut list's name; the text names the edit
        action.setShortcuts(keys)
        action.setEnabled(False)
        action.triggered.connect(slot)
        parent.addAction(action)
        return action

    def _name_actions(self, _: str = "") -> None:
        for action, verb, what, keys in (
            (self.undo_action, "&Undo", self.stack.undoText(), self.undo_action.shortcuts()),
            (self.redo_action, "&Redo", self.stack.redoText(), self.redo_action.shortcuts()),
        ):
            action.setText(f"{verb} {literal_mnemonic(what)}" if what else verb)
            shortcuts = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
            action.setToolTip(f"{action.text().replace('&', '')} ({shortcuts})")

    def bind(self, model: ConsultationModel | None) -> None:
        """Edit ``model`` from now on, with a new history (None: nothing to edit)."""
        self.stack.clear()
        self.model = model
        if model is not None:
            self.shown_id = model.consultation.id
            model.changed.connect(self._on_changed)

    def _on_changed(self) -> None:
        model = self.model
        if model is not None and model.consultation.id != self.shown_id:
            self.shown_id = model.consultation.id  # New, Open or Restore: a new history
            self.stack.clear()

    def undo(self) -> None:
        self.commit_typing()
        self.stack.undo()

    def redo(self) -> None:
        self.commit_typing()
        self.stack.redo()

    def _edit(
        self,
        text: str,
        apply: Callable[[object], None],
        before: object,
        after: object,
        *,
        kind: str,
        key: str = "",
        merge: bool = False,
    ) -> None:
        if _same(before, after):
            return
        apply(after)  # first, so that an edit the model refuses is never recorded
        self._push(text, apply, before, after, kind=kind, key=key, merge=merge)

    def _push(
        self,
        text: str,
        apply: Callable[[object], None],
        before: object,
        after: object,
        *,
        kind: str,
        key: str = "",
        merge: bool = False,
    ) -> None:
        """Record an edit already applied: ``apply(before)`` undoes it."""
        self.stack.push(
            _Edit(
                text,
                apply,
                before,
                after,
                merge=(kind, key) if merge else None,
                applied=lambda _: self.restored.emit(kind, key),
            )
        )

    def answer(self, question_id: str, value: object) -> None:
        model = self.model
        if model is None:
            return
        self._edit(
            f"answer: {model.rule_set.questionnaire.question_label(question_id)}",
            lambda v: model.set_answer(question_id, v),
            model.consultation.answers.get(question_id),
            value,
            kind="answer",
            key=question_id,
            merge=isinstance(value, float),  # a number being typed
        )

    def notes(self, text: str) -> None:
        if (model := self.model) is not None:
            self._edit(
                "notes",
                lambda v: model.set_notes(str(v)),
                model.consultation.notes,
                text,
                kind="notes",
                merge=True,
            )

    def label(self, text: str) -> None:
        if (model := self.model) is not None:
            self._edit(
                "patient label",
                lambda v: model.set_patient_label(str(v)),
                model.consultation.patient_label,
                text,
                kind="label",
                merge=True,
            )

    def override(self, chosen: tuple[str, str, str] | None) -> None:
        """Override with ``(level, reason, clinician)``, or withdraw it (None); raises
        ``ValueError`` (nothing recorded) as the model does."""
        if chosen is None:
            self._override_edit("withdraw override", lambda model: model.clear_override())
        else:
            self._override_edit("override", lambda model: model.set_override(*chosen))

    def confirm_override(self, clinician: str) -> None:
        """Keep the override that needs review for the answers as they are now."""
        self._override_edit("confirm override", lambda model: model.confirm_override(clinician))

    def _override_edit(self, text: str, edit: Callable[[ConsultationModel], None]) -> None:
        """Undone, the override that stood before stands again, as it was given (an
        undone confirmation needs review again; none stood: it is withdrawn); redone,
        the one after. Every step is a new entry: the consultation's history keeps all."""
        model = self.model
        if model is None:
            return
        before = model.consultation.override
        edit(model)
        after = model.consultation.override
        if not _same(before, after):
            self._push(text, _restorer(model), before, after, kind="override")


def _restorer(model: ConsultationModel) -> Callable[[object], None]:
    def restore(entry: object) -> None:
        model.restore_override(cast("Override | None", entry))  # what the stack was given

    return restore
