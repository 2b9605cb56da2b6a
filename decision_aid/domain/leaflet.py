"""What the discussion sheet tells the patient, as data in the rule set (``sheet.yaml``).

IPDAS asks a patient decision aid to describe the condition, state the decision,
show the options with their benefits and harms in equal detail, give numbers with
their uncertainty, and say what the options are like to live through. That text is
clinical content, so rule authors own it beside the rules; every claim cites the
rule set's references, and nothing about the treatment is written in the code: the
sheet names the treatment, the questions that hold the patient's goals and the
source of the SURE test.

The evidence display rules are the model's, so the loader refuses a sheet that breaks
them: a count is "people out of a group" and is never scaled (3 of 6 stays 3 of 6); a
figure drawn as pictures needs a group without treatment from the same study; a figure
without one is printed in words, with "no comparison group"; a benefit says which
patients it is about (a condition, like a rule's ``when``), so a patient only sees the
figures for their own kind of pain.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from pydantic import Field, model_validator

from decision_aid.domain.base import FrozenModel, Id, Items, OnlyFor
from decision_aid.domain.conditions import Condition
from decision_aid.domain.yamlsource import YamlPath

__all__ = [
    "Block",
    "Count",
    "Figure",
    "GoalEvidence",
    "GridRow",
    "Misconception",
    "OptionText",
    "SheetContent",
    "Statement",
    "SureTest",
    "Treatment",
    "UnknownHarm",
]


class Block(FrozenModel):
    """A heading with a few short paragraphs or points, and the sources they rest on.

    ``outcomes`` (level ids) limits the block to those outcomes: a "not suitable" sheet
    need not say how treatment days go. ``only_for`` limits it to settings, as a rule's.
    """

    title: str = Field(min_length=1)
    points: Items[str] = Field(min_length=1)
    citations: Items[Id] = Field(min_length=1)
    only_for: OnlyFor = Field(default_factory=dict)
    outcomes: Items[Id] = Field(default=(), description="Printed only for these outcomes.")


class Treatment(FrozenModel):
    """The treatment the decision is about, as the sheet names it in its own words."""

    name: str = Field(min_length=1, description="As in 'With surgery': lower case, short.")


class SureTest(FrozenModel):
    """The SURE test (Légaré 2010) the sheet prints, and where it is published."""

    reference: Id = Field(description="The reference that publishes the test.")


class Statement(FrozenModel):
    """One sentence of the bottom line, for the patients ``about`` describes."""

    text: str = Field(min_length=1)
    about: Condition | None = Field(
        default=None, description="Which patients it is about (none: every patient)."
    )
    only_for: OnlyFor = Field(default_factory=dict)
    citations: Items[Id] = Field(min_length=1)


class Misconception(FrozenModel):
    """A claim a patient may have read, and what the evidence says instead."""

    claim: str = Field(min_length=1, description="'You may have read that …'")
    correction: str = Field(min_length=1)
    only_for: OnlyFor = Field(default_factory=dict)
    citations: Items[Id] = Field(min_length=1)


class OptionText(FrozenModel):
    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)


class GridRow(FrozenModel):
    """One question patients ask, answered for every option in the same detail."""

    question: str = Field(min_length=1)
    answers: Mapping[str, str]
    only_for: OnlyFor = Field(default_factory=dict)
    citations: Items[Id] = Field(min_length=1)


class Count(FrozenModel):
    """How many people of a group: ``people`` of ``out_of``, printed as counted."""

    people: int = Field(ge=0)
    out_of: int = Field(ge=1, le=100_000)

    def in_words(self) -> str:
        """ "16 out of 100" for a rate per 100, "3 of 6" for a group as counted."""
        return f"{self.people} {'out of' if self.out_of == 100 else 'of'} {self.out_of}"

    @model_validator(mode="after")
    def _at_most_the_group(self) -> Count:
        if self.people > self.out_of:
            raise ValueError(f"{self.people} people cannot be out of a group of {self.out_of}")
        return self


class Figure(FrozenModel):
    """A number from a study: how many of the people with and (if studied) without it."""

    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_-]*$")
    label: str = Field(min_length=1, description="What happened, in plain words.")
    kind: Literal["benefit", "harm"]
    about: Condition | None = Field(
        default=None,
        description="Which patients it is about, like a rule's 'when'; a benefit needs one.",
    )
    with_treatment: Count
    without_treatment: Count | None = Field(
        default=None,
        description="The group without the treatment in the same study; none: no pictures.",
    )
    when: str = Field(min_length=1, description="The time point, in plain words.")
    who: str = Field(min_length=1, description="The people studied, in plain words.")
    certainty: Literal["high", "moderate", "low", "very low"]
    caveat: str | None = None
    only_for: OnlyFor = Field(default_factory=dict)
    citations: Items[Id] = Field(min_length=1)

    @model_validator(mode="after")
    def _benefit_names_its_patients(self) -> Figure:
        if self.kind == "benefit" and self.about is None:
            raise ValueError(
                f"the benefit figure '{self.id}' needs 'about': which patients it is about"
            )
        return self

    @property
    def controlled(self) -> bool:
        return self.without_treatment is not None


class UnknownHarm(FrozenModel):
    """A harm with no reliable figure: a row that says "how many: not known"."""

    label: str = Field(min_length=1)
    known: str = Field(min_length=1, description="What is known about it, in plain words.")
    only_for: OnlyFor = Field(default_factory=dict)
    citations: Items[Id] = Field(min_length=1)


class GoalEvidence(FrozenModel):
    """What the research found for one goal a patient may choose ("Do more day to day")."""

    question: Id
    option: Id
    evidence: str = Field(min_length=1)
    citations: Items[Id] = Field(min_length=1)


class SheetContent(FrozenModel):
    decision: str = Field(min_length=1, description="The decision, as the patient would ask it.")
    treatment: Treatment
    goals: Items[Id] = Field(
        default=(), description="Multiple-choice questions whose answers are the goals."
    )
    sure: SureTest
    bottom_line: Items[Statement] = Field(min_length=1)
    condition: Block
    options: Items[OptionText] = Field(min_length=2)
    grid: Items[GridRow] = Field(min_length=1)
    figures: Items[Figure] = ()
    no_figures: str = Field(
        default="No study gives figures of how much it helps for people like you.",
        min_length=1,
        description="Said where no benefit figure fits the answers (harm figures may "
        "follow): say it is about benefit, and name for whom ('No study of your kind of "
        "pain gives figures for how much it helps.').",
    )
    figures_wait: str = Field(
        default="Which figures from studies fit you depends on answers not known yet.",
        min_length=1,
        description="Said instead where a benefit figure could fit once an answer is known "
        "('Figures for how much it helps depend on your kind of pain, which is not known "
        "yet.').",
    )
    harms_not_known: Items[UnknownHarm] = ()
    certainty: Block
    misconceptions: Items[Misconception] = ()
    goal_evidence: Items[GoalEvidence] = ()
    what_it_is_like: Items[Block] = Field(min_length=1)
    experiences: Block | None = Field(
        default=None, description="Balanced, sourced accounts of what patients said."
    )
    no_experiences: str | None = Field(
        default=None, description="Why there is no experiences block (what was searched)."
    )
    questions_to_ask: Items[str] = Field(min_length=1)
    next_steps: Mapping[str, str] = Field(
        description="A rule id or an outcome level id → what happens next; a deciding "
        "rule's own step comes before its level's."
    )

    @model_validator(mode="after")
    def _every_row_answers_every_option(self) -> SheetContent:
        ids = [o.id for o in self.options]
        for row in self.grid:
            if sorted(row.answers) != sorted(ids):
                raise ValueError(
                    f"the row {row.question!r} must answer every option ({', '.join(ids)}) "
                    "in equal detail"
                )
        return self

    def _listed(self) -> Iterator[tuple[str, int, Any]]:
        named: tuple[tuple[str, Sequence[Any]], ...] = (
            ("bottom_line", self.bottom_line),
            ("grid", self.grid),
            ("figures", self.figures),
            ("harms_not_known", self.harms_not_known),
            ("misconceptions", self.misconceptions),
            ("goal_evidence", self.goal_evidence),
            ("what_it_is_like", self.what_it_is_like),
        )
        for key, items in named:
            for i, item in enumerate(items):
                yield key, i, item

    def blocks(self) -> Iterator[tuple[YamlPath, Block]]:
        """Every block of points, with where it is written."""
        yield ("condition",), self.condition
        yield ("certainty",), self.certainty
        if self.experiences is not None:
            yield ("experiences",), self.experiences
        for i, block in enumerate(self.what_it_is_like):
            yield ("what_it_is_like", i), block

    def parts(self) -> Iterator[tuple[YamlPath, Any]]:
        """Every block, row, figure, statement and note that cites references."""
        for path, block in self.blocks():
            if path[0] != "what_it_is_like":
                yield path, block
        for key, i, item in self._listed():
            yield (key, i), item

    def cited(self) -> set[str]:
        """Every reference the sheet may print, the SURE test's included."""
        return {self.sure.reference} | {ref for _, part in self.parts() for ref in part.citations}

    def conditions(self) -> Iterator[tuple[YamlPath, Condition]]:
        """Every ``about`` condition, with where it is written."""
        about: tuple[tuple[str, Sequence[Statement | Figure]], ...] = (
            ("bottom_line", self.bottom_line),
            ("figures", self.figures),
        )
        for key, items in about:
            for i, item in enumerate(items):
                if item.about is not None:
                    yield (key, i, "about"), item.about

    def questions_read(self) -> set[str]:
        """The questions the sheet reads: its goals, and those its conditions test."""
        read = set(self.goals)
        for _, condition in self.conditions():
            read |= set(condition.questions())
        return read

    def texts(self) -> Iterator[tuple[YamlPath, str]]:
        """Every text a patient reads on the sheet, with where it is written."""
        yield ("decision",), self.decision
        for path, block in self.blocks():
            for i, point in enumerate(block.points):
                yield (*path, "points", i), point
        for key, i, item in self._listed():
            if isinstance(item, GridRow):
                for option, answer in item.answers.items():
                    yield (key, i, "answers", option), answer
            for name in ("text", "claim", "correction", "known", "evidence", "caveat"):
                value = getattr(item, name, None)
                if isinstance(value, str):
                    yield (key, i, name), value
        for key, step in self.next_steps.items():
            yield ("next_steps", key), step
