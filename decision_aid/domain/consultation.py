"""The consultation: what the clinician entered, and which rule set it was entered against.

It holds the answers in the answers-file form (option id, list of ids, number or
``"unknown"``), the chosen settings, the clinician's overrides (every one made, in
order: the last one stands unless withdrawn), notes and a patient label. It is
immutable: every edit returns a new one, so the GUI can re-render from it and the
autosave can write it whole. There is no clock here; callers pass ``now``.

A consultation saved against another version of the rule set is reconciled on
opening: answers that no longer fit are set aside with a notice, never silently, and
an override whose level is not one of the rule set's is set aside too (never shown,
never printed). Set aside is not deleted: the answers stay in the file.

An override is bound to what it replaced: the rule outcome, a digest of the answers
and settings it was given for, and the rule set's digest. When any of them differs
now, :meth:`Consultation.override_needs_review` says so, and no surface shows the
override as current until the clinician confirms it (a new entry, bound afresh) or
withdraws it. An override never outlives the answers it was given for.

A consultation file is untrusted (it comes from colleagues and e-mail), so reading
one checks every field: strict JSON (no key given twice), an id that is safe
anywhere, dates with a time zone between 2000 and a day past the reader's clock,
and sizes within the limits below. The limits are chosen so that any valid
consultation, written out, fits in the storage's ``MAX_CONSULTATION_BYTES``
(4 MiB): every character costs at most 6 bytes in JSON, and the answers' size
charges each key and item 8 characters for its punctuation and indentation.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from decision_aid.domain.assessment import Assessment
from decision_aid.domain.base import FrozenModel
from decision_aid.domain.errors import AnswersError, InputError, NewerFormatError
from decision_aid.domain.jsontext import loads_strict
from decision_aid.domain.questionnaire import Answers, parse_answers
from decision_aid.domain.rules import RuleSet

__all__ = [
    "EARLIEST",
    "ID_PATTERN",
    "MAX_AHEAD",
    "MAX_ANSWERS",
    "MAX_ANSWERS_SIZE",
    "MAX_ITEMS",
    "MAX_KEY_LENGTH",
    "MAX_LABEL_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_NOTES_LENGTH",
    "MAX_OVERRIDES",
    "MAX_REASON_LENGTH",
    "MAX_SETTINGS",
    "MAX_TEXT_LENGTH",
    "SCHEMA_VERSION",
    "Consultation",
    "Override",
    "Reconciled",
    "Replaced",
    "RuleSetRef",
    "answers_digest",
]

SCHEMA_VERSION = 3
"""2 adds ``set_aside``; a file of format 1 reads as one with nothing set aside. 3 keeps
every override (``overrides``) with its clinician and what it replaced; the one
``override`` of an older file reads as a history of one whose basis is unknown, so it
is marked for review."""

# -- the limits of a consultation file, in one place -----------------------------------
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
"""A consultation id: safe as a file name, in a URL and in a FHIR id."""
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No consultation is dated before this."""
MAX_AHEAD = timedelta(days=1)
"""How far past the reader's clock a date may be (clocks differ; a year ahead is wrong)."""
MAX_LABEL_LENGTH = 40
MAX_NOTES_LENGTH = 200_000
MAX_REASON_LENGTH = 2_000
MAX_NAME_LENGTH = 100
"""The clinician's name on an override."""
MAX_OVERRIDES = 40
"""Overrides in one consultation's history (each confirmation counts as one); with the
other limits, 40 full ones still fit the storage's limit."""
MAX_TEXT_LENGTH = 200
"""Ids, versions, digests, setting names and values, override levels, answer texts."""
MAX_SETTINGS = 32
MAX_ANSWERS = 5_000
"""Answer keys, set aside ones included; a questionnaire has tens of questions."""
MAX_KEY_LENGTH = 64
MAX_ITEMS = 64
"""Items in one answer to a multiple-choice question."""
MAX_ANSWERS_SIZE = 300_000
"""The answers' size (set aside ones included): characters of keys and items, plus 8
for each key and item."""
_PUNCTUATION = 8
_NOTICE_NAMES = 3

Moment = Annotated[AwareDatetime, Strict(False)]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]


def answers_digest(answers: Mapping[str, Any], settings: Iterable[tuple[str, str]]) -> str:
    """The sha256 of the answers (answers-file form) and settings an outcome came from."""
    text = json.dumps(
        {"answers": dict(answers), "settings": dict(settings)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Replaced(FrozenModel):
    """The rule outcome an override replaced, and what that outcome was worked out from."""

    outcome: Text
    """The rule outcome's level id."""
    answers: Text
    """:func:`answers_digest` of the answers and settings."""
    rule_set: Text
    """The rule set's digest."""


class Override(FrozenModel):
    """The clinician's own outcome, shown beside (never instead of) the rule outcome."""

    level: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    reason: str = Field(min_length=1, max_length=MAX_REASON_LENGTH)
    at: Moment
    clinician: str = Field(default="", max_length=MAX_NAME_LENGTH)
    """Who made it (empty in files of format 2 and older)."""
    replaced: Replaced | None = None
    """What it replaced; None in files of format 2 and older, so it is marked for review."""
    confirmed: bool = False
    """It restates the override before it, confirmed by the clinician for changed answers."""
    withdrawn: Moment | None = None
    """When the clinician withdrew it; it stays in the history."""

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, reason: str) -> str:
        if not reason.strip():
            raise ValueError("an override needs a written reason")
        return reason.strip()

    @field_validator("at", "withdrawn")
    @classmethod
    def _not_too_early(cls, at: datetime | None) -> datetime | None:
        return None if at is None else _after_earliest(at)


class RuleSetRef(FrozenModel):
    id: Text
    version: Text
    digest: Text

    def describe(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True)
class Reconciled:
    """The answers that fit the current rule set, and what had to be set aside."""

    answers: Answers
    notices: tuple[str, ...]
    override: Override | None = None
    """The override, if its level is one of the rule set's; otherwise set aside."""
    set_aside: tuple[str, ...] = ()
    """The keys of the answers that no longer fit (still in the consultation)."""


def _after_earliest(moment: datetime) -> datetime:
    if moment < EARLIEST:
        raise ValueError(f"{moment.date().isoformat()} is before 2000; the date is wrong")
    return moment


def _scalar_size(value: Any, key: str) -> int:
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise ValueError(
                f"the answer to {_short(key)} is longer than {MAX_TEXT_LENGTH} characters"
            )
        return len(value)
    if value is None or isinstance(value, bool | int | float):
        return len(str(value))
    raise ValueError(
        f"the answer to {_short(key)} is not an answer (a list in a list, or a mapping)"
    )


def _answers_size(answers: dict[str, Any]) -> int:
    """What :data:`MAX_ANSWERS_SIZE` counts; raises ``ValueError`` on a misshapen answer."""
    if len(answers) > MAX_ANSWERS:  # checked here too, before a slow count of a huge file
        raise ValueError(
            f"it holds {len(answers)} answers; a consultation holds at most {MAX_ANSWERS}"
        )
    size = 0
    for key, value in answers.items():
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"an answer's question id must be 1 to {MAX_KEY_LENGTH} characters")
        size += len(key) + _PUNCTUATION
        if isinstance(value, list):
            if len(value) > MAX_ITEMS:
                raise ValueError(f"the answer to {_short(key)} has more than {MAX_ITEMS} items")
            size += sum(_scalar_size(item, key) + _PUNCTUATION for item in value)
        else:
            size += _scalar_size(value, key)
    return size


def _names(keys: Iterable[str]) -> str:
    """``a, b, c and 309 more``: a few names, each quoted and cut short."""
    listed = [repr(k if len(k) <= 40 else k[:39] + "…") for k in keys]
    shown = ", ".join(listed[:_NOTICE_NAMES])
    more = len(listed) - _NOTICE_NAMES
    return f"{shown} and {more} more" if more > 0 else shown


class Consultation(FrozenModel):
    """The contract: a value read from a file passed :meth:`from_json`'s checks; edits
    (``with_*``) are not re-validated, so callers pass questionnaire answers only."""

    schema_version: Literal[1, 2, 3] = 3
    id: str = Field(pattern=ID_PATTERN)
    created: Moment
    updated: Moment
    rule_set: RuleSetRef
    settings: dict[Text, Text] = Field(default_factory=dict, max_length=MAX_SETTINGS)
    answers: dict[str, Any] = Field(default_factory=dict)
    set_aside: dict[str, Any] = Field(default_factory=dict)
    """Answers that did not fit the rule set when last reconciled: kept, never counted.
    Kept apart so that an edit copies only the answers in use, however many these are."""
    overrides: list[Override] = Field(default_factory=list, max_length=MAX_OVERRIDES)
    """Every override made, oldest first; see :attr:`override` for the one that stands."""
    notes: str = Field(default="", max_length=MAX_NOTES_LENGTH)
    patient_label: str = Field(default="", max_length=MAX_LABEL_LENGTH)

    @model_validator(mode="before")
    @classmethod
    def _one_override_becomes_a_history(cls, data: Any) -> Any:
        """A file of format 1 or 2 holds at most one ``override``: a history of one."""
        if isinstance(data, dict) and "override" in data and "overrides" not in data:
            data = dict(data)
            old = data.pop("override")
            data["overrides"] = [] if old is None else [old]
        return data

    @property
    def override(self) -> Override | None:
        """The override that stands: the last one made, unless it was withdrawn."""
        last = self.overrides[-1] if self.overrides else None
        return last if last is not None and last.withdrawn is None else None

    @field_validator("created", "updated")
    @classmethod
    def _dated_after_earliest(cls, moment: datetime) -> datetime:
        return _after_earliest(moment)

    @model_validator(mode="after")
    def _answers_within_limits(self) -> Consultation:
        count = len(self.answers) + len(self.set_aside)
        if count > MAX_ANSWERS:
            raise ValueError(
                f"the answers: it holds {count} answers; a consultation holds at most {MAX_ANSWERS}"
            )
        try:
            size = _answers_size(self.answers) + _answers_size(self.set_aside)
        except ValueError as error:
            raise ValueError(f"the answers: {error}") from None
        if size > MAX_ANSWERS_SIZE:
            raise ValueError(
                f"the answers: they are too long ({size} characters; at most {MAX_ANSWERS_SIZE})"
            )
        return self

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

    def basis(self, assessment: Assessment) -> Replaced:
        """What an override made now would replace: ``assessment`` is of these answers."""
        return Replaced(
            outcome=assessment.outcome.id,
            answers=answers_digest(self.answers, assessment.settings),
            rule_set=assessment.rule_set.digest,
        )

    def with_override(
        self, level: str, reason: str, *, clinician: str, assessment: Assessment, now: datetime
    ) -> Consultation:
        """Add an override of ``assessment`` (the rule outcome of these answers) to the
        history; raises ``ValueError`` when the reason is blank. Earlier ones stay."""
        if not reason.strip():
            raise ValueError("an override needs a written reason")
        override = Override(
            level=level,
            reason=reason,
            at=now,
            clinician=clinician.strip()[:MAX_NAME_LENGTH],
            replaced=self.basis(assessment),
        )
        return self._edit(now, overrides=[*self.overrides, override])

    def with_override_confirmed(
        self, *, clinician: str, assessment: Assessment, now: datetime
    ) -> Consultation:
        """The clinician keeps the override for the answers as they are now: a new entry,
        bound to ``assessment``. Raises ``ValueError`` when no override stands."""
        current = self.override
        if current is None:
            raise ValueError("there is no override to confirm")
        confirmed = current.model_copy(
            update={
                "at": now,
                "clinician": clinician.strip()[:MAX_NAME_LENGTH],
                "replaced": self.basis(assessment),
                "confirmed": True,
            }
        )
        return self._edit(now, overrides=[*self.overrides, confirmed])

    def without_override(self, *, now: datetime) -> Consultation:
        """Withdraw the override that stands; it stays in the history, marked withdrawn."""
        current = self.override
        if current is None:
            return self
        withdrawn = current.model_copy(update={"withdrawn": now})
        return self._edit(now, overrides=[*self.overrides[:-1], withdrawn])

    def with_override_restored(self, entry: Override | None, *, now: datetime) -> Consultation:
        """Make ``entry`` (an earlier override of this history) the one that stands again,
        as it was given: bound to what it replaced then, so an undone confirmation needs
        review again. None withdraws the one that stands. Every entry stays in the history."""
        if entry is None:
            return self.without_override(now=now)
        restated = entry.model_copy(update={"at": now, "withdrawn": None})
        return self._edit(now, overrides=[*self.overrides, restated])

    def override_needs_review(self, assessment: Assessment) -> bool:
        """True when an override stands but the answers, the settings, the rule outcome or
        the rule set differ from those it was given for (``assessment`` is of now)."""
        current = self.override
        return current is not None and current.replaced != self.basis(assessment)

    def with_notes(self, notes: str, *, now: datetime) -> Consultation:
        """Set the notes as written: longer than :data:`MAX_NOTES_LENGTH` characters, they are
        kept here but the save refuses them and says so (never cut without a word)."""
        return self._edit(now, notes=notes)

    def with_patient_label(self, label: str, *, now: datetime) -> Consultation:
        return self._edit(now, patient_label=label.strip()[:MAX_LABEL_LENGTH])

    def with_rule_set(self, rule_set: RuleSet, *, now: datetime) -> Consultation:
        """Re-point at ``rule_set`` (after the clinician saw the reconciliation notices)."""
        ref = RuleSetRef(id=rule_set.info.id, version=rule_set.info.version, digest=rule_set.digest)
        settings = {k: v for k, v in self.settings.items() if rule_set.setting(k)}
        return self._edit(now, rule_set=ref, settings={**rule_set.default_settings(), **settings})

    def reconcile(self, rule_set: RuleSet) -> Reconciled:
        """The answers and override that fit ``rule_set``, and notices of what does not.

        Up to three answers that no longer fit get a notice each; more get one notice
        that names a few and counts the rest. Keys the questionnaire does not know are
        set aside without parsing, so a file of thousands of stale keys opens quickly.
        """
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
        misfits: list[str] = []
        set_aside: list[str] = []
        by_id = rule_set.questionnaire.by_id
        for key, value in self._all_answers().items():
            if key not in by_id:
                set_aside.append(key)
                misfits.append(
                    f"'{key}' is no longer asked; its answer {_short(value)} was set aside."
                )
                continue
            try:
                parse_answers(rule_set.questionnaire, {key: value})
            except AnswersError as error:
                set_aside.append(key)
                misfits.append(f"The answer to {error} no longer fits; it was set aside.")
                continue
            fitting[key] = value
        if len(set_aside) > _NOTICE_NAMES:
            notices.append(
                f"{len(set_aside)} answers no longer fit this rule set and were set aside "
                f"(the file keeps them): {_names(set_aside)}."
            )
        else:
            notices += misfits
        for name, value in self.settings.items():
            setting = rule_set.setting(name)
            if setting is None or setting.choice(value) is None:
                shown = f"{name} = {value}"
                shown = shown if len(shown) <= 60 else shown[:59] + "…"
                notices.append(f"Setting {shown} no longer exists; the default is used.")
        override = self.valid_override(rule_set)
        if self.override is not None and override is None:
            notices.append(
                f"The override {_short(self.override.level)} is not an outcome of this rule set; "
                "it was set aside and is neither shown nor printed (the file keeps it)."
            )
        answers = parse_answers(rule_set.questionnaire, fitting)
        return Reconciled(answers, tuple(notices), override, tuple(set_aside))

    def _all_answers(self) -> dict[str, Any]:
        return {**self.set_aside, **self.answers} if self.set_aside else self.answers

    def with_misfits_set_aside(self, reconciled: Reconciled) -> Consultation:
        """A copy whose ``answers`` are those that fit, and ``set_aside`` the rest.

        ``reconciled`` is this consultation's :meth:`reconcile`. Nothing is dropped: an
        answer set aside comes back when a later rule set asks its question again.
        Not an edit, so ``updated`` stays as it is.
        """
        everything = self._all_answers()
        aside = set(reconciled.set_aside)
        return self.model_copy(
            update={
                "answers": {k: v for k, v in everything.items() if k not in aside},
                "set_aside": {k: everything[k] for k in reconciled.set_aside},
            }
        )

    def valid_override(self, rule_set: RuleSet) -> Override | None:
        """The override, if its level is one of ``rule_set``'s; ``None`` otherwise."""
        override = self.override
        return (
            override if override is not None and override.level in rule_set.levels_by_id else None
        )

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
    def from_json(cls, text: str, *, now: datetime, source: str | None = None) -> Consultation:
        """Parse a saved consultation read at ``now`` (the reader's clock).

        Any fault is an :class:`InputError` that names the field and what is wrong.
        """
        try:
            data = loads_strict(text, source=source)
        except InputError as error:
            message = str(error).removeprefix(f"{source}: ") if source else str(error)
            cut = " (it may be cut short)" if "not JSON:" in message else ""
            raise InputError(
                f"not a readable consultation file{cut}: {message}", source=source
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
            consultation = cls.model_validate_json(text)
        except ValidationError as error:
            first = error.errors()[0]
            where = _field(first["loc"])
            raise InputError(
                f"not a valid consultation file: {where}{': ' if where else ''}{_reason(first)}",
                source=source,
            ) from None
        latest = now + MAX_AHEAD
        for where, moment in consultation._moments():
            if moment > latest:
                raise InputError(
                    f"not a valid consultation file: {where}: {moment:%Y-%m-%d %H:%M} is in "
                    "the future; the date is wrong (or this computer's clock is)",
                    source=source,
                )
        return consultation

    def _moments(self) -> list[tuple[str, datetime]]:
        moments = [(_field(("created",)), self.created), (_field(("updated",)), self.updated)]
        for index, override in enumerate(self.overrides):
            moments.append((_field(("overrides", index, "at")), override.at))
            if override.withdrawn is not None:
                moments.append((_field(("overrides", index, "withdrawn")), override.withdrawn))
        return moments


_FIELDS = {
    "schema_version": "the file format",
    "id": "its id",
    "created": "the date it was started",
    "updated": "the date it was last changed",
    "rule_set": "the rule set it was made with",
    "settings": "the settings",
    "answers": "the answers",
    "set_aside": "the answers set aside",
    "overrides": "the overrides",
    "overrides.at": "the date of an override",
    "overrides.withdrawn": "the date an override was withdrawn",
    "overrides.level": "an override's outcome",
    "overrides.reason": "an override's reason",
    "overrides.clinician": "the clinician of an override",
    "overrides.replaced": "what an override replaced",
    "notes": "the notes",
    "patient_label": "the patient label",
}
_REASONS = {
    "string_pattern_mismatch": "must be 1 to 64 letters, digits, '-' or '_'",
    "timezone_aware": "has no time zone",
    "string_type": "must be text",
    "datetime_from_date_parsing": "is not a date and time",
    "datetime_parsing": "is not a date and time",
    "datetime_type": "is not a date and time",
    "dict_type": "must be a mapping of names to values",
    "list_type": "must be a list",
    "missing": "is missing",
    "extra_forbidden": "is not part of a consultation file",
}


def _field(loc: tuple[int | str, ...]) -> str:
    """``the date of the override (override.at)``: the field in words, and its name."""
    parts = [str(p) for p in loc]
    dotted = ".".join(parts)
    named = [str(p) for p in loc if not isinstance(p, int)]  # "overrides.0.at": an override's
    for end in range(len(named), 0, -1):
        words = _FIELDS.get(".".join(named[:end]))
        if words:
            return f"{words} ({dotted})"
    return dotted  # empty: the whole file, and the reason names what is wrong


def _reason(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in _REASONS:
        return _REASONS[kind]
    if kind == "string_too_long":
        return f"is longer than {error['ctx']['max_length']} characters"
    if kind == "too_long":
        return f"has more than {error['ctx']['max_length']} entries"
    return str(error["msg"]).removeprefix("Value error, ")


def _short(value: Any) -> str:
    """A value from a file, for a notice: quoted, one line, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
