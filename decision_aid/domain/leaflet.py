"""What the discussion sheet tells the patient, as data in the rule set (``sheet.yaml``).

IPDAS asks a patient decision aid to describe the condition, state the decision,
show the options with their benefits and harms in equal detail, give numbers with
their uncertainty, and say what the options are like to live through. That text is
clinical content, so rule authors own it beside the rules; every claim cites the
rule set's references.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from decision_aid.domain.base import FrozenModel, Items

__all__ = ["Block", "Figure", "GridRow", "OptionText", "SheetContent"]


class Block(FrozenModel):
    """A heading with a few short paragraphs or points, and the sources they rest on."""

    title: str = Field(min_length=1)
    points: Items[str] = Field(min_length=1)
    citations: Items[str] = Field(min_length=1)


class OptionText(FrozenModel):
    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)


class GridRow(FrozenModel):
    """One question patients ask, answered for every option in the same detail."""

    question: str = Field(min_length=1)
    answers: dict[str, str]
    citations: Items[str] = Field(min_length=1)


class Figure(FrozenModel):
    """A number for an icon array: how many out of 100, with and (if known) without."""

    id: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_-]*$")
    label: str = Field(min_length=1, description="What happened, in plain words.")
    kind: str = Field(pattern=r"^(benefit|harm)$")
    with_treatment: int = Field(ge=0, le=100)
    without_treatment: int | None = Field(default=None, ge=0, le=100)
    when: str = Field(min_length=1, description="The time point, in plain words.")
    who: str = Field(min_length=1, description="The people studied, in plain words.")
    certainty: str = Field(pattern=r"^(high|moderate|low|very low)$")
    caveat: str | None = None
    citations: Items[str] = Field(min_length=1)


class SheetContent(FrozenModel):
    decision: str = Field(min_length=1, description="The decision, as the patient would ask it.")
    condition: Block
    options: Items[OptionText] = Field(min_length=2)
    grid: Items[GridRow] = Field(min_length=1)
    figures: Items[Figure] = Field(min_length=1)
    certainty: Block
    what_it_is_like: Items[Block] = Field(min_length=1)
    questions_to_ask: Items[str] = Field(min_length=1)
    next_steps: dict[str, str] = Field(description="Outcome level id → what happens next.")

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
