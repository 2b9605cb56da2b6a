"""The one piece of state the window shows: the consultation, and what follows from it.

Every edit goes through :class:`ConsultationModel`, which makes a new immutable
:class:`Consultation`, re-evaluates, emits ``changed`` once, and autosaves. Widgets
listen to ``changed`` and re-render; none of them keeps decision logic of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal

from decision_aid.domain import Answers, Assessment, RuleSet, evaluate
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.errors import StorageError
from decision_aid.domain.progress import Progress, progress
from decision_aid.storage import Autosave

__all__ = ["ConsultationModel", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConsultationModel(QObject):
    """Holds the consultation; ``changed`` fires after each edit, ``saved`` after each save.

    The trap: ``saved`` carries an error text when the autosave failed; the previous
    save on disk is intact, and the window must say so.
    """

    changed = Signal()
    saved = Signal(bool, str)

    def __init__(
        self,
        rule_set: RuleSet,
        consultation: Consultation,
        autosave: Autosave,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.rule_set = rule_set
        self.autosave = autosave
        self.clock = clock
        self.notices: tuple[str, ...] = ()
        self.consultation = consultation
        self.answers = Answers()
        self.settings: dict[str, str] = {}
        self.assessment: Assessment
        self.progress: Progress
        self._recompute()

    def _recompute(self) -> None:
        reconciled = self.consultation.reconcile(self.rule_set)
        self.notices = reconciled.notices
        self.answers = reconciled.answers
        self.settings = self.consultation.valid_settings(self.rule_set)
        self.assessment = evaluate(self.rule_set, self.answers, self.settings)
        self.progress = progress(self.rule_set, self.answers)

    def _commit(self, consultation: Consultation) -> None:
        self.consultation = consultation
        self._recompute()
        self.changed.emit()
        self.save_now()

    def save_now(self) -> None:
        try:
            self.autosave.save(self.consultation)
        except StorageError as error:
            self.saved.emit(False, str(error))
        else:
            self.saved.emit(True, self.clock().astimezone().strftime("%H:%M:%S"))

    def set_answer(self, question_id: str, value: object) -> None:
        """Set an answer in answers-file form: option id, tuple, number, "unknown" or None."""
        self._commit(self.consultation.with_answer(question_id, value, now=self.clock()))

    def set_setting(self, name: str, value: str) -> None:
        self._commit(self.consultation.with_setting(name, value, now=self.clock()))

    def set_override(self, level: str, reason: str) -> None:
        """Record an override; raises ``ValueError`` (nothing changes) without a reason."""
        self._commit(self.consultation.with_override(level, reason, now=self.clock()))

    def clear_override(self) -> None:
        self._commit(self.consultation.without_override(now=self.clock()))

    def set_notes(self, notes: str) -> None:
        self._commit(self.consultation.with_notes(notes, now=self.clock()))

    def set_patient_label(self, label: str) -> None:
        self._commit(self.consultation.with_patient_label(label, now=self.clock()))

    def replace(self, consultation: Consultation) -> None:
        """Show another consultation (opened or restored); the old autosave stays as it is."""
        self._commit(consultation)
