"""The one piece of state the window shows: the consultation, and what follows from it.

Every edit goes through :class:`ConsultationModel`, which makes a new immutable
:class:`Consultation`, re-evaluates, emits ``changed`` once, and autosaves. Widgets
listen to ``changed`` and re-render; none of them keeps decision logic of its own.

The consultation is reconciled with the rule set once, when it is shown (opened,
restored, or the rule set reloaded): an answer change then re-parses only the
changed answer, so a file full of answers to questions no longer asked costs
nothing per click. Those answers stay in the consultation (and its file).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from decision_aid.domain import Answers, Assessment, RuleSet, evaluate
from decision_aid.domain.consultation import Consultation, Override
from decision_aid.domain.errors import AnswersError, StorageError
from decision_aid.domain.progress import Progress, progress
from decision_aid.domain.questionnaire import parse_answers
from decision_aid.present.override import ClinicianView, clinician_view
from decision_aid.storage.autosave import Autosave
from decision_aid.storage.consultation_file import read_consultation, write_consultation

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
        """What reconciling the consultation with the rule set set aside, when it was shown."""
        self.consultation = consultation
        self.answers = Answers()
        self.override: Override | None = None
        """The override that stands, if its level is a level (the audit trail records it)."""
        self.view: ClinicianView | None = None
        """The override as the panel and the sheet show it, marked when it needs review."""
        self.settings: dict[str, str] = {}
        self.assessment: Assessment
        self.progress: Progress
        self._fitting: dict[str, Any] = {}
        self.saved_path: Path | None = None
        """The file the consultation was last saved to or opened from (the document)."""
        self._saved_version: datetime | None = None
        self._reconcile()

    def _reconcile(self) -> None:
        """Check every answer against the rule set: once per consultation shown."""
        reconciled = self.consultation.reconcile(self.rule_set)
        self.notices = reconciled.notices
        # What no longer fits moves to ``set_aside``: an edit then copies only the rest.
        self.consultation = self.consultation.with_misfits_set_aside(reconciled)
        self._fitting = dict(self.consultation.answers)
        self._recompute()

    def _refit(self, question_id: str) -> None:
        """Re-check the one answer an edit changed."""
        value = self.consultation.answers.get(question_id)
        self._fitting.pop(question_id, None)
        if value is None:
            return
        try:
            parse_answers(self.rule_set.questionnaire, {question_id: value})
        except AnswersError:
            return  # kept in the consultation, as a stale answer is; never counted
        self._fitting[question_id] = value

    def _recompute(self) -> None:
        self.answers = parse_answers(self.rule_set.questionnaire, self._fitting)
        self.override = self.consultation.valid_override(self.rule_set)
        self.settings = self.consultation.valid_settings(self.rule_set)
        self.assessment = evaluate(self.rule_set, self.answers, self.settings)
        self.progress = progress(self.rule_set, self.answers)
        self.view = clinician_view(self.consultation, self.rule_set, self.assessment)

    def _commit(self, consultation: Consultation, *, changed: str | None = None) -> None:
        """Show ``consultation``; ``changed`` names the one answer an edit changed."""
        self.consultation = consultation
        if changed is not None:
            self._refit(changed)
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
        edited = self.consultation.with_answer(question_id, value, now=self.clock())
        self._commit(edited, changed=question_id)

    def set_setting(self, name: str, value: str) -> None:
        self._commit(self.consultation.with_setting(name, value, now=self.clock()))

    def set_override(self, level: str, reason: str, clinician: str) -> None:
        """Record an override of the outcome shown now, by ``clinician``; raises
        ``ValueError`` (nothing changes) without a reason. Earlier ones stay in the history."""
        edited = self.consultation.with_override(
            level, reason, clinician=clinician, assessment=self.assessment, now=self.clock()
        )
        self._commit(edited)

    def confirm_override(self, clinician: str) -> None:
        """Keep the override for the answers as they are now (after a review)."""
        edited = self.consultation.with_override_confirmed(
            clinician=clinician, assessment=self.assessment, now=self.clock()
        )
        self._commit(edited)

    def clear_override(self) -> None:
        """Withdraw the override that stands; the history keeps it, marked withdrawn."""
        self._commit(self.consultation.without_override(now=self.clock()))

    def restore_override(self, entry: Override | None) -> None:
        """Make ``entry`` the override that stands again, bound to what it was given for
        (None: withdraw the one that stands), for undo and redo; the history keeps all."""
        self._commit(self.consultation.with_override_restored(entry, now=self.clock()))

    def set_notes(self, notes: str) -> None:
        self._commit(self.consultation.with_notes(notes, now=self.clock()))

    def set_patient_label(self, label: str) -> None:
        self._commit(self.consultation.with_patient_label(label, now=self.clock()))

    # -- the document: the file the consultation is kept in ------------------------------

    @property
    def unsaved(self) -> bool:
        """Has something worth keeping changed since the file was last saved or opened?"""
        consultation = self.consultation
        if not (consultation.answers or consultation.set_aside or consultation.notes):
            return False
        return self._saved_version != consultation.updated

    def save_to(self, path: Path) -> None:
        """Save to ``path``, which becomes the document; raises ``StorageError``."""
        write_consultation(path, self.consultation)
        self.saved_path, self._saved_version = path, self.consultation.updated

    def open(self, path: Path) -> None:
        """Show the consultation saved in ``path``; raises ``DecisionAidError``."""
        consultation = read_consultation(path)
        self.saved_path, self._saved_version = path, consultation.updated
        self.replace(consultation)

    def start(self, consultation: Consultation) -> None:
        """Show a consultation kept in no file yet (a new one, or one restored)."""
        self.saved_path, self._saved_version = None, None
        self.replace(consultation)

    def replace(self, consultation: Consultation) -> None:
        """Show another consultation (opened or restored); the old autosave stays as it is.

        It is reconciled with the rule set here, and :attr:`notices` says what was set aside.
        """
        self.consultation = consultation
        self._reconcile()
        self.changed.emit()
        self.save_now()
