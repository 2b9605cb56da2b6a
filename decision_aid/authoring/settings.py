"""An author's tool limited to some of a rule set's settings (``--setting ID=VALUE``):
the work done under those choices, and the rules and properties in force under them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from decision_aid.authoring.cases import CaseResult
from decision_aid.domain.rules import Property, Rule

__all__ = ["in_force", "matches", "run_under"]


def matches(settings: Mapping[str, str], chosen: Mapping[str, str]) -> bool:
    """Whether work done under ``settings`` (a case's, a proof's) is work under ``chosen``."""
    return all(settings.get(name) == value for name, value in chosen.items())


def in_force(item: Rule | Property, chosen: Mapping[str, str]) -> bool:
    """Whether a rule or property can apply under ``chosen``: its ``only_for`` allows each
    chosen value (a setting not chosen may take any of its choices)."""
    return all(chosen[name] in allowed for name, allowed in item.only_for.items() if name in chosen)


def run_under(results: Sequence[CaseResult], chosen: Mapping[str, str]) -> list[CaseResult]:
    """The case results run under ``chosen``; a case that could not run stays in."""
    return [
        r for r in results if r.assessment is None or matches(dict(r.assessment.settings), chosen)
    ]
