"""The consultation: what the clinician entered, and which rule set it was entered against.

It holds the answers in the answers-file form (option id, list of ids, number or
``"unknown"``), the chosen settings, an optional clinician override with its reason,
notes and a patient label. It is immutable: every edit returns a new one, so the GUI
can re-render from it and the autosave can write it whole. There is no clock here;
callers pass ``now``.

A consultation saved against another version of the rule set is reconciled on
opening: answers that no longer fit are set aside with a notice, never silently.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, Strict, ValidationError, field_validator

from decision_aid.domain.base import FrozenModel
from decision_aid.domain.errors import AnswersError, InputError, NewerFormatError
from decision_aid.domain.questionnaire import Answers, parse_answers
from decision_aid.domain.rules import RuleSet

__all__ = ["SCHEMA_VERSION", "Consultation", "Override", "Reconciled", "RuleSetRef"]

SCHEMA_VERSION = 1
Moment = Annotated[datetime, Strict(False)]


class Override(FrozenModel):
    """The clinician's own outcome, shown beside (never instead of) the rule outcome."""

    level: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    at: Moment

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("an override needs a written reason")
        return reason.strip()


class RuleSetRef(FrozenModel):
    id: str
    version: str
    digest: str

    def describe(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True)
class Reconciled:
    """The answers that fit the current rule set, and what had to be set aside."""

    answers: Answers
    notices: tuple[str, ...]


class Consultation(FrozenModel):
    schema_version: Literal[1] = 1
    id: str = Field(min_length=1)
    created: Moment
    updated: Moment
    rule_set: RuleSetRef
    settings: dict[str, str] = Field(default_factory=dict)
    answers: dict[str, Any] = Field(default_factory=dict)
    override: Override | None = None
    notes: str = ""
    patient_label: str = Field(default="", max_length=40)

    @classmethod
    def new(cls, rule_set: RuleSet, *, now: datetime) -> Consultation:
        return cls(
            id=uuid.uuid4().hex,
            created=now,
            updated=now,
            rule_set=RuleSetRef(
                id=rule_set.info.id, version=rule_set.info.version, digest=rule_set.digest
            ),
            settings=rule_set.default_settings(),
        )

    def _edit(self, now: datetime, **changes: Any) -> Consultation:
        return self.model_copy(update={**changes, "updated": now})

    def with_answer(self, question_id: str, value: Any, *, now: datetime) -> Consultation:
        """Set an answer in answers-file form; ``None`` leaves the question unanswered."""
        answers = dict(self.answers)
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = list(value) if isinstance(value, tuple) else value
        return self._edit(now, answers=answers)

    def with_setting(self, name: str, value: str, *, now: datetime) -> Consultation:
        return self._edit(now, settings={**self.settings, name: value})

    def with_override(self, level: str, reason: str, *, now: datetime) -> Consultation:
        """Record an override; raises ``ValueError`` when the reason is blank."""
        if not reason.strip():
            raise ValueError("an override needs a written reason")
        return self._edit(now, override=Override(level=level, reason=reason, at=now))

    def without_override(self, *, now: datetime) -> Consultation:
        return self._edit(now, override=None)

    def with_notes(self, notes: str, *, now: datetime) -> Consultation:
        return self._edit(now, notes=notes)

    def with_patient_label(self, label: str, *, now: datetime) -> Consultation:
        return self._edit(now, patient_label=label.strip()[:40])

    def with_rule_set(self, rule_set: RuleSet, *, now: datetime) -> Consultation:
        """Re-point at ``rule_set`` (after the clinician saw the reconciliation notices)."""
        ref = RuleSetRef(id=rule_set.info.id, version=rule_set.info.version, digest=rule_set.digest)
        settings = {k: v for k, v in self.settings.items() if rule_set.setting(k)}
        return self._edit(now, rule_set=ref, settings={**rule_set.default_settings(), **settings})

    def reconcile(self, rule_set: RuleSet) -> Reconciled:
        """The answers that fit ``rule_set``; one notice for each that does not."""
        notices: list[str] = []
        if self.rule_set.digest != rule_set.digest:
            now = f"{rule_set.info.id} {rule_set.info.version}"
            notices.append(
                f"This consultation was saved with rule set {self.rule_set.describe()}; "
                + (
                    f"the files of {now} have changed since."
                    if now == self.rule_set.describe()
                    else f"it is now checked against {now}."
                )
            )
        fitting: dict[str, Any] = {}
        for key, value in self.answers.items():
            try:
                parse_answers(rule_set.questionnaire, {key: value})
            except AnswersError as error:
                if key not in rule_set.questionnaire.by_id:
                    notices.append(
                        f"'{key}' is no longer asked; its answer {value!r} was set aside."
                    )
                else:
                    notices.append(f"The answer to {error} no longer fits; it was set aside.")
                continue
            fitting[key] = value
        for name, value in self.settings.items():
            setting = rule_set.setting(name)
            if setting is None or setting.choice(value) is None:
                notices.append(f"Setting {name} = {value} no longer exists; the default is used.")
        return Reconciled(parse_answers(rule_set.questionnaire, fitting), tuple(notices))

    def valid_settings(self, rule_set: RuleSet) -> dict[str, str]:
        settings = rule_set.default_settings()
        for name, value in self.settings.items():
            setting = rule_set.setting(name)
            if setting is not None and setting.choice(value) is not None:
                settings[name] = value
        return settings

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str, *, source: str | None = None) -> Consultation:
        """Parse a saved consultation; any fault is an :class:`InputError` that says what."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"not a readable consultation file (it may be cut short): {error.msg} "
                f"at line {error.lineno}",
                source=source,
            ) from None
        except RecursionError:  # nested deeper than the JSON reader goes: not one of ours
            raise InputError(
                "not a readable consultation file: it is nested too deeply", source=source
            ) from None
        except ValueError:  # a number of more digits than Python converts (4,300)
            raise InputError(
                "not a readable consultation file: it holds a number too long to read",
                source=source,
            ) from None
        if not isinstance(data, dict):
            raise InputError("not a consultation file", source=source)
        version = data.get("schema_version")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise NewerFormatError(
                f"saved by a newer decision-aid (file format {version}; this version reads "
                f"up to {SCHEMA_VERSION}); update decision-aid to open it",
                source=source,
            )
        try:
            return cls.model_validate_json(text)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the file"
            raise InputError(
                f"not a valid consultation file: {where}: {first['msg']}", source=source
            ) from None
