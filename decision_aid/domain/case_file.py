"""A case file written from a consultation: the answers, the settings and what the rule set
gives for them now, for a rule author to review before it joins the rule set's tests."""

from __future__ import annotations

from typing import Any

from decision_aid.domain.assessment import Assessment
from decision_aid.domain.yamlsource import dump_yaml

__all__ = ["case_file_text"]


def case_file_text(
    name: str, answers: dict[str, Any], settings: dict[str, str], assessment: Assessment
) -> str:
    """A case file expecting what the rule set gives now, for the author to review."""

    case = {
        "name": name,
        "note": "Written from the app: check the expected outcome before you rely on it.",
        "settings": dict(settings),
        "answers": answers,
        "expect": {"outcome": assessment.outcome.id, "fired": sorted(assessment.fired_ids)},
    }
    header = "# yaml-language-server: $schema=../schema/cases.schema.json\n"
    return header + dump_yaml({"cases": [case]})
