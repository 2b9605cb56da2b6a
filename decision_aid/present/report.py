"""The assessment as plain text: what ``decision-aid evaluate`` prints and the window prints
until the discussion sheet exists. Pure Python, no Qt."""

from __future__ import annotations

from decision_aid.domain import Assessment, RuleSet
from decision_aid.present.levels import level_style
from decision_aid.present.override import ClinicianView
from decision_aid.present.wording import (
    CLINICIANS_VIEW,
    MISSING_HEADING,
    NOT_A_DECISION,
    NOT_ASSESSED,
    NOT_ASSESSED_WHY,
    NOT_CURRENT,
    REVIEW,
    SET_ASIDE_HEADING,
    TO_CHECK_HEADING,
)

__all__ = ["SET_ASIDE_HEADING", "text_report"]


def text_report(
    assessment: Assessment,
    rule_set: RuleSet,
    override: ClinicianView | None = None,
    *,
    assessed: bool = True,
) -> str:
    """``assessed`` False (:func:`~decision_aid.present.wording.assessed`): a blank form,
    said as "Not assessed yet", with no reasons and no advice, only what is still to check."""
    rank = rule_set.level_rank
    info = assessment.rule_set
    shape = level_style(rank[assessment.outcome.id], len(rank)).shape
    outcome = f"{shape} {assessment.outcome.label} ({assessment.outcome.id})"
    lines = [
        f"Outcome: {outcome if assessed else f'{NOT_ASSESSED}. {NOT_ASSESSED_WHY}'}",
        f"  {NOT_A_DECISION}",
        f"Rule set: {info.id} {info.version} ({info.status.upper()}), sha256 {info.digest[:12]}…",
        "Settings: " + ", ".join(f"{k} = {v}" for k, v in assessment.settings),
    ]
    if override is not None:
        view = level_style(override.rank, len(rank)).shape + f" {override.label}"
        said = f"{view}, {override.recorded()}."
        reason = f"Reason: {override.override.reason}"
        lines.append(
            f"{CLINICIANS_VIEW}: {said} {reason}"
            if override.current
            else f"{CLINICIANS_VIEW}: NOT CURRENT. {REVIEW}. An override to {said} "
            f"{NOT_CURRENT} {reason}"
        )
    if assessed:
        lines += _reasons_and_advice(assessment, rule_set)
    lines += ["", f"{TO_CHECK_HEADING}:"]
    lines += [f"  - {c.label} [{c.question_id}] ({c.status})" for c in assessment.to_check] or [
        "  - none: every safety question is answered"
    ]
    if assessment.set_aside:
        lines += ["", f"{SET_ASIDE_HEADING}:"]
        lines += [f"  - {a.label} [{a.question_id}]: {a.answer}" for a in assessment.set_aside]
    return "\n".join(lines)


def _reasons_and_advice(assessment: Assessment, rule_set: RuleSet) -> list[str]:
    lines = ["", "Why:"]
    for fired in assessment.fired:
        effect = fired.level or "note"
        certainty = "" if fired.certain else " [answer not known]"
        lines.append(f"  - [{fired.rule_id}] {fired.title} -> {effect}{certainty}")
        lead = "For the patient" if fired.certain else "For the patient, if it applies"
        lines.append(f"      {lead}: {fired.patient_reason}")
        sources = "; ".join(c.short + (f" ({c.grade})" if c.grade else "") for c in fired.citations)
        if sources:
            lines.append(f"      Sources: {sources}")
    lines += ["", f"What this outcome means: {assessment.outcome_description}"]
    for title, items in (("Cautions", assessment.cautions), ("Actions", assessment.actions)):
        if items:
            lines += ["", f"{title}:"] + [f"  - {item}" for item in items]
    for advice in assessment.conditional:
        lines += ["", f"{advice.heading} (not yet known):"]
        lines += [f"  - Caution: {item}" for item in advice.cautions]
        lines += [f"  - Action: {item}" for item in advice.actions]
    lines += ["", f"{MISSING_HEADING}:"]
    for missing in assessment.missing:
        changes = missing.changes_in_words(rule_set.levels_by_id, "->")
        lines.append(f"  - {missing.label} [{missing.question_id}] ({missing.status}): {changes}")
    if not assessment.missing:
        lines.append("  - none")
    return lines
