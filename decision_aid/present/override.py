"""The clinician's view (the override that stands) as every surface shows it: the window's
panel, the sheet and the text report say the same words, label it the same way, and
mark it for review in the same words when the answers changed since it was made."""

from __future__ import annotations

from dataclasses import dataclass

from decision_aid.domain import Assessment, RuleSet
from decision_aid.domain.consultation import Consultation, Override

__all__ = ["ClinicianView", "clinician_view"]


@dataclass(frozen=True)
class ClinicianView:
    """The override that stands, in words; ``current`` is False when it needs review."""

    override: Override
    label: str
    """The override's level, by its label."""
    rank: int
    """The level's rank (0 = most favourable), for its shape and colour."""
    replaced: str
    """The rule outcome it replaced, by its label ("" when a file did not record it)."""
    current: bool

    def recorded(self) -> str:
        """``recorded 24 Nov 2026 14:00 UTC by Dr Ada Lovelace, replacing "Suitable"``"""
        at = self.override.at
        words = f"recorded {at:%d %b %Y %H:%M} {at.tzname() or ''}".rstrip()
        if self.override.clinician:
            words += f" by {self.override.clinician}"
        if self.replaced:
            words += f', replacing the rule outcome "{self.replaced}"'
        if self.override.confirmed:
            words += " (confirmed for changed answers)"
        return words


def clinician_view(
    consultation: Consultation, rule_set: RuleSet, assessment: Assessment
) -> ClinicianView | None:
    """The override that stands, if its level is one of ``rule_set``'s (``assessment`` is
    of the consultation's answers now); None otherwise."""
    override = consultation.valid_override(rule_set)
    if override is None:
        return None
    levels = rule_set.levels_by_id
    replaced = override.replaced
    replaced_level = levels.get(replaced.outcome) if replaced is not None else None
    return ClinicianView(
        override=override,
        label=levels[override.level].label,
        rank=rule_set.level_rank[override.level],
        replaced=replaced_level.label if replaced_level is not None else "",
        current=not consultation.override_needs_review(assessment),
    )
