"""Rules, outcome levels, references and the rule set that holds them.

A rule set declares its outcome levels, most favourable first. Each rule has a
condition and (usually) an outcome level; the most restrictive level among the
rules that fire wins, and the cautions, actions and citations of every fired rule
are collected. A rule with no outcome is a note: it adds cautions and actions only.

When a rule's condition is unknown, ``if_unknown`` says what happens, and both
choices are conservative: ``assess_first`` (the default) fires the rule at its own
level or the rule set's "assess first" level, whichever is more favourable;
``fire`` fires it at its own level. Ignoring an unknown is not offered.

How the rules' values rank into one outcome is written once, here
(:meth:`RuleSet.contribution`, :meth:`RuleSet.outcome_rank`): the engine evaluates with
it and ``decision-aid verify`` encodes it for the solver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, TypeVar, cast

from pydantic import BeforeValidator, Field, PrivateAttr, Strict, field_validator, model_validator

from decision_aid.domain.base import FrozenModel, Items
from decision_aid.domain.conditions import Condition
from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.sources import SourceMap
from decision_aid.domain.truth import Truth

__all__ = [
    "Citation",
    "IfUnknown",
    "Level",
    "Ordering",
    "OutcomeLimit",
    "Property",
    "Reference",
    "Rule",
    "RuleSet",
    "RuleSetInfo",
    "Setting",
    "SettingChoice",
    "Status",
    "Verification",
    "applies",
]

T = TypeVar("T")
Id = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
LooseDate = Annotated[date, Strict(False)]


def _one_or_many(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (v,) if isinstance(v, str) else v for k, v in value.items()}
    return value


OnlyFor = Annotated[
    Mapping[str, Items[str]],
    BeforeValidator(_one_or_many, json_schema_input_type=dict[str, str | list[str]]),
    Field(description="Settings this applies to, e.g. a guideline basis."),
]


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class IfUnknown(StrEnum):
    ASSESS_FIRST = "assess_first"
    FIRE = "fire"


class Verification(StrEnum):
    """How far a source was checked: read in the primary text, in a summary, or not at all."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class Level(FrozenModel):
    id: Id
    label: str = Field(min_length=1, description="Plain words on screen and sheet.")
    description: str = Field(min_length=1, description="What this outcome means, for the patient.")


class SettingChoice(FrozenModel):
    id: Id
    label: str = Field(min_length=1)
    description: str | None = None


class Setting(FrozenModel):
    id: Id
    label: str = Field(min_length=1)
    choices: Items[SettingChoice] = Field(min_length=1)
    default: Id

    def choice(self, choice_id: str) -> SettingChoice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


class Reference(FrozenModel):
    id: Id
    short: str = Field(min_length=1, description="How the source is named in text: 'Cohen 2018'.")
    citation: str = Field(min_length=1, description="The full citation.")
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    verification: Annotated[Verification, Strict(False)]
    note: str | None = None


class Citation(FrozenModel):
    ref: Id
    grade: str | None = Field(default=None, description="The evidence grade, e.g. 'B, low'.")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        return {"ref": value} if isinstance(value, str) else value


class OutcomeLimit(FrozenModel):
    """The outcomes under which a rule's cautions and actions are given: at least and/or at
    most a level. Advice that presumes a treatment is limited to outcomes that allow it."""

    at_least: Id | None = Field(default=None, description="Given only from this level up.")
    at_most: Id | None = Field(default=None, description="Given only up to this level.")

    @model_validator(mode="after")
    def _names_a_level(self) -> OutcomeLimit:
        if self.at_least is None and self.at_most is None:
            raise ValueError("a limit needs 'at_least' or 'at_most' (or both)")
        return self

    def allows(self, ranks: Mapping[str, int], rank: int) -> bool:
        """Whether an outcome of this rank is within the limit (an unknown level never is)."""
        low = ranks.get(self.at_least, len(ranks)) if self.at_least is not None else 0
        high = ranks.get(self.at_most, -1) if self.at_most is not None else len(ranks)
        return low <= rank <= high


def _shorthand_citations(value: Any) -> Any:
    """A bare reference id stands for ``{ref: id}``."""
    return tuple(Citation.coerce(v) for v in value) if isinstance(value, tuple | list) else value


class Rule(FrozenModel):
    id: Id
    title: str = Field(min_length=1)
    when: Condition
    outcome: Id | None = Field(default=None, description="A level id; none makes a note.")
    if_unknown: Annotated[IfUnknown, Strict(False)] = IfUnknown.ASSESS_FIRST
    only_for: OnlyFor = Field(default_factory=dict)
    absolute: bool = Field(default=False, description="An absolute contraindication.")
    patient_reason: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    unverified: str | None = Field(
        default=None, description="What this rule rests on that the research could not verify."
    )
    outcome_description: str | None = Field(
        default=None,
        min_length=1,
        description="What the outcome means for the patient when this rule decides it, in "
        "place of the level's description (e.g. a guideline's advice, not a safety finding).",
    )
    cautions: Items[str] = ()
    actions: Items[str] = ()
    advice_when: OutcomeLimit | None = Field(
        default=None,
        description="Give the cautions and actions only when the outcome is within this "
        "limit, e.g. {at_most: refer_first} for advice that presumes a treatment.",
    )
    citations: Items[Citation] = Field(min_length=1)
    lint_ignore: Mapping[str, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Lint warnings accepted for this rule: warning code → the reason.",
    )

    @field_validator("citations", mode="before", json_schema_input_type=list[Citation | str])
    @classmethod
    def _citations(cls, value: Any) -> Any:
        return _shorthand_citations(value)


class Ordering(FrozenModel):
    """Answers of one question in order, most favourable first: for two answer sets that
    differ only in this question, an answer in a later tier never gets a more favourable
    outcome than one in an earlier tier (e.g. diagnoses, strongest evidence first)."""

    question: Id
    tiers: Items[Items[Id]] = Field(
        min_length=2, description="Lists of option ids, the most favourable tier first."
    )


class Property(FrozenModel):
    """A promise the rule set makes for every answer set, declared by its authors:
    whenever ``when`` certainly holds, the outcome is at least (and/or at most) a level;
    or, with ``ordered``, answers of one question keep their order of outcomes.

    ``decision-aid verify`` proves each one over every possible answer set;
    ``decision-aid test`` also checks it on every case.
    """

    id: Id
    title: str = Field(min_length=1, description="The promise in words.")
    when: Condition | None = Field(
        default=None,
        description="Required with at_least/at_most. With ordered: held by the answer set "
        "with the earlier-tier answer (none: always).",
    )
    ordered: Ordering | None = Field(
        default=None,
        description="Compare two answer sets that differ only in this question's answer.",
    )
    at_least: Id | None = Field(default=None, description="The outcome is at least this level.")
    at_most: Id | None = Field(default=None, description="The outcome is at most this level.")
    only_for: OnlyFor = Field(default_factory=dict)
    rationale: str | None = None
    citations: Items[Citation] = Field(default=(), description="Sources of the rationale.")

    @field_validator("citations", mode="before", json_schema_input_type=list[Citation | str])
    @classmethod
    def _citations(cls, value: Any) -> Any:
        return _shorthand_citations(value)

    @model_validator(mode="after")
    def _bounded(self) -> Property:
        bounded = self.at_least is not None or self.at_most is not None
        if self.ordered is not None:
            if bounded:
                raise ValueError("a property with 'ordered' takes no 'at_least' or 'at_most'")
            return self
        if not bounded:
            raise ValueError("a property needs 'at_least' or 'at_most' (or both), or 'ordered'")
        if self.when is None:
            raise ValueError("a property with 'at_least' or 'at_most' needs 'when'")
        return self


class RuleSetInfo(FrozenModel):
    """The rule set's identity and governance: what the sheet's footer shows."""

    id: Id
    title: str = Field(min_length=1)
    version: str = Field(min_length=1, pattern=r"^\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?$")
    status: Annotated[Status, Strict(False)]
    description: str = Field(min_length=1)
    authors: Items[str] = Field(min_length=1)
    reviewers: Items[str] = ()
    date: LooseDate
    review_by: LooseDate
    update_policy: str = Field(min_length=1)
    funding: str = Field(min_length=1)
    levels: Items[Level] = Field(min_length=2)
    assess_first: Id = Field(description="The level given when a restrictive rule is unknown.")
    default_outcome: Id = Field(description="The level when no rule with an outcome fires.")
    default_reason: str = Field(min_length=1)
    settings: Items[Setting] = ()


class RuleSet(FrozenModel):
    """A whole, checked rule set. Only the loader builds one; it is never partly valid."""

    info: RuleSetInfo
    questionnaire: Questionnaire
    rules: Items[Rule]
    references: Items[Reference]
    sheet: SheetContent | None = Field(default=None, description="The patient pages' text.")
    properties: Items[Property] = Field(default=(), description="Declared safety properties.")
    digest: str = Field(description="sha256 over the rule set's files.")
    source: str = Field(description="Where it was loaded from, for messages.")
    _sources: SourceMap | None = PrivateAttr(default=None)

    def keep_sources(self, sources: SourceMap) -> None:
        """The loader keeps the positions it read every node at (once, as it builds it)."""
        self._sources = sources

    @property
    def sources(self) -> SourceMap:
        """Where each part was written; a rule set not read from files places all at its
        source, line 1."""
        return self._sources if self._sources is not None else SourceMap(self.source, {}, {})

    @cached_property
    def level_rank(self) -> Mapping[str, int]:
        """Level id → rank; a higher rank is more restrictive."""
        return MappingProxyType({level.id: i for i, level in enumerate(self.info.levels)})

    @cached_property
    def levels_by_id(self) -> Mapping[str, Level]:
        return MappingProxyType({level.id: level for level in self.info.levels})

    @cached_property
    def references_by_id(self) -> Mapping[str, Reference]:
        return MappingProxyType({r.id: r for r in self.references})

    @cached_property
    def rules_by_id(self) -> Mapping[str, Rule]:
        return MappingProxyType({r.id: r for r in self.rules})

    @cached_property
    def decisive_questions(self) -> frozenset[str]:
        """Questions whose answers can change an outcome: read by a rule with an outcome,
        directly or through the ``show_when`` of a question such a rule reads."""
        return self.questionnaire.reached(
            q for rule in self.rules if rule.outcome is not None for q in rule.when.questions()
        )

    def contribution(self, rule: Rule | None, value: Truth) -> int | None:
        """The rank a rule with this value adds to the outcome, or None when it adds none;
        ``rule`` None is the rule set's default (its unknown handled as ``assess_first``).

        True fires at the rule's level; unknown at that level or "assess first", whichever
        is more favourable, unless ``if_unknown: fire``; false, or a note, adds no rank.
        """
        outcome = self.info.default_outcome if rule is None else rule.outcome
        if outcome is None or value is Truth.FALSE:
            return None
        rank = self.level_rank[outcome]
        if value is Truth.TRUE or (rule is not None and rule.if_unknown is IfUnknown.FIRE):
            return rank
        return min(rank, self.level_rank[self.info.assess_first])

    @staticmethod
    def default_value(values: Iterable[Truth]) -> Truth:
        """The default's condition, "no rule with an outcome applies", from those rules'
        values: true when all are false, false when one is true, else unknown."""
        return ~Truth.any(values)

    def outcome_rank(self, values: Iterable[tuple[Rule, Truth]]) -> int:
        """The outcome's rank for the applicable rules' values: the most restrictive rank
        that any of them, or the default, adds. The reference the engine's verdicts are
        tested against, as ``Condition.truth`` is for the compiled conditions."""
        ranks, with_outcome = [-1], []
        for rule, value in values:
            if rule.outcome is not None:
                with_outcome.append(value)
                rank = self.contribution(rule, value)
                ranks.append(-1 if rank is None else rank)
        default = self.contribution(None, self.default_value(with_outcome))
        return max(*ranks, -1 if default is None else default)

    @cached_property
    def _derived(self) -> dict[Callable[[RuleSet], Any], Any]:
        return {}

    def derived(self, make: Callable[[RuleSet], T]) -> T:
        """What ``make`` works out from this rule set (a compiled form, say), once: kept
        with the rule set and keyed by ``make``. A copy works out its own."""
        if make not in self._derived:
            self._derived[make] = make(self)
        return cast(T, self._derived[make])

    def default_settings(self) -> dict[str, str]:
        return {s.id: s.default for s in self.info.settings}

    def setting(self, setting_id: str) -> Setting | None:
        return next((s for s in self.info.settings if s.id == setting_id), None)


def applies(item: Rule | Property, settings: Mapping[str, str]) -> bool:
    """Whether a rule or a property is in force under these settings (its ``only_for``)."""
    return all(settings.get(name) in choices for name, choices in item.only_for.items())
